/**
 * Happens-before and reversible races of one execution, for DPOR.
 *
 * Happens-before (→) is the transitive closure of program order, thread creation, and the
 * dependency of events (event.ts), computed with vector clocks. Events e and e' of different
 * threads are in a race, e ⋖ e', when they are dependent, e → e', and no event e'' has
 * e → e'' → e' (Abdulla et al., POPL 2014, section 3). A race is reversible unless e' waited
 * for what e did (event.ts, `reversible`).
 *
 * Locks need one more kind of race. An acquire of lock L waits for the release before it, so
 * (release, acquire) cannot be reversed; the order of two critical sections is the order of
 * their acquires. So an acquire of L also races with the previous acquire of L by another
 * thread, unless it happens after that acquire through something other than L itself.
 */
import { reversible, type Event } from './event.js';

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

  /** Every reversible race of the execution, and the lock-acquire races. */
  races(): Race[] {
    const out: Race[] = [];
    const events = this.events;
    for (let j = 0; j < events.length; j++) {
      const e = events[j]!;
      const preds = this.preds[j]!;
      for (const i of preds) {
        const d = events[i]!;
        if (d.tid === e.tid || d.kind.spawns === e.tid) continue;
        // Immediate: i does not happen before another dependent predecessor of j.
        if (preds.some((m) => m !== i && this.before(i, m))) continue;
        if (reversible(d, e)) out.push({ first: i, second: j });
      }
      const lock = e.kind.acquires;
      if (lock !== null) {
        let prev = -1;
        for (let i = j - 1; i >= 0; i--) {
          if (events[i]!.kind.acquires === lock) {
            prev = i;
            break;
          }
        }
        if (prev >= 0 && events[prev]!.tid !== e.tid && !this.beforeIgnoring(prev, j, lock)) {
          if (!out.some((r) => r.first === prev && r.second === j)) out.push({ first: prev, second: j });
        }
      }
    }
    return out;
  }

  /** i → j without counting j's own dependencies that are only about `obj`. */
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
          (a) => a.obj === obj || !e.accesses.some((b) => b.obj === a.obj && (a.write || b.write)),
        );
      if (onlyObj) continue;
      if (m === i || this.clocks[m]![tid]! >= this.local[i]!) return true;
    }
    return false;
  }
}
