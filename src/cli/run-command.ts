/**
 * `interleave run FILE`: one execution. Prints the program's own output, then the outcome,
 * then, if anything went wrong, the command line that replays exactly this execution.
 * Exit status: 0 nothing went wrong, 1 something did (exception, deadlock, lost update,
 * step bound), 2 bad input.
 */
import { Command, Option } from 'commander';
import {
  DEFAULT_MAX_STEPS,
  DEFAULT_SEED,
  DEFAULT_SLICE,
  runProgram,
  type RunResult,
  type SchedulerName,
} from '../run/run.js';
import { windowRows } from '../report/lost-update-window.js';
import { traceAssertion, traceViolation } from '../run/slice-trace.js';
import { traceLostUpdateWindows } from '../run/lost-update-trace.js';
import { outcomeJson, outcomeOf, wentWrong } from '../report/outcome.js';
import { mutualExclusionArgs, replayCommand } from '../run/replay-command.js';
import { renderOutcome } from '../report/text.js';
import { formatTraceEvent } from '../report/trace.js';
import { replayRefusal } from '../schedule/schedule.js';
import { ScheduleMismatch } from '../schedule/strategies.js';
import { DEFAULT_MAX_OPS, type TraceEvent } from '../vm/machine.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  UsageError,
  setOption,
  loadOrThrow,
  mutualExclusionOption,
  mutualExclusions,
  positiveNumber,
  readSchedule,
  seedNumber,
} from './common.js';

interface RunFlags {
  seed?: number;
  schedule?: string;
  set: [string, string][];
  trace?: boolean;
  json?: boolean;
  scheduler: SchedulerName;
  slice?: number;
  maxSteps: number;
  maxOps: number;
  mutualExclusion?: string[];
}

/** Characters of program output `--json` keeps (JSON.stringify fails near 512 MB). */
const MAX_CAPTURED_CHARS = 16 * 2 ** 20;

function runAction(file: string, flags: RunFlags, scheduler: string | undefined): number {
  if (flags.seed !== undefined && flags.schedule !== undefined)
    throw new UsageError('give either --seed or --schedule, not both');
  if (flags.schedule !== undefined && (scheduler !== undefined || flags.slice !== undefined)) {
    throw new UsageError(
      '--schedule replays a recorded schedule; it cannot be combined with --scheduler or --slice',
    );
  }
  if (flags.slice !== undefined && flags.scheduler === 'uniform') {
    throw new UsageError(
      '--slice applies to the time-slice and round-robin schedulers; uniform switches at every step',
    );
  }
  if (flags.seed !== undefined && flags.scheduler === 'round-robin') {
    throw new UsageError(
      '--seed applies to the random schedulers (time-slice, uniform); round-robin is not random',
    );
  }
  if (flags.trace === true && flags.json === true)
    throw new UsageError('--trace prints text; it cannot be combined with --json');
  const program = loadOrThrow(file, flags.set);
  const invariants = mutualExclusions(program, flags.mutualExclusion ?? []);
  const schedule = flags.schedule !== undefined ? readSchedule(flags.schedule, '--schedule') : undefined;
  // Another model or another fingerprint: refused before anything runs, as runProgram would.
  const refusal = schedule === undefined ? null : replayRefusal(schedule, program);
  if (refusal !== null) throw new UsageError(new ScheduleMismatch(0, refusal).message);
  const captured: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  let capturedChars = 0;
  let droppedChars = 0;
  // --json keeps the first MAX_CAPTURED_CHARS of the program's output and counts the rest.
  const capture = (stream: 'stdout' | 'stderr', text: string): void => {
    const room = MAX_CAPTURED_CHARS - capturedChars;
    if (room > 0) captured.push({ stream, text: text.length > room ? text.slice(0, room) : text });
    capturedChars += Math.min(room, text.length);
    droppedChars += Math.max(0, text.length - Math.max(0, room));
  };
  const output = flags.json
    ? capture
    : (stream: 'stdout' | 'stderr', text: string) => void process[stream].write(text);
  const tracer =
    flags.trace && !flags.json
      ? (e: TraceEvent) => void process.stdout.write(`${formatTraceEvent(e)}\n`)
      : undefined;
  let result: RunResult;
  try {
    result = runProgram(program, {
      scheduler: flags.scheduler,
      seed: flags.seed ?? DEFAULT_SEED,
      slice: flags.slice,
      schedule,
      maxSteps: flags.maxSteps,
      maxOps: flags.maxOps,
      output,
      tracer,
      invariants,
    });
  } catch (err) {
    if (err instanceof ScheduleMismatch) throw new UsageError(err.message);
    throw err;
  }
  const outcome = outcomeOf(result);
  const bad = wentWrong(outcome);
  const windows = windowRows(traceLostUpdateWindows(result, outcome.lostUpdates.first));
  const replay = bad
    ? `${replayCommand(file, flags.set, result.config, flags)}${mutualExclusionArgs(flags.mutualExclusion ?? [])}`
    : null;
  if (flags.json) {
    const json = {
      file,
      fingerprint: program.fingerprint,
      output: captured,
      outputDroppedChars: droppedChars,
      ...outcomeJson(result, outcome),
      windows,
      replay,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    if (captured.length === 0) process.stdout.write('\n');
    process.stdout.write(
      renderOutcome(result, outcome, windows, replay, {
        assertion: traceAssertion(result),
        violation: result.violation === null ? null : traceViolation(result, result.violation, invariants),
      }),
    );
  }
  return bad ? EXIT_FAILURE : EXIT_OK;
}

export function runCommand(): Command {
  return new Command('run')
    .description('run one execution of a thread program and report its outcome, lost updates and deadlocks')
    .argument('<file>', 'a thread program (.py)')
    .option(
      '--seed <n>',
      `seed of the random scheduler, 0 to 4294967295 (default ${DEFAULT_SEED})`,
      seedNumber,
    )
    .option(
      '--schedule <schedule>',
      'replay this schedule (as printed by interleave), or @FILE to read it from a file',
    )
    .addOption(setOption())
    .addOption(mutualExclusionOption())
    .addOption(
      new Option(
        '--scheduler <name>',
        'how threads are picked: time-slice (like an OS or the GIL), uniform (any thread at every step), round-robin',
      )
        .choices(['time-slice', 'uniform', 'round-robin'])
        .default('time-slice'),
    )
    .option(
      '--slice <steps>',
      `time-slice: mean slice in steps (default ${DEFAULT_SLICE.toLocaleString('en-US')}, about CPython's 5 ms switch interval on the lesson's loop; 1 switches at every step); round-robin: steps per turn (default 1)`,
      positiveNumber,
    )
    .option(
      '--max-steps <n>',
      'step bound: stop the run after this many steps',
      positiveNumber,
      DEFAULT_MAX_STEPS,
    )
    .option(
      '--max-ops <n>',
      `work bound: stop the run after this many micro-ops (each element of a large list or string built counts as one; default ${DEFAULT_MAX_OPS.toLocaleString('en-US')})`,
      positiveNumber,
      DEFAULT_MAX_OPS,
    )
    .option('--trace', 'print every step (thread, line, op, value) as it runs')
    .option('--json', 'print the outcome as JSON (the program output is captured into it)')
    .action((file: string, flags: RunFlags, command: Command) => {
      const explicit = command.getOptionValueSource('scheduler') === 'cli' ? flags.scheduler : undefined;
      process.exitCode = runAction(file, flags, explicit);
    });
}
