/**
 * Schedulers: interchangeable pickers over one run loop (`execute`). Each decides which
 * enabled thread runs next and for how many steps, and answers `random` choices.
 *
 * - uniform:     any enabled thread at every visible step, uniformly (the classic random walk).
 * - time-slice:  the chosen thread runs a random number of steps (uniform in 1..2·slice-1,
 *                mean `slice`) before the next choice, as an OS or the GIL would.
 * - round-robin: threads in turn, `slice` steps each.
 * - replay:      follows a recorded schedule, refusing one that does not fit.
 */
import type { Machine } from '../vm/machine.js';
import { Rng } from './rng.js';
import type { Schedule, ScheduleItem } from './schedule.js';

export interface Decision {
  tid: number;
  /** How many steps the thread may take (it stops earlier if it blocks or ends). */
  steps: number;
}

export interface Strategy {
  readonly name: string;
  /** Configure the machine before the run (optional). */
  prepare?(machine: Machine): void;
  /** Pick a thread that can take a step, or return null when none can (a deadlock). */
  pick(machine: Machine): Decision | null;
  /** An option in [0, n) for a `random` call during step `step`. */
  choose(n: number, step: number): number;
}

/** A schedule that does not fit the program, found while replaying it. */
export class ScheduleMismatch extends Error {
  constructor(
    readonly step: number,
    readonly reason: string,
  ) {
    super(`schedule does not fit at step ${step}: ${reason}`);
  }
}

export class UniformStrategy implements Strategy {
  readonly name = 'uniform';
  private readonly rng: Rng;
  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }
  pick(machine: Machine): Decision | null {
    // Rejection sampling over the live threads: uniform over the enabled ones, without
    // scanning all of them at every step (the lesson runs 101 threads for 10 million steps).
    const live = machine.live;
    for (let attempt = 0; attempt < 4 && live.length > 0; attempt++) {
      const t = live[this.rng.below(live.length)]!;
      if (machine.isEnabled(t.tid)) return { tid: t.tid, steps: 1 };
    }
    const enabled = machine.enabled();
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
  prepare(machine: Machine): void {
    machine.yieldAfterStart = true;
  }
  pick(machine: Machine): Decision | null {
    const enabled = machine.enabled();
    if (enabled.length === 0) return null;
    const steps = this.slice <= 1 ? 1 : this.rng.between(1, 2 * this.slice - 1);
    if (machine.threads.length > this.knownThreads) {
      this.knownThreads = machine.threads.length;
      const newest = machine.threads.length - 1;
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
  pick(machine: Machine): Decision | null {
    const enabled = machine.enabled();
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
  private index = 0;
  /** Steps already taken from the current run item. */
  private used = 0;
  private pendingChoice: number | null = null;
  /** Whether the last pick came from a run item (only those are consumed by `advance`). */
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

  pick(machine: Machine): Decision | null {
    const enabled = machine.enabled();
    if (enabled.length === 0) return null;
    const item: ScheduleItem | undefined = this.schedule.items[this.index];
    const step = machine.steps;
    this.pickedRun = false;
    if (item === undefined) {
      throw new ScheduleMismatch(
        step,
        `the schedule ends here but the program has not (${enabled.length === 1 ? 'thread' : 'threads'} ${enabled.join(', ')} can still run)`,
      );
    }
    const status = machine.status(item.tid);
    if (status === 'finished' && item.tid >= machine.threads.length) {
      throw new ScheduleMismatch(
        step,
        `thread ${item.tid} does not exist (threads started so far: 0..${machine.threads.length - 1})`,
      );
    }
    if (item.kind === 'timeout') {
      if (status !== 'timeout')
        throw new ScheduleMismatch(
          step,
          `thread ${item.tid} cannot time out here (it is ${describe(status)})`,
        );
      this.index++;
      return { tid: item.tid, steps: 1 };
    }
    if (status !== 'enabled') {
      const hint = status === 'timeout' ? `; it can only time out (write ${item.tid}t)` : '';
      throw new ScheduleMismatch(
        step,
        `thread ${item.tid} is not enabled (it is ${describe(status)}${hint})`,
      );
    }
    if (item.kind === 'choice') {
      this.pendingChoice = item.option;
      this.index++;
      return { tid: item.tid, steps: 1 };
    }
    this.pickedRun = true;
    return { tid: item.tid, steps: item.count - this.used };
  }

  /** The run loop reports how many steps the picked thread took. */
  advance(taken: number): void {
    const item = this.schedule.items[this.index];
    if (this.pickedRun && item !== undefined && item.kind === 'run') {
      this.used += taken;
      if (this.used >= item.count) {
        this.index++;
        this.used = 0;
      }
    }
  }

  choose(n: number, step: number): number {
    const option = this.pendingChoice;
    if (option === null)
      throw new ScheduleMismatch(
        step,
        'the program makes a random choice here but the schedule has none (write T=i)',
      );
    this.pendingChoice = null;
    if (option >= n)
      throw new ScheduleMismatch(
        step,
        `choice ${option} is out of range: this random call has options 0..${n - 1}`,
      );
    return option;
  }

  /** Called after a choice item's step: the program must have used the choice. */
  checkChoiceUsed(step: number): void {
    if (this.pendingChoice !== null) {
      throw new ScheduleMismatch(step, 'the schedule has a random choice here but the program made none');
    }
  }
}

function describe(status: string): string {
  return status === 'finished' ? 'finished' : status === 'timeout' ? 'blocked, with a timeout' : status;
}
