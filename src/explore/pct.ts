/**
 * PCT, probabilistic concurrency testing: Burckhardt, Kothari, Musuvathi, Nagarakatte, "A
 * Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010.
 *
 * Threads get distinct random priorities d, d+1, ... (a thread created later is inserted at a
 * random rank); d−1 change points are drawn uniformly from the k steps of a run; the
 * scheduler always runs the highest-priority enabled thread, and at the i-th change point the
 * running thread drops to priority i (below every initial priority). For a bug of depth d in a
 * program with n threads and k steps, one run finds it with probability at least 1/(n·k^(d−1)).
 */
import { Rng } from '../schedule/rng.js';
import type { Decision, SchedulingView, Strategy } from '../schedule/strategies.js';

export class PctStrategy implements Strategy {
  readonly name = 'pct';
  private readonly rng: Rng;
  /** Thread ids by priority, highest first (initial priorities). */
  private readonly ranked: number[] = [];
  /** Thread → lowered priority (1..d−1), once a change point hit it. */
  private readonly lowered = new Map<number, number>();
  /** Step → index i of the change point at that step. */
  private readonly changes = new Map<number, number>();
  private steps = 0;
  private last = -1;

  constructor(
    readonly seed: number,
    /** The bug depth d the run targets (d−1 priority change points). */
    readonly depth: number,
    /** Estimated number of steps k of a run. */
    readonly estimatedSteps: number,
  ) {
    this.rng = new Rng(seed);
    const k = Math.max(1, estimatedSteps);
    for (let i = 1; i < depth; i++) {
      let step = this.rng.between(1, k);
      for (let tries = 0; this.changes.has(step) && tries < 8; tries++) step = this.rng.between(1, k);
      if (!this.changes.has(step)) this.changes.set(step, i);
    }
  }

  private priority(tid: number): number {
    const low = this.lowered.get(tid);
    if (low !== undefined) return low;
    return this.depth + (this.ranked.length - 1 - this.ranked.indexOf(tid));
  }

  pick(view: SchedulingView): Decision | null {
    for (let tid = 0; tid < view.threadCount; tid++) {
      if (!this.ranked.includes(tid)) this.ranked.splice(this.rng.between(0, this.ranked.length), 0, tid);
    }
    this.steps++;
    const change = this.changes.get(this.steps);
    if (change !== undefined && this.last >= 0) this.lowered.set(this.last, change);
    const enabled = view.enabled();
    if (enabled.length === 0) return null;
    let best = enabled[0]!;
    for (const tid of enabled) if (this.priority(tid) > this.priority(best)) best = tid;
    this.last = best;
    return { tid: best, steps: 1 };
  }

  choose(n: number): number {
    return this.rng.below(n);
  }
}
