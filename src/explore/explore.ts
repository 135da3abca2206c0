/**
 * Exploring many executions of a program and collecting their distinct outcomes, with one of
 * three strategies:
 *
 *   exhaustive  optimal DPOR (dpor.ts): every Mazurkiewicz trace once; complete unless a bound stops it
 *   random      N runs of the uniform random scheduler, seeds seed..seed+N-1
 *   pct         N runs of PCT with depth d (pct.ts)
 *
 * Random and PCT runs report how many runs it took to reach the first failure (a deadlock or
 * an uncaught exception) and the seed and schedule of every failing run.
 */
import type { CompiledProgram } from '../compile/ops.js';
import { execute } from '../session/execute.js';
import { scheduleLength, truncateSchedule, type Schedule } from '../schedule/schedule.js';
import type { Invariant, InvariantViolation } from '../session/invariant.js';
import { DEFAULT_SLICE } from '../run/run.js';
import { TimeSliceStrategy, UniformStrategy, type Strategy } from '../schedule/strategies.js';
import { Session } from '../session/session.js';
import type { Machine } from '../vm/machine.js';
import { explorePOR, type StopReason } from './dpor.js';
import type { DrivenExecution } from './execution.js';
import { endState, outcomeKey, OutcomeTable, type EndState, type EndStatus } from './outcomes.js';
import { PctStrategy } from './pct.js';
import { shrinkTable, type ShrinkOptions } from './shrink-witness.js';
import { wholeViolationWitnesses } from './violation-witness.js';
import { exploreStates, type Livelock } from './stateful.js';

export type StrategyName = 'exhaustive' | 'random' | 'pct';

export interface ExploreOptions {
  strategy?: StrategyName;
  /** Random and PCT: number of runs (default 1000). */
  runs?: number;
  /** Random and PCT: the first seed (default 1). */
  seed?: number;
  /** PCT depth d (default 2). */
  depth?: number;
  /** Random: the scheduler of the runs (default uniform: any enabled thread at every step). */
  randomScheduler?: 'uniform' | 'time-slice';
  maxExecutions?: number;
  timeLimitMs?: number;
  preemptionBound?: number;
  /** Steps per execution (default 100,000 for exhaustive search, 100 million for runs). */
  maxSteps?: number;
  /** Called every so often with the executions done so far. */
  onProgress?: (executions: number, outcomes: number) => void;
  /** Stop as soon as this returns true (checked after every execution). */
  until?: (table: OutcomeTable) => boolean;
  /** Exhaustive: end at the first execution cut by the step bound. */
  stopOnTruncation?: boolean;
  /**
   * Exhaustive: when an execution is cut by the step bound (a spin loop), end the DPOR search
   * there and explore the state graph instead (stateful.ts), whose visited set makes spinning
   * finite; its outcomes replace DPOR's when it completes. States visited at most (default 2 million).
   */
  statefulFallback?: { maxStates?: number; livelocks?: boolean };
  /**
   * Exhaustive: explore only the continuations of this prefix (a schedule of this program, the
   * steps every execution starts with; see dpor.ts). Witness schedules include it. Throws
   * ScheduleMismatch when it does not fit the program, RangeError with another strategy.
   */
  prefix?: Schedule;
  /**
   * Invariants checked after every step of every execution (session/invariant.ts); their
   * failures are in `table.violations`. Exhaustive search stays sound: the steps that change
   * what they read are visible operations to the reduction.
   */
  invariants?: readonly Invariant[];
  /** Ends the exploration once aborted (incomplete, stopped by 'stopped'); checked between executions. */
  signal?: AbortSignal;
  /**
   * Random and PCT: shrink every witness before returning (explore/shrink-witness.ts): each
   * outcome's to the fewest preemptions that reach the same outcome, each race's to the fewest
   * that race on the same cell, and each failing run's to its outcome's, each within
   * `budget` executions (default 2,000), and within `timeLimitMs` when it is given (shrinking
   * stops there, keeping what it has). False keeps the witnesses as the runs found them.
   * Exhaustive search keeps its own (the fewest preemptions among the executions it explored).
   */
  shrink?: false | Omit<ShrinkOptions, 'deadline' | 'races'>;
}

export interface Failure {
  run: number;
  seed: number;
  /** The run's schedule, or a shorter one to the same outcome when shrinking found one (`shrunkFrom`). */
  schedule: Schedule;
  state: EndState;
  /** The run's first invariant failure, if any (a run that fails one is a failure). */
  violation?: InvariantViolation;
  /** Preemptions of `schedule`. */
  preemptions: number;
  /** When `schedule` is the outcome's shrunk witness: the preemptions of the run's own schedule. */
  shrunkFrom?: number;
}

