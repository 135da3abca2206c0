/**
 * Happens-before and reversible races of one execution, for DPOR.
 *
 * Happens-before (→) is the transitive closure of program order, thread creation, and the
 * dependency of events (event.ts), computed with vector clocks. Events e and e' of different
 * threads are in a race, e ⋖ e', when they are dependent, e → e', and no event e'' has
 * e → e'' → e' (Abdulla et al., POPL 2014, section 3). A race is reversible when e' could
 * have run right before e (event.ts, `reversible`): not when e' waited for what e did.
 *
 * Blocking steps need one more kind of race. An acquire of lock L that waited for the release
 * before it cannot be moved before that release; the order of two critical sections is the
 * order of their acquires. In general a step j that waits on an object (a lock, a semaphore,
 * an event, a thread's end, a notify) also races with the latest write of that object by
 * another thread right before which j could have run, judged on the object's recorded state
 * (event.ts `readyIn`): the acquire that took the lock, the `clear` after a `set`, the acquire
 * that took a Semaphore's last permit. It does unless j happens after that write through
 * something other than the object itself (or the invariants' pseudo-object, event.ts).
 */
import { conflict, INVARIANT_STATE, readyIn, reversible, type Event } from './event.js';

function itemHistory(o: ObjectHistory, key: string): CellHistory {
  let c = o.items.get(key);
  if (c === undefined) {
    c = { lastWrite: -1, reads: [] };
    o.items.set(key, c);
  }
  return c;
}

export interface Race {
  /** Index of the earlier event e. */
  first: number;
  /** Index of the later event e'. */
  second: number;
}

/** Accesses of one object (or one item of it) since its last write. */
interface CellHistory {
  lastWrite: number;
  reads: number[];
}

interface ObjectHistory {
  whole: CellHistory;
  items: Map<string, CellHistory>;
}

export class HappensBefore {
  /** Vector clock of each event: clock[j][t] = number of t's events that happen before or are j. */
  readonly clocks: Int32Array[];
  /** 1-based position of each event in its thread. */
  readonly local: number[];
  /**
   * The latest dependent earlier events of each event: its thread's previous event (or the START
   * that created the thread), and for each access the last conflicting write and, for a write,
   * the reads since. Every other dependent earlier event happens before one of these.
   */
  readonly preds: number[][];
  /** Indices of the events that write each object, in order (for the walk of `disabler`). */
  private readonly writers = new Map<string, number[]>();

  constructor(readonly events: readonly Event[]) {
    let threads = 1;
    for (const e of events) threads = Math.max(threads, e.tid + 1, e.kind.spawns + 1);
    const count = new Array<number>(threads).fill(0);
    const last = new Array<number>(threads).fill(-1);
    const spawner = new Array<number>(threads).fill(-1);
    const objects = new Map<string, ObjectHistory>();
    this.clocks = [];
    this.local = [];
    this.preds = [];
    for (let j = 0; j < events.length; j++) {
      const e = events[j]!;
      const preds = new Set<number>();
      if (last[e.tid]! >= 0) preds.add(last[e.tid]!);
      else if (spawner[e.tid]! >= 0) preds.add(spawner[e.tid]!);
      for (const a of e.accesses) {
        let o = objects.get(a.obj);
        if (o === undefined) {
          o = { whole: { lastWrite: -1, reads: [] }, items: new Map() };
          objects.set(a.obj, o);
        }
        const cells = a.key === null ? [o.whole, ...o.items.values()] : [o.whole, itemHistory(o, a.key)];
        for (const c of cells) {
          if (c.lastWrite >= 0) preds.add(c.lastWrite);
          if (a.write) for (const r of c.reads) preds.add(r);
        }
        const own = a.key === null ? o.whole : itemHistory(o, a.key);
        if (a.write) {
          const w = this.writers.get(a.obj);
          if (w === undefined) this.writers.set(a.obj, [j]);
          else if (w[w.length - 1] !== j) w.push(j);
          own.lastWrite = j;
          own.reads = [];
          if (a.key === null) o.items.clear();
        } else own.reads.push(j);
      }
      preds.delete(j);
      const vc = new Int32Array(threads);
      for (const i of preds) {
        const c = this.clocks[i]!;
        for (let t = 0; t < threads; t++) if (c[t]! > vc[t]!) vc[t] = c[t]!;
      }
      count[e.tid]!++;
      vc[e.tid] = count[e.tid]!;
      this.clocks.push(vc);
      this.local.push(count[e.tid]!);
      this.preds.push([...preds]);
      last[e.tid] = j;
      if (e.kind.spawns >= 0) spawner[e.kind.spawns] = j;
    }
  }

