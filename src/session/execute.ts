/**
 * The run loop shared by every strategy: ask the strategy for a thread, let the session take
 * its steps (the session records the schedule), and stop at the end of the program, a
 * deadlock, the step bound, or where a replayed schedule stops fitting.
 */
import type { Session } from './session.js';
import type { Schedule } from '../schedule/schedule.js';
import type { Divergence, Strategy } from '../schedule/strategies.js';

export type ExecutionStatus = 'completed' | 'deadlock' | 'step-bound' | 'diverged';

export interface ExecutionResult {
  /** How the execution ended; 'diverged' when a replayed schedule stopped fitting and nothing continued it. */
  status: ExecutionStatus;
  /** Visible steps taken. */
  steps: number;
  /** Why the run hit a bound (the step bound, or a thread spinning without visible ops). */
  boundReason: string | null;
  /** Where the strategy's schedule stopped fitting (replay), or null. */
  divergence: Divergence | null;
  /** The schedule that replays this execution (built on first use: it can be millions of items). */
  readonly schedule: Schedule;
}

export interface ExecuteOptions {
  /** Step bound (visible steps); the run ends as 'step-bound' when it is reached. */
  maxSteps: number;
  /** Stop (as 'step-bound', reason 'stopped') once this many steps have been taken. */
  stopAtStep?: number;
  /**
   * Trace only the steps in these [from, to] ranges (sorted, inclusive): the machine's tracer
   * is switched on and off at their boundaries, so the steps outside run at full speed.
   */
  traceRanges?: [number, number][];
  /**
   * Where the strategy diverges (a replayed schedule that does not fit), continue with this
   * strategy from that point instead of stopping; the divergence is still reported.
   */
  afterDivergence?: Strategy;
}

/**
 * Run `session` to the end under `strategy`. Never throws for a schedule that does not fit:
 * the result carries the Divergence (step and reason). Never hangs: the step bound and the
 * VM's spin limit bound every run.
 */
export function execute(session: Session, initial: Strategy, options: ExecuteOptions): ExecutionResult {
  const machine = session.machine;
  const view = session.view;
  let strategy = initial;
  const follow = (s: Strategy): void => {
    strategy = s;
    session.chooser = (n, step) => s.choose(n, step);
    session.yieldAfterStart = s.yieldAfterStart ?? false;
  };
  follow(initial);
  let divergence: Divergence | null = null;
  /** A divergence stops the run, or hands it to `afterDivergence`. Returns whether to stop. */
  const diverged = (): boolean => {
    const d = strategy.divergence ?? null;
    if (d === null || strategy !== initial) return false;
    divergence = d;
    if (options.afterDivergence === undefined) return true;
    follow(options.afterDivergence);
    return false;
  };
  const limit = Math.min(options.maxSteps, options.stopAtStep ?? Infinity);
  const tracer = machine.tracer;
  const ranges = options.traceRanges ?? null;
  let range = 0;
  /** The next step at which tracing switches on or off, when tracing by ranges. */
  const nextBoundary = (): number => {
    if (ranges === null) return Infinity;
    while (range < ranges.length && machine.steps > ranges[range]![1]) range++;
    const r = ranges[range];
    if (r === undefined) {
      machine.tracer = null;
      return Infinity;
    }
    const inside = machine.steps >= r[0];
    machine.tracer = inside ? tracer : null;
    return inside ? r[1] + 1 : r[0];
  };
  let status: ExecutionStatus;
  let boundReason: string | null = null;
  for (;;) {
    if (machine.halt !== null) {
      status = 'step-bound';
      boundReason = machine.halt.reason;
      break;
    }
    if (machine.finished) {
      status = 'completed';
      break;
    }
    if (machine.steps >= limit) {
      status = 'step-bound';
      boundReason =
        machine.steps >= options.maxSteps
          ? `step bound of ${options.maxSteps.toLocaleString('en-US')} steps reached (raise it with --max-steps)`
          : 'stopped';
      break;
    }
    const decision = strategy.pick(view);
    if (decision === null) {
      const picker = strategy;
      if (diverged()) {
        status = 'diverged';
        break;
      }
      if (strategy === picker) {
        status = 'deadlock';
        break;
      }
      continue; // the strategy that continues past the divergence picks from here
    }
    const timeout = machine.status(decision.tid) === 'timeout';
    const boundary = nextBoundary();
    const budget = timeout ? 1 : Math.min(decision.steps, limit - machine.steps, boundary - machine.steps);
    const start = machine.steps;
    const taken = session.takeSteps(decision.tid, budget, timeout);
    if (taken === 0 && machine.halt === null) {
      // A strategy picked a thread that cannot run: a bug in the strategy, not in the program.
      throw new Error(
        `${strategy.name} scheduler picked thread ${decision.tid}, which could not take a step (step ${start})`,
      );
    }
    strategy.stepped?.(decision, start, taken, budget, view, machine.finished || machine.halt !== null);
    if (diverged()) {
      status = 'diverged';
      break;
    }
  }
  if (status === 'completed' || status === 'deadlock') {
    strategy.ended?.(status, view);
    if (diverged()) status = 'diverged';
  }
  let schedule: Schedule | undefined;
  return {
    status,
    steps: machine.steps,
    boundReason,
    divergence,
    get schedule(): Schedule {
      schedule ??= session.schedule();
      return schedule;
    },
  };
}
