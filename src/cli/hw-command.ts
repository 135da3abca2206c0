/**
 * `interleave hw FILE`: run the program's threads on real threads (Node.js worker_threads
 * over shared memory) several times, and hold each outcome against the simulator's
 * exhaustive search. Prints the program's output as it arrives, one line per trial, the
 * distinct outcomes labelled possible / NOT PREDICTED / not found / unknown, the predicted
 * outcomes no trial reached, and a summary line. Exit status 1 when a trial deadlocked, timed
 * out, crashed or raised an uncaught exception, or an outcome is not predicted; 2 for bad
 * input or a program the hardware runner cannot hold; 0 otherwise.
 */
import { Command, Option } from 'commander';
import type { CompiledProgram } from '../compile/ops.js';
import { HwUnsupported, type HwTrial, type MemoryMode } from '../hw/types.js';
import { holdAgainst, hwFailed, predictOutcomes } from '../hw/verdict.js';
import {
  hardwareJson,
  renderHardware,
  renderHeader,
  renderTrial,
  type HwSettings,
} from '../report/hardware.js';
import {
  setOption,
  EXIT_BAD_INPUT,
  EXIT_FAILURE,
  EXIT_OK,
  loadOrThrow,
  positiveNumber,
  positiveSeconds,
} from './common.js';

interface HwFlags {
  trials: number;
  set: [string, string][];
  memory: MemoryMode;
  timeout: number;
  json?: boolean;
}

const LABELS = `
Each distinct outcome seen on hardware is held against the simulator's exhaustive search
(5 s at most: DPOR over at most 20,000 executions cut at 20,000 steps, then for spin loops the
stateful search, as \`interleave check\` does) and labelled:
  possible        the simulator reaches it too; its witness replays it with \`interleave run\`
  NOT PREDICTED   the simulator's search was complete and no interleaving ends this way
  not found       the simulator did not reach it, but its search was stopped by a bound
  unknown         the trial was stopped (timeout) or crashed with a thread still able to run,
                  so it has no end state to compare
Then the outcomes the simulator predicts that no trial reached are listed (when its search
was complete and they are at most 20).

Exit status: 0 every trial completed and no outcome is NOT PREDICTED; 1 a trial deadlocked,
timed out, crashed or raised an uncaught exception, or an outcome is NOT PREDICTED; 2 bad
input, or a program whose shared state the hardware runner cannot hold.

Example:
  interleave hw programs/counter_race.py --set nthread=4 --set nloop=1000000 --trials 5`;

/** The part that runs after the program was loaded: the trials, the simulator, the report. */
async function hwAction(program: CompiledProgram, flags: HwFlags): Promise<void> {
  const settings: HwSettings = { trials: flags.trials, memory: flags.memory, timeoutSeconds: flags.timeout };
  // Loaded on use: the hardware runner (worker_threads) is not needed by the other commands.
  const { runOnHardware } = await import('../hw/runner.js');
  let trials: HwTrial[];
  // The header first; then each trial's own output, and its line when it ends.
  const width = String(settings.trials).length;
  if (!flags.json) process.stdout.write(`${renderHeader(program, settings)}\n`);
  try {
    trials = await runOnHardware(program, {
      trials: settings.trials,
      memory: settings.memory,
      timeoutSeconds: settings.timeoutSeconds,
      onOutput: flags.json
        ? undefined
        : (stream: 'stdout' | 'stderr', text: string) => {
            (stream === 'stdout' ? process.stdout : process.stderr).write(text);
          },
      onTrial: flags.json
        ? undefined
        : (t: HwTrial) => {
            process.stdout.write(`${renderTrial(t, settings, width).join('\n')}\n`);
          },
    });
  } catch (err) {
    if (!(err instanceof HwUnsupported)) throw err;
    // `LINE: message` from a worker becomes `FILE:LINE: message`, as a compile error reads.
    const at = /^(\d+): /.exec(err.message);
    const where = at === null || at[1] === '0' ? `${program.file}: ` : `${program.file}:${at[1]}: `;
    process.stderr.write(
      `interleave: hw: ${where}${at === null ? err.message : err.message.slice(at[0].length)}\n`,
    );
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  const x = predictOutcomes(program);
  const verdict = holdAgainst(trials, x, program);
  process.stdout.write(
    flags.json
      ? `${JSON.stringify(hardwareJson(program, settings, trials, verdict), null, 2)}\n`
      : renderHardware(program, settings, trials, verdict, true),
  );
  process.exitCode = hwFailed(trials, verdict) ? EXIT_FAILURE : EXIT_OK;
}

/**
 * The `hw` command. Its action is asynchronous (the trials run on worker threads): loading the
 * program happens synchronously, so bad input is reported as by every other command, and the
 * rest is handed to `track`, which must wait for it and report its errors (src/cli/main.ts).
 */
export function hwCommand(track: (work: Promise<void>) => void): Command {
  return new Command('hw')
    .description(
      "run the program on real threads several times and hold each outcome against the simulator's predictions",
    )
    .argument('<file>', 'a thread program (.py)')
    .option('--trials <n>', 'number of runs on hardware', positiveNumber, 10)
    .addOption(setOption())
    .addOption(
      new Option(
        '--memory <mode>',
        'sc: every shared load and store is an atomic (sequentially consistent) access; plain: ordinary accesses the compiler and CPU may reorder',
      )
        .choices(['sc', 'plain'])
        .default('sc'),
    )
    .option(
      '--timeout <seconds>',
      'stop a trial after this many seconds (fractions allowed)',
      positiveSeconds,
      10,
    )
    .option('--json', "print the trials and the verdict as JSON (without the program's output)")
    .addHelpText('after', LABELS)
    .action((file: string, flags: HwFlags) => {
      const program = loadOrThrow(file, flags.set);
      track(hwAction(program, flags));
    });
}
