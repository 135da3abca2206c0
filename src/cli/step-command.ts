/**
 * `interleave step FILE`: the terminal UI, stepping through one interleaving thread by thread.
 * With `--schedule` or `--seed` the execution is a tape to move along. Without a terminal,
 * `--keys` applies keys and prints the final screen. Exit status: 0, or 2 for bad input (a
 * program that does not compile, a schedule for another program, no terminal and no --keys).
 */
import { Command, Option } from 'commander';
import {
  DEFAULT_MAX_STEPS,
  DEFAULT_SEED,
  DEFAULT_SLICE,
  runProgram,
  type SchedulerName,
} from '../run/run.js';
import { replayRefusal, type Schedule } from '../schedule/schedule.js';
import { ScheduleMismatch } from '../schedule/strategies.js';
import {
  EXIT_BAD_INPUT,
  EXIT_OK,
  UsageError,
  loadOrThrow,
  positiveNumber,
  readSchedule,
  seedNumber,
  setOption,
} from './common.js';

interface StepFlags {
  set: [string, string][];
  seed?: number;
  schedule?: string;
  scheduler?: SchedulerName;
  slice?: number;
  keys?: string;
  maxSteps: number;
}

/** Steps a `--seed` tape may have at most: the UI steps through executions, not full-size runs. */
const TAPE_STEPS = 1_000_000;

async function stepAction(file: string, flags: StepFlags): Promise<void> {
  if (flags.seed !== undefined && flags.schedule !== undefined)
    throw new UsageError('give either --seed or --schedule, not both');
  const program = loadOrThrow(file, flags.set);
  let tape: Schedule | null = null;
  if (flags.schedule !== undefined) {
    tape = readSchedule(flags.schedule, '--schedule');
    const refusal = replayRefusal(tape, program);
    if (refusal !== null) throw new UsageError(new ScheduleMismatch(0, refusal).message);
  }
  // With --seed, the tape is the run `interleave run --seed N` makes (time-slice by default);
  // stepping by hand, `n` past the tape switches at every step (uniform) unless told otherwise.
  const scheduler: SchedulerName = flags.scheduler ?? (flags.seed !== undefined ? 'time-slice' : 'uniform');
  const slice = flags.slice ?? (scheduler === 'round-robin' ? 1 : DEFAULT_SLICE);
  const seed = flags.seed ?? DEFAULT_SEED;
  if (flags.seed !== undefined) {
    const run = runProgram(program, {
      scheduler,
      seed,
      slice,
      maxSteps: Math.min(flags.maxSteps, TAPE_STEPS),
      analyses: false,
    });
    tape = run.execution.schedule;
  }
  const interactive = flags.keys === undefined;
  if (interactive && (process.stdin.isTTY !== true || process.stdout.isTTY !== true)) {
    process.stderr.write(
      'interleave: step needs a terminal (stdin and stdout are not both a TTY); give --keys "..." to apply keys and print the screen\n',
    );
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  // Loaded here only: the other commands never load react and ink.
  const tui = await import('../tui/step-tui.js');
  const config = {
    file,
    sets: flags.set,
    tape,
    scheduler,
    seed,
    slice,
    runBound: Math.min(flags.maxSteps, 100_000),
    exploreExecutions: 20_000,
    exploreTimeMs: 10_000,
    outDir: '.',
  };
  if (flags.keys !== undefined) {
    // The text screen is 80 × 24 unless COLUMNS and LINES say otherwise (as they do for `ls`).
    const size = (v: string | undefined, d: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
    const columns = size(process.env.COLUMNS, 80);
    const rows = size(process.env.LINES, 24);
    process.stdout.write(tui.screenAfterKeys(program, config, flags.keys, columns, rows));
  } else await tui.runInTerminal(program, config);
  process.exitCode ??= EXIT_OK;
}

export function stepCommand(track: (work: Promise<void>) => void): Command {
  return new Command('step')
    .description(
      'step through one interleaving in a terminal UI: pick the thread of every step, go back, fork',
    )
    .argument('<file>', 'a thread program (.py)')
    .addOption(setOption())
    .option('--seed <n>', 'follow the run of the scheduler with this seed as a tape', seedNumber)
    .option('--schedule <schedule>', 'follow this schedule as a tape, or @FILE to read it from a file')
    .addOption(
      new Option(
        '--scheduler <name>',
        'the scheduler of the --seed run and of `n` past the end of the tape (default: time-slice with --seed, as `run`; else uniform)',
      ).choices(['time-slice', 'uniform', 'round-robin']),
    )
    .option('--slice <steps>', 'time-slice: mean slice in steps; round-robin: steps per turn', positiveNumber)
    .option(
      '--keys <keys>',
      'apply these keys (e.g. "n n 1 b r", "g 12 enter") and print the final screen as text',
    )
    .option(
      '--max-steps <n>',
      'step bound of the --seed tape and of one `r`',
      positiveNumber,
      DEFAULT_MAX_STEPS,
    )
    .action((file: string, flags: StepFlags) => {
      track(stepAction(file, flags));
    });
}