export interface Exploration {
  strategy: StrategyName;
  table: OutcomeTable;
  /** Whether every trace was explored (exhaustive only). */
  complete: boolean;
  stoppedBy: StopReason[];
  /** Exhaustive: interleavings of the threads' steps without reduction, when that count is closed-form. */
  interleavings: bigint | null;
  /** Exhaustive: steps per thread when every execution had the same. */
  stepsPerThread: number[] | null;
  /** Random / PCT: failing runs, in order. */
  failures: Failure[];
  /** Exhaustive with a prefix: its length in steps (the executions are its continuations). */
  prefixSteps?: number;
  /**
   * Exhaustive with a stateful fallback that ran: the states it visited, whether it completed,
   * and (asked for with `livelocks`, after a complete search) the states no execution can end from.
   */
  stateful?: { states: number; complete: boolean; livelock?: Livelock | null };
}

function statusOf(machine: Machine, truncated: boolean): EndStatus {
  if (machine.finished) return 'completed';
  return truncated ? 'step-bound' : 'deadlock';
}

/**
 * A failure: a deadlock, an uncaught exception, or an execution that did not end (cut by the
 * step bound, or a thread spinning without end). Data races are failures too, of the exploration
 * as a whole (`explore` exits 1 for them), not of one outcome.
 */
export function isFailure(s: EndState): boolean {
  return s.status !== 'completed' || s.exceptions.length > 0;
}

function factorial(n: number): bigint {
  let f = 1n;
  for (let i = 2n; i <= BigInt(n); i++) f *= i;
  return f;
}

/**
 * Thread steps beyond which the closed-form count is not computed: (Σk)! of 240,000 steps takes
 * minutes in BigInt arithmetic and prints a million digits.
 */
const MAX_CLOSED_FORM_STEPS = 2000;

/** (Σk)! / Πk!: interleavings of sequences of k_i steps. */
export function multinomial(ks: number[]): bigint {
  let r = factorial(ks.reduce((a, b) => a + b, 0));
  for (const k of ks) r /= factorial(k);
  return r;
}

function exhaustive(program: CompiledProgram, options: ExploreOptions): Exploration {
  const table = new OutcomeTable();
  let stepsPerThread: number[] | null = null;
  let sameShape = true;
  const result = explorePOR(program, {
    maxExecutions: options.maxExecutions,
    timeLimitMs: options.timeLimitMs,
    preemptionBound: options.preemptionBound,
    maxSteps: options.maxSteps,
    stopOnTruncation: options.stopOnTruncation,
    prefix: options.prefix,
    invariants: options.invariants,
    signal: options.signal,
    onExecution: (run: DrivenExecution) => {
      const state = endState(run.machine, statusOf(run.machine, run.truncated));
      table.add(state, run.preemptions, () => run.schedule());
      // The first failure of each invariant.
      for (const v of run.session.violations)
        table.addViolation(v, run.preemptionsUpTo(v.step + 1), () =>
          truncateSchedule(run.schedule(), v.step + 1),
        );
      // The closed form applies when no step blocks or chooses and every execution has the same shape.
      const counts = new Array<number>(run.machine.threads.length).fill(0);
      for (const e of run.events) {
        counts[e.tid]!++;
        if (e.kind.waits.length > 0 || e.choices > 0 || e.timeout) sameShape = false;
      }
      if (stepsPerThread === null) stepsPerThread = counts;
      else if (counts.join() !== (stepsPerThread as number[]).join()) sameShape = false;
      if (table.executions % 256 === 0) options.onProgress?.(table.executions, table.entries.length);
      return options.until?.(table) ?? false;
    },
  });
  // The closed form counts the interleavings of whole executions, not of continuations.
  const whole = options.prefix === undefined || scheduleLength(options.prefix) === 0;
  const spawned =
    whole && sameShape && stepsPerThread !== null ? (stepsPerThread as number[]).slice(1) : null;
  return {
    strategy: 'exhaustive',
    table,
    complete: result.complete,
    stoppedBy: result.stoppedBy,
    interleavings:
      spawned !== null && spawned.length > 1 && spawned.reduce((a, b) => a + b, 0) <= MAX_CLOSED_FORM_STEPS
        ? multinomial(spawned)
        : null,
    stepsPerThread: whole && sameShape ? stepsPerThread : null,
    failures: [],
    ...(whole ? {} : { prefixSteps: scheduleLength(options.prefix!) }),
  };
}

