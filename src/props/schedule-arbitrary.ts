/**
 * fast-check over the schedules of a program: an Arbitrary whose values are executions given by
 * a few preemption points (props/preemptions.ts), and a property helper that runs a check on
 * each execution and, on failure, reports the shrunk schedule with its replay command.
 *
 * Shrinking: fast-check shrinks the list of points (fewer preemptions first: it drops points)
 * and each point's step toward 0 (earlier) and thread toward 0; every shrunk list is completed
 * into a valid execution again, so the counterexample is an execution with few preemptions.
 * Generation draws few points at uniformly random steps of the execution, as PCT places its
 * priority-change points (Burckhardt et al., "A randomized scheduler with probabilistic
 * guarantees of finding bugs", ASPLOS 2010), so bugs of depth 1–3 come up quickly.
 */
import fc from 'fast-check';
import type { CompiledProgram } from '../compile/ops.js';
import { outcomeOf, wentWrong, type Outcome } from '../report/outcome.js';
import { renderOutcome } from '../report/text.js';
import { runProgram, type RunResult } from '../run/run.js';
import { traceAssertion } from '../run/slice-trace.js';
import { executionRecord } from '../report/record.js';
import type { Invariant } from '../session/invariant.js';
import { encodeSchedule, scheduleLength, type Schedule } from '../schedule/schedule.js';
import { completeSchedule, type CompletedSchedule, type PreemptionPoint } from './preemptions.js';

export interface ScheduleArbitraryOptions {
  /** Preemption points drawn at most in the few-point draws (default 3). */
  maxPreemptions?: number;
  /**
   * Weight of dense draws (4 to 64 points, like a random scheduler's many switches) against
   * few-point draws (weight 3): default 3, 0 for few points only. Dense draws find bugs that
   * need two or three well-placed preemptions sooner; they shrink to few points (and the
   * search for fewer preemptions finishes the job).
   */
  dense?: number;
  /** Step bound of each execution (default 10,000 steps). */
  maxSteps?: number;
}

/** A generated execution: its points, schedule (`.schedule`), steps and preemptions. */
export type GeneratedSchedule = CompletedSchedule & { readonly text: string };

/**
 * An Arbitrary of the executions of `program`, each given by at most `maxPreemptions`
 * preemption points at steps of the execution, shrinking toward fewer preemptions and earlier
 * points. Values print (in fast-check's counterexample) as the schedule string.
 */
export function schedule(
  program: CompiledProgram,
  options: ScheduleArbitraryOptions = {},
): fc.Arbitrary<GeneratedSchedule> {
  const maxSteps = options.maxSteps ?? 10_000;
  wholeAtLeast('maxSteps', maxSteps, 1);
  wholeAtLeast('maxPreemptions', options.maxPreemptions ?? 3, 0);
  if (!(Number.isFinite(options.dense ?? 3) && (options.dense ?? 3) >= 0))
    throw new RangeError(`dense must be a weight of 0 or more, not ${String(options.dense)}`);
  // The steps of the execution with no preemption: the range points are drawn from.
  const horizon = Math.max(1, completeSchedule(program, [], maxSteps).steps);
  const point: fc.Arbitrary<PreemptionPoint> = fc.record({
    step: fc.nat({ max: horizon - 1 }),
    thread: fc.nat({ max: 7 }),
  });
  const few = fc.array(point, { maxLength: options.maxPreemptions ?? 3 });
  const dense = fc.array(point, { minLength: 4, maxLength: Math.max(4, Math.min(64, horizon)) });
  const weight = options.dense ?? 3;
  const points =
    weight <= 0
      ? few
      : fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: few }, { weight, arbitrary: dense });
  return points.map((ps) => generated(program, ps, maxSteps));
}

/** What a check returns: true or nothing when the execution is fine; false or a reason when not. */
export type ExecutionCheck = (result: RunResult, outcome: Outcome) => boolean | string | void;

