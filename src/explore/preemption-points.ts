/**
 * An execution given by a few preemption points, completed without further preemptions: the
 * shape the fast-check arbitrary generates and shrinks (props/schedule-arbitrary.ts) and the
 * witness shrinker searches (shrink-witness.ts). Any list of points gives a valid execution.
 *
 * Completion rule (non-preemptive, as a preemption bound counts them, Musuvathi & Qadeer, "Iterative
 * context bounding for systematic testing of multithreaded programs", PLDI 2007): the thread
 * that took the last step goes on while it can; when it blocks or ends, the lowest-numbered
 * enabled thread runs (a switch that is no preemption). At a point another thread takes that
 * step instead: a preemption when the thread that took the last step could have gone on. A
 * point is given either as `{ step, thread }` (the `thread`-th enabled thread, ascending ids,
 * modulo their count: every value is a valid choice) or as `{ step, tid }` (that thread, when
 * it can run then; else the point changes nothing). Of two points at one step the first counts.
 *
 * A thread that spins (its run comes back to a state it was in since the run began: `while
 * flag[j] and turn == j: pass` with nobody else moving) waits as a blocked thread does: the next
 * enabled thread after it runs, and that switch is no preemption, as with a yield in a fair
 * scheduler (Musuvathi & Qadeer, "Fair stateless model checking", PLDI 2008). Without it a
 * completed schedule of a spin lock would spin to the step bound. States are compared every
 * SPIN_CHECK steps of a run (a cycle of p steps is seen within SPIN_CHECK × p steps), so that
 * a thread still runs many steps in one go.
 *
 * `decisionsOf` reads the points back off a recorded schedule (every step where the schedule's
 * thread is not the one the rule would run), with the options its `random` calls took: completing
 * them gives that schedule again.
 */
import type { CompiledProgram } from '../compile/ops.js';
import { scheduleLength, type Schedule } from '../schedule/schedule.js';
import type { Invariant, InvariantViolation } from '../session/invariant.js';
import { Session } from '../session/session.js';
import type { Machine } from '../vm/machine.js';
import type { EndStatus } from './outcomes.js';

/** At step `step` (0-based), the `thread`-th enabled thread (ascending ids, modulo their count) runs. */
export interface PreemptionPoint {
  step: number;
  thread: number;
}

/** At step `step` (0-based), thread `tid` runs, when it can then (else the point changes nothing). */
export interface SwitchPoint {
  step: number;
  tid: number;
}

/**
 * When the completion rule would run thread `of` and it has taken `after` steps, thread `tid`
 * runs instead; when `tid` cannot run then, the lowest-numbered other thread that can (a point
 * that preempts `of` stays a preemption when the thread it named has ended). A point placed by
 * the threads' own progress, not by the global step: dropping an earlier point leaves it where
 * it was in the code, which is what the witness shrinker's drops and moves want.
 */
export interface ThreadPoint {
  of: number;
  after: number;
  tid: number;
}

/** Any point: by step and enabled index, by step and thread id, or by a thread's progress. */
export type AnyPoint = PreemptionPoint | SwitchPoint | ThreadPoint;

/** The options of the `random` calls of each thread (by thread id), in the order the thread makes them. */
export type ThreadChoices = ReadonlyMap<number, readonly number[]>;

export interface CompletionOptions {
  /** Steps at most (the execution ends as 'step-bound' there). */
  maxSteps: number;
  /** Work bound in micro-ops (MachineOptions.maxOps; default the machine's). */
  maxOps?: number;
  /**
   * The options `random` calls take: a thread's k-th call takes the k-th option given for it
   * (clamped to the options there are); calls beyond them, and every call without this, take 0.
   */
  choices?: ThreadChoices;
  /** Run the data-race analysis (for a check that reads the end state's races). */
  races?: boolean;
  /**
   * Record, at every step from this one on, each thread that could have taken the step instead of
   * the one the rule ran (the points one more could add), in step order. Steps are then taken one
   * at a time (slower); without it each thread runs up to the next point in one go.
   */
  alternativesFrom?: number;
  /**
   * Steps the execution starts with (a schedule of this program, such as the steps up to an
   * invariant's failure); the points and the rule apply after it, and `preemptions` counts only
   * those after it. Throws ScheduleMismatch when it does not fit.
   */
  prefix?: Schedule;
  /** Invariants checked after every step (session/invariant.ts): the first failure is `violation`. */
  invariants?: readonly Invariant[];
}