function sampled(
  program: CompiledProgram,
  options: ExploreOptions,
  make: (seed: number, estimate: number) => Strategy,
): Exploration {
  const table = new OutcomeTable();
  const failures: Failure[] = [];
  const runs = options.runs ?? 1000;
  const first = options.seed ?? 1;
  const deadline = options.timeLimitMs === undefined ? Infinity : Date.now() + options.timeLimitMs;
  const stoppedBy: StopReason[] = [];
  let estimate = 0;
  for (let i = 0; i < runs; i++) {
    if (Date.now() > deadline) {
      stoppedBy.push('time-limit');
      break;
    }
    if (options.signal?.aborted === true) {
      stoppedBy.push('stopped');
      break;
    }
    const seed = first + i;
    const session = new Session(program, {
      checkpoints: false,
      machine: { lostUpdates: false },
      invariants: options.invariants,
    });
    const machine = session.machine;
    const counted = countingPreemptions(make(seed, estimate));
    const result = execute(session, counted.strategy, { maxSteps: options.maxSteps ?? 100_000_000 });
    estimate = Math.max(estimate, result.steps);
    if (result.status === 'diverged') throw new Error('a random or PCT run cannot leave its schedule');
    const state = endState(machine, result.status);
    const preemptions = counted.preemptions();
    table.add(state, preemptions, () => result.schedule);
    const violation = session.violation;
    // The preemptions of the whole run: at least those up to each failure.
    for (const v of session.violations)
      table.addViolation(v, preemptions, () => truncateSchedule(result.schedule, v.step + 1));
    if (isFailure(state) || violation !== null)
      failures.push({
        run: i + 1,
        seed,
        schedule: result.schedule,
        state,
        preemptions,
        ...(violation === null ? {} : { violation }),
      });
    if (table.executions % 64 === 0) options.onProgress?.(table.executions, table.entries.length);
    if (options.until?.(table) === true) break;
  }
  if (options.shrink !== false) {
    shrinkTable(program, table, {
      ...options.shrink,
      ...(Number.isFinite(deadline) ? { deadline } : {}),
    });
    const shrunk = new Map(table.entries.map((e) => [e.key, e.witness]));
    for (const f of failures) {
      const w = shrunk.get(outcomeKey(f.state));
      if (w === undefined || w.maxSteps !== undefined || w.preemptions >= f.preemptions) continue;
      f.shrunkFrom = f.preemptions;
      f.schedule = w.schedule;
      f.preemptions = w.preemptions;
    }
  }
  return {
    strategy: options.strategy ?? 'random',
    table,
    complete: false,
    stoppedBy,
    interleavings: null,
    stepsPerThread: null,
    failures,
  };
}

/**
 * `s`, counting the preemptions of the execution it schedules: picks of another thread while
 * the thread that took the last step could go on (as exhaustive search counts them).
 */
function countingPreemptions(s: Strategy): { strategy: Strategy; preemptions: () => number } {
  let preemptions = 0;
  const strategy: Strategy = {
    name: s.name,
    yieldAfterStart: s.yieldAfterStart,
    pick(view) {
      const d = s.pick(view);
      if (d !== null && view.current >= 0 && d.tid !== view.current && view.isEnabled(view.current))
        preemptions++;
      return d;
    },
    choose: (n, step) => s.choose(n, step),
    stepped: (...args) => s.stepped?.(...args),
    ended: (...args) => s.ended?.(...args),
    get divergence() {
      return s.divergence;
    },
  };
  return { strategy, preemptions: () => preemptions };
}

/**
 * Explore `program` with the chosen strategy. The witnesses of invariant failures are whole
 * executions, shrunk as the others are (violation-witness.ts).
 */
export function exploreProgram(program: CompiledProgram, options: ExploreOptions = {}): Exploration {
  const x = exploreWith(program, options);
  if (x.table.violations.size > 0)
    wholeViolationWitnesses(
      program,
      x.table,
      options.invariants ?? [],
      options.maxSteps ?? 100_000,
      options.shrink === false ? false : { ...options.shrink },
    );
  return x;
}

function exploreWith(program: CompiledProgram, options: ExploreOptions): Exploration {
  const strategy = options.strategy ?? 'exhaustive';
  if (options.prefix !== undefined && strategy !== 'exhaustive')
    throw new RangeError(`a prefix applies to the exhaustive strategy only, not ${strategy}`);
  if (strategy === 'exhaustive') {
    const fallback = options.statefulFallback;
    if (fallback === undefined) return exhaustive(program, options);
    const started = Date.now();
    const x = exhaustive(program, { ...options, stopOnTruncation: true });
    if (!x.stoppedBy.includes('step-bound')) return x;
    const left =
      options.timeLimitMs === undefined
        ? undefined
        : Math.max(1, options.timeLimitMs - (Date.now() - started));
    const st = exploreStates(program, {
      maxStates: fallback.maxStates,
      timeLimitMs: left,
      prefix: options.prefix,
      invariants: options.invariants,
      signal: options.signal,
      livelocks: fallback.livelocks,
    });
    const stateful = {
      states: st.states,
      complete: st.complete,
      ...(st.livelock === undefined ? {} : { livelock: st.livelock }),
    };
    if (!st.complete) return { ...x, stoppedBy: [...new Set([...x.stoppedBy, ...st.stoppedBy])], stateful };
    return {
      ...x,
      table: st.table,
      complete: true,
      stoppedBy: [],
      interleavings: null,
      stepsPerThread: null,
      stateful,
    };
  }
  if (strategy === 'random') {
    return sampled(program, options, (seed) =>
      options.randomScheduler === 'time-slice'
        ? new TimeSliceStrategy(seed, DEFAULT_SLICE)
        : new UniformStrategy(seed),
    );
  }
  return sampled(
    program,
    { ...options, strategy: 'pct' },
    (seed, estimate) => new PctStrategy(seed, options.depth ?? 2, Math.max(estimate, 1)),
  );
}