  /** i → j (i happens before j, i ≠ j). */
  before(i: number, j: number): boolean {
    return i !== j && this.clocks[j]![this.events[i]!.tid]! >= this.local[i]!;
  }

  /** Events after i that do not happen after i, in order (notdep(e, E) of the paper). */
  notAfter(i: number): number[] {
    const out: number[] = [];
    for (let k = i + 1; k < this.events.length; k++) if (!this.before(i, k)) out.push(k);
    return out;
  }

  /**
   * Every reversible race of the execution, and the races of blocking steps with the steps that
   * disabled them; only those whose later event is at index `from` or after.
   */
  races(from = 0): Race[] {
    const out: Race[] = [];
    const seen = new Set<number>();
    const add = (i: number, j: number): void => {
      const k = i * this.events.length + j;
      if (seen.has(k)) return;
      seen.add(k);
      out.push({ first: i, second: j });
    };
    const events = this.events;
    for (let j = from; j < events.length; j++) {
      const e = events[j]!;
      const preds = this.preds[j]!;
      for (const i of preds) {
        const d = events[i]!;
        if (d.tid === e.tid || d.kind.spawns === e.tid) continue;
        // Immediate: i does not happen before another dependent predecessor of j.
        if (preds.some((m) => m !== i && this.before(i, m))) continue;
        if (reversible(d, e)) add(i, j);
      }
      for (const w of e.kind.waits) {
        const i = this.disabler(j, w.obj);
        if (i >= 0 && !this.beforeIgnoring(i, j, w.obj)) add(i, j);
      }
    }
    return out;
  }

  /**
   * For a blocking step j that waits on `obj`: the latest earlier write of `obj` by another
   * thread right before which j could have run (the acquire that took the lock j then waited
   * for, the `clear` that undid the `set` j could have passed), or -1. Writes of `obj` by j's
   * own thread end the walk: j cannot move before them.
   */
  private disabler(j: number, obj: string): number {
    const e = this.events[j]!;
    const writers = this.writers.get(obj) ?? [];
    for (let k = writers.length - 1; k >= 0; k--) {
      const i = writers[k]!;
      if (i >= j) continue;
      const d = this.events[i]!;
      if (d.tid === e.tid) return -1;
      if (readyIn(d, e)) return i;
    }
    return -1;
  }

  /**
   * i → j without counting j's own dependencies that are only about `obj` or the invariants'
   * pseudo-object (which orders the steps that change what invariants read, but never enables
   * one: a blocking step that waited for `obj` could still have run right before i).
   */
  private beforeIgnoring(i: number, j: number, obj: string): boolean {
    const e = this.events[j]!;
    const tid = this.events[i]!.tid;
    for (const m of this.preds[j]!) {
      if (m === i) continue;
      const d = this.events[m]!;
      const onlyObj =
        d.tid !== e.tid &&
        d.kind.spawns !== e.tid &&
        d.accesses.every(
          (a) => a.obj === obj || a.obj === INVARIANT_STATE || !e.accesses.some((b) => conflict(a, b)),
        );
      if (onlyObj) continue;
      if (m === i || this.clocks[m]![tid]! >= this.local[i]!) return true;
    }
    return false;
  }
}