/** Steps of a run between two comparisons of the state (spin detection). */
const SPIN_CHECK = 8;

/**
 * The spin detection both the completion and `decisionsOf` apply, step for step alike: the
 * states of the current thread's run every SPIN_CHECK steps, and whether one came back.
 */
class SpinWatch {
  private readonly seen = new Set<string>();
  private runStart = 0;
  private thread = -1;
  spinning = false;

  constructor(private readonly m: Machine) {}

  /** A run of `tid` begins (or goes on, when it is the running thread). */
  begin(tid: number): void {
    if (tid === this.thread) return;
    this.thread = tid;
    this.runStart = this.m.steps;
    this.spinning = false;
    this.seen.clear();
    this.record();
  }

  /** Steps the running thread may take before the next comparison. */
  room(): number {
    const done = this.m.steps - this.runStart;
    return SPIN_CHECK - (done % SPIN_CHECK);
  }

  /** After steps of the run: compare the state when a comparison is due. */
  after(): void {
    if ((this.m.steps - this.runStart) % SPIN_CHECK === 0) this.record();
  }

  /** The thread the rule runs after a spinning `current`: the next enabled one, cyclically. */
  static next(enabled: readonly number[], current: number): number {
    return enabled.find((t) => t > current) ?? enabled[0]!;
  }

  private record(): void {
    const [h, l] = this.m.stateHash();
    const key = `${h}:${l}`;
    if (this.seen.has(key)) this.spinning = true;
    else this.seen.add(key);
  }
}

/** A point one more could add to a completion: a step, a thread, whether it would preempt, and where it is in the progress of the thread the rule would run (`of`, `after`: as a ThreadPoint). */
export interface Alternative extends SwitchPoint {
  preempts: boolean;
  of: number;
  after: number;
}

export interface Completion {
  /** The points that changed the execution (their thread was not the one the rule would run). */
  points: SwitchPoint[];
  /** The same points placed by the threads' progress (ThreadPoint), in step order. */
  threadPoints: ThreadPoint[];
  /** The schedule of the execution (replayable with `run --schedule`). */
  schedule: Schedule;
  /** Steps the execution took (up to `maxSteps`). */
  steps: number;
  /** Points that switched away from a thread that could go on. */
  preemptions: number;
  /** How it ended: the program's end, a deadlock, or a bound (the step bound, the work bound, a spin). */
  status: EndStatus;
  /** The machine at the end (final globals, threads, races when asked for). */
  machine: Machine;
  /** With `alternativesFrom`: the points one more could add from that step on, in step order. */
  alternatives: Alternative[];
  /** The first failure of an invariant given in the options, or null. */
  violation: InvariantViolation | null;
  /** The first failure of each invariant that failed, in order. */
  violations: readonly InvariantViolation[];
}

/** ThreadPoints by the thread they wait for: its steps, ascending, each with the threads to switch to in list order. */
class ThreadPointQueue {
  private readonly byThread = new Map<number, { after: number; tids: number[] }[]>();

  constructor(points: readonly ThreadPoint[]) {
    for (const p of points) {
      const list = this.byThread.get(p.of) ?? [];
      let slot = list.find((s) => s.after === p.after);
      if (slot === undefined) list.push((slot = { after: p.after, tids: [] }));
      slot.tids.push(p.tid);
      this.byThread.set(p.of, list);
    }
    for (const list of this.byThread.values()) list.sort((a, b) => a.after - b.after);
  }

