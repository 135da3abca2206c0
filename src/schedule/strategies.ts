/**
 * Schedulers: interchangeable pickers over one run loop (`execute`). Each decides which
 * enabled thread runs next and for how many steps, and answers `random` choices. A strategy
 * sees the execution through a SchedulingView (which threads can run, the step, the last
 * thread), never the machine itself.
 *
 * - uniform:     any enabled thread at every visible step, uniformly (the classic random walk).
 * - time-slice:  the chosen thread runs a random number of steps (uniform in 1..2·slice-1,
 *                mean `slice`) before the next choice, as an OS or the GIL would.
 * - round-robin: threads in turn, `slice` steps each.
 * - replay:      follows a recorded schedule; where it does not fit, it reports a Divergence
 *                (as data: the step and why) instead of a decision.
 */
import type { ThreadStatus } from '../vm/machine.js';
import { Rng } from './rng.js';
import type { Schedule, ScheduleItem } from './schedule.js';

export interface Decision {
  tid: number;
  /** How many steps the thread may take (it stops earlier if it blocks or ends). */
  steps: number;
}

/** What a strategy sees of the execution it schedules. */
export interface SchedulingView {
  /** Steps taken so far. */
  readonly step: number;
  /** Threads started so far: their ids are 0 .. threadCount − 1 (0 is MainThread). */
  readonly threadCount: number;
  /** The thread that took the last step, or −1 before the first step. */
  readonly current: number;
  /** Threads that can take a step now (a thread that can only time out included), ascending. */
  enabled(): number[];
  isEnabled(tid: number): boolean;
  status(tid: number): ThreadStatus;
  /** Threads not finished yet, and the id of the i-th of them (0 ≤ i < liveCount), for sampling without a scan. */
  readonly liveCount: number;
  liveThread(i: number): number;
}

/** Where an execution left the schedule it replays: the step, and why the schedule does not fit there. */
export interface Divergence {
  step: number;
  reason: string;
}

export interface Strategy {
  readonly name: string;
  /**
   * Whether a thread's `start()` ends the current decision's steps and hands over to the new
   * thread, as CPython's Thread.start() waits for the new thread to begin (default false).
   */
  readonly yieldAfterStart?: boolean;
  /**
   * Pick a thread that can take a step, or return null when none can (a deadlock) or, for a
   * strategy with a `divergence`, when the execution no longer fits it.
   */
  pick(view: SchedulingView): Decision | null;
  /** An option in [0, n) for a `random` call during step `step`. */
  choose(n: number, step: number): number;
  /**
   * The run loop reports what became of a decision: from step `start`, thread `decision.tid`
   * took `taken` of the `budget` steps it was given (at most `decision.steps`: the step bound
   * or a trace boundary can cut it), and whether the program ended or halted on the way.
   */
  stepped?(
    decision: Decision,
    start: number,
    taken: number,
    budget: number,
    view: SchedulingView,
    ended: boolean,
  ): void;
  /** The run loop reports how the execution ended (replay refuses a schedule with steps left over). */
  ended?(status: 'completed' | 'deadlock', view: SchedulingView): void;
  /** Where the execution stopped fitting the strategy (replay only), or null while it fits. */
  readonly divergence?: Divergence | null;
}

/** A schedule that does not fit the program, for callers that treat a Divergence as an error. */
export class ScheduleMismatch extends Error {
  constructor(
    readonly step: number,
    readonly reason: string,
  ) {
    super(`schedule does not fit at step ${step}: ${reason}`);
  }

  static of(d: Divergence): ScheduleMismatch {
    return new ScheduleMismatch(d.step, d.reason);
  }
}

export class UniformStrategy implements Strategy {
  readonly name = 'uniform';
  private readonly rng: Rng;
  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }
  pick(view: SchedulingView): Decision | null {
    // Rejection sampling over the live threads: uniform over the enabled ones, without
    // scanning all of them at every step (the lesson runs 101 threads for 10 million steps).
    const live = view.liveCount;
    for (let attempt = 0; attempt < 4 && live > 0; attempt++) {
      const tid = view.liveThread(this.rng.below(live));
      if (view.isEnabled(tid)) return { tid, steps: 1 };
    }
    const enabled = view.enabled();
    return enabled.length === 0 ? null : { tid: enabled[this.rng.below(enabled.length)]!, steps: 1 };
  }
  choose(n: number): number {
    return this.rng.below(n);
  }
}

export class TimeSliceStrategy implements Strategy {
  readonly name = 'time-slice';
  private readonly rng: Rng;
  private knownThreads = 1;
  constructor(
    readonly seed: number,
    /** Mean slice length in steps. */
    readonly slice: number,
  ) {
    this.rng = new Rng(seed);
  }
  /** Like CPython's Thread.start(), which waits for the new thread to begin, a start hands over to the new thread. */
  readonly yieldAfterStart = true;
  pick(view: SchedulingView): Decision | null {
    const enabled = view.enabled();
    if (enabled.length === 0) return null;
    const steps = this.slice <= 1 ? 1 : this.rng.between(1, 2 * this.slice - 1);
    if (view.threadCount > this.knownThreads) {
      this.knownThreads = view.threadCount;
      const newest = view.threadCount - 1;
      if (enabled.includes(newest)) return { tid: newest, steps };
    }
    return { tid: enabled[this.rng.below(enabled.length)]!, steps };
  }
  choose(n: number): number {
    return this.rng.below(n);
  }
}