/** A check that fails on any lost update, data race, exception, deadlock or bound (report/outcome.ts wentWrong), saying which. */
export const nothingWentWrong: ExecutionCheck = (_result, o) => {
  if (!wentWrong(o)) return true;
  if (o.status === 'deadlock') return 'deadlock';
  if (o.status !== 'completed') return `the execution did not end (${o.boundReason ?? 'step bound'})`;
  if (o.exceptions.length > 0) return `${o.exceptions[0]!.thread}: ${o.exceptions[0]!.text}`;
  if (o.lostUpdates.stores > 0) return `${o.lostUpdates.lost} update(s) lost`;
  if (o.violation !== null) return o.violation.message;
  return `data races on ${Object.keys(o.races.byCell).join(', ')}`;
};

/** A check that fails when a store overwrote another thread's update (a lost update). */
export const noLostUpdate: ExecutionCheck = (_result, outcome) =>
  outcome.lostUpdates.stores === 0 || `${outcome.lostUpdates.lost} update(s) lost`;

export interface AssertSchedulesOptions extends ScheduleArbitraryOptions {
  /** fast-check parameters (numRuns, seed, path, ...). */
  fc?: fc.Parameters<[GeneratedSchedule]>;
  /** Executions the search for fewer preemptions after shrinking may run (default 20,000). */
  minimizeRuns?: number;
  /**
   * Invariants checked after every step of every execution (session/invariant.ts, e.g.
   * `mutualExclusion('critical')`): an execution that fails one fails the property.
   */
  invariants?: readonly Invariant[];
}

/** A list of points as a generated value (completed, printable). */
function generated(
  program: CompiledProgram,
  points: readonly PreemptionPoint[],
  maxSteps: number,
): GeneratedSchedule {
  const done = completeSchedule(program, points, maxSteps);
  const text = encodeSchedule(done.schedule);
  return Object.assign(done, {
    text,
    [fc.toStringMethod]: () => `${text} (${done.preemptions} preemptions)`,
  });
}

/**
 * After fast-check's shrinking, which can stop at a local minimum (two points that are each
 * needed where they are, when one point elsewhere would do): every list of fewer points, one
 * and then two, at every step of the failing execution and every thread, in order of steps,
 * within `budget` executions. Returns the first that fails with fewer preemptions, or `failing`.
 */
function fewerPreemptions(
  program: CompiledProgram,
  failing: GeneratedSchedule,
  fails: (s: GeneratedSchedule) => boolean,
  maxSteps: number,
  budget: number,
): GeneratedSchedule {
  const steps = failing.steps;
  const threads = Math.max(1, ...failing.schedule.items.map((i) => i.tid + 1));
  const singles: PreemptionPoint[] = [];
  for (let step = 0; step < steps; step++)
    for (let thread = 0; thread < threads; thread++) singles.push({ step, thread });
  let runs = 0;
  const attempt = (points: PreemptionPoint[]): GeneratedSchedule | null => {
    runs++;
    const s = generated(program, points, maxSteps);
    return s.preemptions < failing.preemptions && fails(s) ? s : null;
  };
  if (failing.preemptions > 1)
    for (const a of singles) {
      if (runs >= budget) return failing;
      const s = attempt([a]);
      if (s !== null) return s;
    }
  if (failing.preemptions > 2)
    for (let i = 0; i < singles.length; i++)
      for (let j = i + 1; j < singles.length; j++) {
        if (runs >= budget) return failing;
        if (singles[j]!.step === singles[i]!.step) continue;
        const s = attempt([singles[i]!, singles[j]!]);
        if (s !== null) return s;
      }
  return failing;
}

/** Thrown by assertSchedules: the shrunk execution, and the fast-check seed and path that find it again. */
export class ScheduleCheckFailure extends Error {
  constructor(
    message: string,
    readonly execution: GeneratedSchedule,
    readonly seed: number,
    readonly path: string,
    /** Why the execution fails (an invariant's message, the check's reason). */
    readonly reason: string,
    /** The execution explained: its replay command and `run`'s report. */
    readonly explained: ExplainedExecution,
  ) {
    super(message);
    this.name = 'ScheduleCheckFailure';
  }
}