  /** The next thread a point switches to when `of` would run with `after` steps taken (consumed), or undefined. */
  take(of: number, after: number): number | undefined {
    return this.byThread
      .get(of)
      ?.find((s) => s.after === after)
      ?.tids.shift();
  }

  /** Steps `tid` may take in one go from `after` steps before a point of its own is due (Infinity when none). */
  room(tid: number, after: number): number {
    const list = this.byThread.get(tid);
    if (list === undefined) return Infinity;
    for (const s of list) if (s.after > after && s.tids.length > 0) return s.after - after;
    return Infinity;
  }
}

/** The execution of `program` under `points`, completed non-preemptively (see the module's doc). */
export function completePoints(
  program: CompiledProgram,
  points: readonly AnyPoint[],
  options: CompletionOptions,
): Completion {
  const { maxSteps } = options;
  const sorted = points
    .filter((p): p is PreemptionPoint | SwitchPoint => !('of' in p))
    .sort((a, b) => a.step - b.step);
  const queue = new ThreadPointQueue(points.filter((p): p is ThreadPoint => 'of' in p));
  const session = new Session(program, {
    checkpoints: false,
    footprints: false,
    stepCounts: false,
    machine: { lostUpdates: false, races: options.races ?? false, maxOps: options.maxOps },
    invariants: options.invariants,
  });
  const m = session.machine;
  let running = 0;
  const choices = options.choices;
  if (choices !== undefined) {
    const used = new Map<number, number>();
    session.chooser = (n) => {
      const k = used.get(running) ?? 0;
      used.set(running, k + 1);
      return Math.max(0, Math.min(choices.get(running)?.[k] ?? 0, n - 1));
    };
  }
  const watchFrom = options.alternativesFrom ?? Infinity;
  const effective: SwitchPoint[] = [];
  const threadPoints: ThreadPoint[] = [];
  const alternatives: Alternative[] = [];
  /** Steps each thread has taken. */
  const counts: number[] = [];
  let p = 0;
  let preemptions = 0;
  let current = 0;
  if (options.prefix !== undefined) {
    // The prefix's steps as given; the completion goes on from where it ends.
    session.follow(options.prefix);
    session.seek(scheduleLength(options.prefix));
    for (const item of options.prefix.items)
      counts[item.tid] = (counts[item.tid] ?? 0) + (item.kind === 'run' ? item.count : 1);
    current = Math.max(0, session.current);
  }
  const spin = new SpinWatch(m);
  spin.begin(current);
  while (!m.finished && m.halt === null && m.steps < maxSteps) {
    const step = m.steps;
    const enabled = m.enabled();
    if (enabled.length === 0) break;
    const canGoOn = m.isEnabled(current) && !(spin.spinning && enabled.length > 1);
    const goOn = canGoOn ? current : m.isEnabled(current) ? SpinWatch.next(enabled, current) : enabled[0]!;
    let chosen = goOn;
    while (p < sorted.length && sorted[p]!.step < step) p++;
    if (p < sorted.length && sorted[p]!.step === step) {
      const point = sorted[p++]!;
      chosen = 'tid' in point ? point.tid : enabled[point.thread % enabled.length]!;
    } else {
      const named = queue.take(goOn, counts[goOn] ?? 0);
      if (named !== undefined)
        chosen = enabled.includes(named) ? named : (enabled.find((t) => t !== goOn) ?? goOn);
    }
    const tid = enabled.includes(chosen) ? chosen : goOn;
    if (tid !== goOn) {
      effective.push({ step, tid });
      threadPoints.push({ of: goOn, after: counts[goOn] ?? 0, tid });
      if (canGoOn) preemptions++;
    }
    if (step >= watchFrom)
      for (const t of enabled)
        if (t !== goOn)
          alternatives.push({ step, tid: t, preempts: canGoOn, of: goOn, after: counts[goOn] ?? 0 });
    // The thread runs in one go up to the next point (or the bound, or the steps watched one by one).
    let until = step >= watchFrom ? step + 1 : Math.min(maxSteps, watchFrom);
    while (p < sorted.length && sorted[p]!.step <= step) p++;
    if (p < sorted.length) until = Math.min(until, sorted[p]!.step);
    until = Math.min(until, step + queue.room(tid, counts[tid] ?? 0));
    running = tid;
    spin.begin(tid);
    until = Math.min(until, step + spin.room());
    const taken =
      m.status(tid) === 'timeout'
        ? session.takeSteps(tid, 1, true)
        : session.takeSteps(tid, Math.max(1, until - step), false);
    if (taken === 0) break;
    spin.after();
    counts[tid] = (counts[tid] ?? 0) + taken;
    current = tid;
  }
  const status: EndStatus = m.finished
    ? 'completed'
    : m.halt !== null || m.steps >= maxSteps
      ? 'step-bound'
      : 'deadlock';
  return {
    points: effective,
    threadPoints,
    schedule: session.schedule(),
    steps: m.steps,
    preemptions,
    status,
    machine: m,
    alternatives,
    violation: session.violation,
    violations: session.violations,
  };
}