export class RoundRobinStrategy implements Strategy {
  readonly name = 'round-robin';
  private last = -1;
  constructor(readonly slice: number) {}
  pick(view: SchedulingView): Decision | null {
    const enabled = view.enabled();
    if (enabled.length === 0) return null;
    const next = enabled.find((tid) => tid > this.last) ?? enabled[0]!;
    this.last = next;
    return { tid: next, steps: this.slice };
  }
  choose(): number {
    return 0;
  }
}

export class ReplayStrategy implements Strategy {
  readonly name = 'replay';
  divergence: Divergence | null = null;
  private index = 0;
  /** Steps already taken from the current run item. */
  private used = 0;
  private pendingChoice: number | null = null;
  /** Whether the last pick came from a run item (only those are consumed by `stepped`). */
  private pickedRun = false;

  constructor(readonly schedule: Schedule) {}

  /** Whether every item has been used. */
  get exhausted(): boolean {
    return this.index >= this.schedule.items.length;
  }

  /** The first item not used yet, as `item N of M (text)`, for refusing the rest of a schedule. */
  describeRest(): string {
    const items = this.schedule.items;
    const item = items[this.index];
    if (item === undefined) return 'no item';
    const text =
      item.kind === 'timeout'
        ? `${item.tid}t`
        : item.kind === 'choice'
          ? `${item.tid}=${item.option}`
          : `${item.tid}*${item.count - this.used}`;
    return `item ${this.index + 1} of ${items.length} (${text})`;
  }

  pick(view: SchedulingView): Decision | null {
    const enabled = view.enabled();
    if (enabled.length === 0) return null;
    const item: ScheduleItem | undefined = this.schedule.items[this.index];
    this.pickedRun = false;
    if (item === undefined)
      return this.diverge(
        view.step,
        `the schedule ends here but the program has not (${enabled.length === 1 ? 'thread' : 'threads'} ${enabled.join(', ')} can still run)`,
      );
    const status = view.status(item.tid);
    if (status === 'finished' && item.tid >= view.threadCount)
      return this.diverge(
        view.step,
        `thread ${item.tid} does not exist (threads started so far: 0..${view.threadCount - 1})`,
      );
    if (item.kind === 'timeout') {
      if (status !== 'timeout')
        return this.diverge(view.step, `thread ${item.tid} cannot time out here (it is ${describe(status)})`);
      this.index++;
      return { tid: item.tid, steps: 1 };
    }
    if (status !== 'enabled') {
      const hint = status === 'timeout' ? `; it can only time out (write ${item.tid}t)` : '';
      return this.diverge(view.step, `thread ${item.tid} is not enabled (it is ${describe(status)}${hint})`);
    }
    if (item.kind === 'choice') {
      this.pendingChoice = item.option;
      this.index++;
      return { tid: item.tid, steps: 1 };
    }
    this.pickedRun = true;
    return { tid: item.tid, steps: item.count - this.used };
  }

  /** A decision took `taken` steps: it must have taken all of them, and used its choice. */
  stepped(
    decision: Decision,
    start: number,
    taken: number,
    budget: number,
    view: SchedulingView,
    ended: boolean,
  ): void {
    if (taken < budget && !ended) {
      const st = view.status(decision.tid);
      this.diverge(
        view.step,
        `thread ${decision.tid} is ${st === 'finished' ? 'finished' : 'blocked'} after ${taken} of the ${budget} steps the schedule gives it`,
      );
      return;
    }
    const item = this.schedule.items[this.index];
    if (this.pickedRun && item !== undefined && item.kind === 'run') {
      this.used += taken;
      if (this.used >= item.count) {
        this.index++;
        this.used = 0;
      }
    }
    if (this.pendingChoice !== null)
      this.diverge(start, 'the schedule has a random choice here but the program made none');
  }

  /** Items after the end of the program or a deadlock are refused: they were never steps. */
  ended(status: 'completed' | 'deadlock', view: SchedulingView): void {
    if (this.exhausted) return;
    this.diverge(
      view.step,
      status === 'completed'
        ? `the program ended before the schedule did: ${this.describeRest()} is left over`
        : `the program deadlocked before the schedule ended: ${this.describeRest()} is left over`,
    );
  }

  choose(n: number, step: number): number {
    const option = this.pendingChoice;
    if (option === null) {
      this.diverge(step, 'the program makes a random choice here but the schedule has none (write T=i)');
      return 0;
    }
    this.pendingChoice = null;
    if (option >= n) {
      this.diverge(step, `choice ${option} is out of range: this random call has options 0..${n - 1}`);
      return 0;
    }
    return option;
  }

  /** Record the first divergence (later ones follow from it); returns null, as `pick` does then. */
  private diverge(step: number, reason: string): null {
    this.divergence ??= { step, reason };
    return null;
  }
}

function describe(status: string): string {
  return status === 'finished' ? 'finished' : status === 'timeout' ? 'blocked, with a timeout' : status;
}