/**
 * Run `check` on the executions of `program` that fast-check draws from `schedule(program)`.
 * Returns the number of executions checked. Throws ScheduleCheckFailure when one fails, after
 * shrinking: its message names the reason, the number of preemptions, the replay command
 * (`npx interleave run FILE --schedule ...`), fast-check's seed and path, and `run`'s report of
 * the execution (the lost-update window in the program's own lines).
 */
export function assertSchedules(
  program: CompiledProgram,
  check: ExecutionCheck = nothingWentWrong,
  options: AssertSchedulesOptions = {},
): number {
  const maxSteps = options.maxSteps ?? 10_000;
  const reasons = new Map<string, string>();
  const invariants = options.invariants ?? [];
  const run = (s: GeneratedSchedule): RunResult =>
    runProgram(program, { schedule: s.schedule, maxSteps, invariants });
  const holds = (s: GeneratedSchedule): boolean => {
    const result = run(s);
    if (result.violation !== null) {
      reasons.set(s.text, result.violation.message);
      return false;
    }
    const verdict = check(result, outcomeOf(result));
    if (verdict === undefined || verdict === true) return true;
    reasons.set(s.text, verdict === false ? 'the check returned false' : verdict);
    return false;
  };
  const details = fc.check(fc.property(schedule(program, options), holds), options.fc ?? {});
  if (!details.failed) return details.numRuns;
  const shrunk = details.counterexample?.[0];
  const s =
    shrunk === undefined
      ? undefined
      : fewerPreemptions(program, shrunk, (x) => !holds(x), maxSteps, options.minimizeRuns ?? 20_000);
  if (s === undefined)
    throw details.errorInstance ?? new Error('fast-check stopped without a counterexample');
  const explained = explainExecution(program, s.schedule, { maxSteps, invariants });
  const reason = reasons.get(s.text) ?? 'the check failed';
  const message = [
    `${reason}, after ${details.numRuns} executions`,
    `shrunk to ${s.preemptions} preemption${s.preemptions === 1 ? '' : 's'}: ${s.text}`,
    `replay: ${explained.replay}`,
    `fast-check: { seed: ${details.seed}, path: "${details.counterexamplePath ?? ''}" }${s === shrunk ? '' : ` (shrunk there to ${shrunk!.preemptions} preemptions, then a search found ${s.preemptions})`}`,
    '',
    explained.report,
  ].join('\n');
  throw new ScheduleCheckFailure(
    message,
    s,
    details.seed,
    details.counterexamplePath ?? '',
    reason,
    explained,
  );
}

/** An execution explained: `run`'s report of it (lost-update windows, the slice of an invariant's failure) and its replay command. */
export interface ExplainedExecution {
  result: RunResult;
  outcome: Outcome;
  /** `npx interleave run FILE --schedule ...` (with the bounds it needs). */
  replay: string;
  /** `run`'s text report, without its trailing newline. */
  report: string;
}

/** Replay `schedule` on `program` (checking `invariants`) and explain it as `run` does. */
export function explainExecution(
  program: CompiledProgram,
  schedule: Schedule,
  options: {
    maxSteps?: number;
    invariants?: readonly Invariant[];
    /** The schedule is a prefix: stop where it ends (the replay gets `--max-steps` to match). */
    stopAtEnd?: boolean;
  } = {},
): ExplainedExecution {
  const invariants = options.invariants ?? [];
  const maxSteps = options.stopAtEnd === true ? scheduleLength(schedule) : (options.maxSteps ?? 10_000);
  const result = runProgram(program, { schedule, maxSteps, invariants });
  const record = executionRecord(result, maxSteps);
  const slices = { violation: record.slice, assertion: traceAssertion(result) };
  const report = renderOutcome(result, record, record.windows, null, slices).trimEnd();
  return { result, outcome: record, replay: record.replay, report };
}

/** RangeError unless `value` is a whole number of at least `min`. */
export function wholeAtLeast(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be a whole number of at least ${min}, not ${String(value)}`);
}