/** A recorded schedule as points and choices (decisionsOf). */
export interface ScheduleDecisions {
  /** Every step where the schedule's thread is not the one the completion rule would run. */
  points: SwitchPoint[];
  /** The same points placed by the threads' progress. */
  threadPoints: ThreadPoint[];
  /** The options its `random` calls took, per thread. */
  choices: Map<number, number[]>;
  /** Its preemptions: points that switched away from a thread that could go on. */
  preemptions: number;
  /** Its steps. */
  steps: number;
}

/**
 * The points and choices of `schedule` on `program` (completing them gives the same execution),
 * or null when the schedule does not fit the program (a thread it gives a step cannot take it).
 */
export function decisionsOf(program: CompiledProgram, schedule: Schedule): ScheduleDecisions | null {
  const session = new Session(program, {
    checkpoints: false,
    footprints: false,
    stepCounts: false,
    machine: { lostUpdates: false, races: false },
  });
  const m = session.machine;
  const choices = new Map<number, number[]>();
  let running = 0;
  let option: number | null = null;
  session.chooser = (n) => {
    const o = Math.max(0, Math.min(option ?? 0, n - 1));
    option = null;
    const list = choices.get(running) ?? [];
    list.push(o);
    choices.set(running, list);
    return o;
  };
  const points: SwitchPoint[] = [];
  const threadPoints: ThreadPoint[] = [];
  const counts: number[] = [];
  let preemptions = 0;
  let current = 0;
  const spin = new SpinWatch(m);
  spin.begin(current);
  for (const item of schedule.items) {
    if (m.finished || m.halt !== null || !m.isEnabled(item.tid)) return null;
    const count = item.kind === 'run' ? item.count : 1;
    // The item's steps in pieces that end where the completion compares states.
    for (let done = 0; done < count; ) {
      const enabled = m.enabled();
      const canGoOn = m.isEnabled(current) && !(spin.spinning && enabled.length > 1);
      const goOn = canGoOn ? current : m.isEnabled(current) ? SpinWatch.next(enabled, current) : enabled[0]!;
      if (item.tid !== goOn) {
        points.push({ step: m.steps, tid: item.tid });
        threadPoints.push({ of: goOn, after: counts[goOn] ?? 0, tid: item.tid });
        if (canGoOn) preemptions++;
      }
      running = item.tid;
      option = item.kind === 'choice' ? item.option : null;
      spin.begin(item.tid);
      const piece = Math.min(count - done, spin.room());
      if (session.takeSteps(item.tid, piece, item.kind === 'timeout') < piece) return null;
      spin.after();
      counts[item.tid] = (counts[item.tid] ?? 0) + piece;
      current = item.tid;
      done += piece;
    }
  }
  return { points, threadPoints, choices, preemptions, steps: m.steps };
}
