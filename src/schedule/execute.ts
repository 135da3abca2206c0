/**
 * The run loop shared by every strategy: ask the strategy for a thread, let the VM run it,
 * record the schedule, and stop at the end of the program, a deadlock, or the step bound.
 */
import type { Machine } from '../vm/machine.js';
import { ScheduleRecorder, type Schedule } from './schedule.js';
import { ReplayStrategy, ScheduleMismatch, type Strategy } from './strategies.js';

export type ExecutionStatus = 'completed' | 'deadlock' | 'step-bound';

export interface ExecutionResult {
  status: ExecutionStatus;
  /** Visible steps taken. */
  steps: number;
  /** Why the run hit a bound (the step bound, or a thread spinning without visible ops). */
  boundReason: string | null;
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
}

/**
 * Run `machine` to the end under `strategy`. Throws ScheduleMismatch when a replayed schedule
 * does not fit; never hangs (the step bound and the VM's spin limit bound every run).
 */
export function execute(machine: Machine, strategy: Strategy, options: ExecuteOptions): ExecutionResult {
  const recorder = new ScheduleRecorder(machine.program.fingerprint);
  machine.chooser = (n, step) => {
    const option = strategy.choose(n, step);
    recorder.choice(step, option);
    return option;
  };
  strategy.prepare?.(machine);
  const replay = strategy instanceof ReplayStrategy ? strategy : null;
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
    const decision = strategy.pick(machine);
    if (decision === null) {
      status = 'deadlock';
      break;
    }
    const timeout = machine.status(decision.tid) === 'timeout';
    const boundary = nextBoundary();
    const budget = timeout ? 1 : Math.min(decision.steps, limit - machine.steps, boundary - machine.steps);
    const start = machine.steps;
    const taken = machine.run(decision.tid, budget, timeout);
    if (taken === 0 && machine.halt === null) {
      throw new ScheduleMismatch(start, `thread ${decision.tid} could not take a step`);
    }
    recorder.steps(decision.tid, start, taken, machine.lastTimedOut);
    if (replay !== null) {
      if (taken < budget && !machine.finished && machine.halt === null) {
        const st = machine.status(decision.tid);
        throw new ScheduleMismatch(
          machine.steps,
          `thread ${decision.tid} is ${st === 'finished' ? 'finished' : 'blocked'} after ${taken} of the ${budget} steps the schedule gives it`,
        );
      }
      replay.advance(taken);
      replay.checkChoiceUsed(start);
    }
  }
  // Items after the end of the program or a deadlock are refused: they were never steps.
  if (replay !== null && status === 'completed' && !replay.exhausted) {
    throw new ScheduleMismatch(
      machine.steps,
      `the program ended before the schedule did: ${replay.describeRest()} is left over`,
    );
  }
  if (replay !== null && status === 'deadlock' && !replay.exhausted) {
    throw new ScheduleMismatch(
      machine.steps,
      `the program deadlocked before the schedule ended: ${replay.describeRest()} is left over`,
    );
  }
  let schedule: Schedule | undefined;
  return {
    status,
    steps: machine.steps,
    boundReason,
    get schedule(): Schedule {
      schedule ??= recorder.schedule();
      return schedule;
    },
  };
}
