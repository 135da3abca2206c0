/**
 * `interleave step FILE`: the terminal UI, stepping through one interleaving thread by thread.
 * With `--schedule` or `--seed` the execution is a tape to move along. Without a terminal,
 * `--keys` applies keys and prints the final screen. Exit status at quit: 1 when the execution
 * so far has gone wrong (a lost update, a data race, an exception, a deadlock, a bound hit),
 * else 0; 2 for bad input (a program that does not compile, a schedule for another program, an
 * unknown key name, no terminal and no --keys).
 */
import { Command, Option } from 'commander';
import type { CompiledProgram } from '../compile/ops.js';
import { KeysError, parseKeys, type Key } from '../tui/keys.js';
import {
  DEFAULT_MAX_STEPS,
  DEFAULT_SEED,
  DEFAULT_SLICE,
  runProgram,
  type SchedulerName,
} from '../run/run.js';
import { replayRefusal, scheduleLength, type Schedule } from '../schedule/schedule.js';
import { DEFAULT_MAX_OPS } from '../vm/bounds.js';
import { ScheduleMismatch } from '../schedule/strategies.js';
import {
  EXIT_BAD_INPUT,
  EXIT_FAILURE,
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
  maxOps: number;
  maxExecutions: number;
  timeLimit: number;
}

/** Steps a `--seed` tape may have at most: the UI steps through executions, not full-size runs. */
const TAPE_STEPS = 1_000_000;
/** Steps one `r` takes at most. */
const RUN_STEPS = 100_000;
/** The text screen of `--keys` is at most this wide and tall (COLUMNS=100000 would not fit in memory). */
const MAX_TEXT_SIZE = 1000;

/**
 * Replay `tape` up to its end, so that a schedule for another program (a thread that does not
 * exist at step 5) is refused here, with `run`'s message, not discovered key by key.
 */
function checkTape(program: CompiledProgram, tape: Schedule, flags: StepFlags): void {
  const steps = scheduleLength(tape);
  if (steps > flags.maxSteps)
    throw new UsageError(
      `the schedule has ${steps.toLocaleString('en-US')} steps, more than --max-steps ${flags.maxSteps.toLocaleString('en-US')}; raise --max-steps`,
    );
  try {
    runProgram(program, {
      schedule: tape,
      stopAtStep: steps,
      maxSteps: steps,
      maxOps: flags.maxOps,
      analyses: false,
      output: () => undefined,
    });
  } catch (err) {
    if (err instanceof ScheduleMismatch) throw new UsageError(err.message);
    throw err;
  }
}

/** The arguments that load the same tape again (`--seed 3 --scheduler uniform`, `--schedule @f`). */
function tapeArgs(flags: StepFlags): string[] {
  const args: string[] = [];
  if (flags.seed !== undefined) args.push('--seed', String(flags.seed));
  if (flags.schedule !== undefined) args.push('--schedule', flags.schedule);
  if (flags.scheduler !== undefined) args.push('--scheduler', flags.scheduler);
  if (flags.slice !== undefined) args.push('--slice', String(flags.slice));
  if (flags.maxOps !== DEFAULT_MAX_OPS) args.push('--max-ops', String(flags.maxOps));
  return args;
}

async function stepAction(file: string, flags: StepFlags): Promise<void> {
  if (flags.seed !== undefined && flags.schedule !== undefined)
    throw new UsageError('give either --seed or --schedule, not both');
  const program = loadOrThrow(file, flags.set);
  let tape: Schedule | null = null;
  if (flags.schedule !== undefined) {
    tape = readSchedule(flags.schedule, '--schedule');
    const refusal = replayRefusal(tape, program);
    if (refusal !== null) throw new UsageError(new ScheduleMismatch(0, refusal).message);
    checkTape(program, tape, flags);
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
      maxOps: flags.maxOps,
      analyses: false,
      output: () => undefined,
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
  let keys: Key[] | null = null;
  try {
    if (flags.keys !== undefined) keys = parseKeys(flags.keys);
  } catch (err) {
    if (err instanceof KeysError) throw new UsageError(err.message);
    throw err;
  }
  if (interactive) {
    // ink asks is-in-ci once, when it is loaded, and under CI=true draws only the last frame
    // (a blank screen until quit): a person at a terminal is not a CI job.
    process.env.CI = 'false';
    process.env.CONTINUOUS_INTEGRATION = 'false';
  }
  // Loaded here only: the other commands never load react and ink.
  const tui = await import('../tui/step-tui.js');
  const config = {
    file,
    sets: flags.set,
    tapeArgs: tapeArgs(flags),
    tape,
    scheduler,
    seed,
    slice,
    maxOps: flags.maxOps,
    runBound: Math.min(flags.maxSteps, RUN_STEPS),
    exploreExecutions: flags.maxExecutions,
    exploreTimeMs: flags.timeLimit * 1000,
    outDir: '.',
  };
  let failed: boolean;
  if (keys !== null) {
    // The text screen is 80 × 24 unless COLUMNS and LINES say otherwise (as they do for `ls`).
    const size = (v: string | undefined, d: number) =>
      v !== undefined && /^\d+$/.test(v) && Number(v) > 0 ? Math.min(MAX_TEXT_SIZE, Number(v)) : d;
    const columns = size(process.env.COLUMNS, 80);
    const rows = size(process.env.LINES, 24);
    const screen = tui.screenAfterKeys(program, config, keys, columns, rows);
    process.stdout.write(screen.text);
    failed = screen.failed;
  } else failed = await tui.runInTerminal(program, config);
  process.exitCode ??= failed ? EXIT_FAILURE : EXIT_OK;
}

export function stepCommand(track: (work: Promise<void>) => void): Command {
  return new Command('step')
    .description(
      'step through one interleaving in a terminal UI: pick the thread of every step, go back, fork',
    )
    .argument('<file>', 'a thread program (.py)')
    .addOption(setOption())
    .option(
      '--seed <n>',
      `follow the run of the scheduler with this seed as a tape (its first ${TAPE_STEPS.toLocaleString('en-US')} steps at most)`,
      seedNumber,
    )
    .option(
      '--schedule <schedule>',
      'follow this schedule as a tape, or @FILE to read it from a file (checked against the program first)',
    )
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
      `step bound of the tape and of one \`r\` (\`r\` takes ${RUN_STEPS.toLocaleString('en-US')} steps at most)`,
      positiveNumber,
      DEFAULT_MAX_STEPS,
    )
    .option(
      '--max-ops <n>',
      `work bound in micro-ops of the execution (a loop with no visible operation stops at a twentieth of it; default ${DEFAULT_MAX_OPS.toLocaleString('en-US')})`,
      positiveNumber,
      DEFAULT_MAX_OPS,
    )
    .option(
      '--max-executions <n>',
      'budget of the exhaustive exploration `e` starts, in executions',
      positiveNumber,
      20_000,
    )
    .option(
      '--time-limit <seconds>',
      'time budget of the exploration `e` starts, in seconds',
      positiveNumber,
      10,
    )
    .addHelpText(
      'after',
      '\nExit status at quit: 1 when the execution so far has a lost update, a data race, an exception,\na deadlock or a bound hit; 0 otherwise; 2 for bad input.',
    )
    .action((file: string, flags: StepFlags) => {
      track(stepAction(file, flags));
    });
}
