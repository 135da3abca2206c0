/**
 * Happens-before data-race detection on every execution, after DJIT+ and FastTrack (Flanagan &
 * Freund, "FastTrack: Efficient and Precise Dynamic Race Detection", PLDI 2009).
 *
 * Happens-before here is synchronization only: program order, thread start (the child starts
 * with its parent's clock), and operations on synchronization objects (locks, semaphores,
 * conditions, events, threads: a join synchronizes with the thread's end). Each operation on
 * such an object joins the object's clock into the thread's and the thread's into the object's,
 * which orders all operations on one object (a sound over-approximation of release/acquire:
 * it may hide a race, never invent one). Two accesses to one shared cell race when at least
 * one writes and neither happens before the other.
 *
 * Per cell it keeps the last write as an epoch (thread, clock) and the reads as one epoch, or a
 * vector clock once concurrent reads appear (FastTrack's adaptive representation).
 *
 * Once a global has raced, it is no longer tracked (`tracked[g]` = 0): what matters is that it
 * races and where, and the lesson's counter would otherwise race at every one of its 10 million
 * accesses. So counts say how many races were seen before each cell was settled, not how many
 * a full tracking would count.
 *
 * It observes the VM (observers.ts): loads and stores of globals and items, whole-container
 * accesses, synchronizations; a thread start comes from the machine (`addThread`).
 */
import type { CodeObject } from '../compile/ops.js';
import { itemCellName } from './cells.js';
import type { AccessObserver } from './observers.js';
import type { ThreadState } from './thread.js';
import type { PyDict, PyList, Value } from '../semantics/values.js';

/** Where an access happened: thread and source position. */
export interface AccessSite {
  tid: number;
  /** Index of the code object in the program, and the op. */
  code: number;
  pc: number;
  write: boolean;
}

export interface DataRace {
  /** The cell as the program names it: `counter`, `d['a']`, `items`. */
  cell: string;
  first: AccessSite;
  second: AccessSite;
}

const NONE = -1;
const SHARED = -2;

interface ItemCell {
  wTid: number;
  wClock: number;
  wSite: AccessSite | null;
  rTid: number;
  rClock: number;
  rSite: AccessSite | null;
  rVc: Map<number, [number, AccessSite]> | null;
}

export class RaceDetector implements AccessObserver {
  /** Vector clock per thread; all share `capacity` entries. */
  private clocks: Int32Array[] = [];
  private capacity = 8;
  private readonly syncClocks = new Map<string, Int32Array>();
  // Globals, in typed arrays so that the hot path allocates nothing: the last write's epoch and
  // site (code index, pc), the read epoch and site (or SHARED with a read vector below), and
  // the number of races seen per global.
  private readonly wTid: Int32Array;
  private readonly wClock: Int32Array;
  private readonly wCode: Int32Array;
  private readonly wPc: Int32Array;
  private readonly rTid: Int32Array;
  private readonly rClock: Int32Array;
  private readonly rCode: Int32Array;
  private readonly rPc: Int32Array;
  private readonly globalRaces: Float64Array;
  /** 1 while global g is tracked; the interpreter skips the detector for a 0 (a global already known to race). */
  readonly tracked: Uint8Array;
  /** The tracked globals, as the observer interface's mask. */
  get globalMask(): Uint8Array {
    return this.tracked;
  }
  private readonly rShared = new Map<number, Map<number, [number, AccessSite]>>();
  private readonly items = new Map<string, ItemCell>();
  private readonly itemRaces = new Map<string, number>();
  /** The first few races in full (distinct by cell and source positions). */
  readonly first: DataRace[] = [];
  private readonly seen = new Set<string>();

  constructor(
    globalCount: number,
    private readonly globalNames: readonly string[],
    readonly keep = 5,
  ) {
    this.wTid = new Int32Array(globalCount).fill(NONE);
    this.wClock = new Int32Array(globalCount);
    this.wCode = new Int32Array(globalCount);
    this.wPc = new Int32Array(globalCount);
    this.rTid = new Int32Array(globalCount).fill(NONE);
    this.rClock = new Int32Array(globalCount);
    this.rCode = new Int32Array(globalCount);
    this.rPc = new Int32Array(globalCount);
    this.globalRaces = new Float64Array(globalCount);
    this.tracked = new Uint8Array(globalCount).fill(1);
    this.addThread(0, -1);
  }

  /**
   * An independent copy (for snapshots: a run restored to a checkpoint goes on with the races
   * seen up to it). Access sites are immutable and shared.
   */
  copy(): RaceDetector {
    const c = new RaceDetector(this.wTid.length, this.globalNames, this.keep);
    c.clocks = this.clocks.map((x) => Int32Array.from(x));
    c.capacity = this.capacity;
    for (const [k, v] of this.syncClocks) c.syncClocks.set(k, Int32Array.from(v));
    c.wTid.set(this.wTid);
    c.wClock.set(this.wClock);
    c.wCode.set(this.wCode);
    c.wPc.set(this.wPc);
    c.rTid.set(this.rTid);
    c.rClock.set(this.rClock);
    c.rCode.set(this.rCode);
    c.rPc.set(this.rPc);
    c.globalRaces.set(this.globalRaces);
    c.tracked.set(this.tracked);
    for (const [g, vc] of this.rShared) c.rShared.set(g, new Map(vc));
    for (const [k, cell] of this.items)
      c.items.set(k, { ...cell, rVc: cell.rVc === null ? null : new Map(cell.rVc) });
    for (const [k, n] of this.itemRaces) c.itemRaces.set(k, n);
    c.first.push(...this.first);
    for (const k of this.seen) c.seen.add(k);
    return c;
  }

  /** Races seen per cell. */
  get counts(): Map<string, number> {
    const out = new Map<string, number>();
    this.globalRaces.forEach((n, g) => {
      if (n > 0) out.set(this.globalNames[g]!, n);
    });
    for (const [cell, n] of this.itemRaces) out.set(cell, (out.get(cell) ?? 0) + n);
    return out;
  }

  /** Total races seen. */
  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** A thread starts: its clock begins as its parent's (parent -1: the main thread). */
  addThread(tid: number, parent: number): void {
    if (tid >= this.capacity) {
      while (tid >= this.capacity) this.capacity *= 2;
      this.clocks = this.clocks.map((c) => grow(c, this.capacity));
      for (const [k, c] of this.syncClocks) this.syncClocks.set(k, grow(c, this.capacity));
    }
    const c = parent >= 0 ? Int32Array.from(this.clocks[parent]!) : new Int32Array(this.capacity);
    c[tid] = 1;
    this.clocks[tid] = c;
    if (parent >= 0) this.clocks[parent]![parent]!++;
  }

  /** A synchronization operation of thread `tid` on object `obj`. */
  sync(tid: number, obj: string): void {
    const c = this.clocks[tid]!;
    let o = this.syncClocks.get(obj);
    if (o === undefined) {
      o = new Int32Array(this.capacity);
      this.syncClocks.set(obj, o);
    }
    for (let i = 0; i < this.capacity; i++) {
      if (o[i]! > c[i]!) c[i] = o[i]!;
    }
    o.set(c);
    c[tid]!++;
  }

  private record(cell: string, first: AccessSite, second: AccessSite): void {
    if (this.first.length >= this.keep) return;
    const key = `${cell}|${first.code}:${first.pc}|${second.code}:${second.pc}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.first.push({ cell, first, second });
  }

  /** A race on global g between an earlier access (t1 at c1:p1) and the current one (t2 at c2:p2). */
  private globalRace(
    g: number,
    t1: number,
    c1: number,
    p1: number,
    w1: boolean,
    t2: number,
    c2: number,
    p2: number,
    w2: boolean,
  ): void {
    this.globalRaces[g]!++;
    // A few distinct races per global are enough to name it; stop tracking it after that.
    if (this.globalRaces[g]! >= 3) this.tracked[g] = 0;
    if (this.first.length < this.keep) {
      this.record(
        this.globalNames[g]!,
        { tid: t1, code: c1, pc: p1, write: w1 },
        { tid: t2, code: c2, pc: p2, write: w2 },
      );
    }
  }

  /**
   * Read of global `g` by thread `tid` at (code index, pc). Small on purpose so V8 inlines it
   * into the interpreter: after the thread's own write there is nothing to check.
   */
  readGlobal(tid: number, g: number, code: number, pc: number): void {
    if (this.wTid[g] === tid && (this.rTid[g] === NONE || this.rTid[g] === tid)) {
      this.rTid[g] = tid;
      this.rClock[g] = this.clocks[tid]![tid]!;
      this.rCode[g] = code;
      this.rPc[g] = pc;
      return;
    }
    this.readGlobalSlow(tid, g, code, pc);
  }

  private readGlobalSlow(tid: number, g: number, code: number, pc: number): void {
    const c = this.clocks[tid]!;
    const w = this.wTid[g]!;
    if (w >= 0 && w !== tid && this.wClock[g]! > c[w]!) {
      this.globalRace(g, w, this.wCode[g]!, this.wPc[g]!, true, tid, code, pc, false);
    }
    const r = this.rTid[g]!;
    if (r === SHARED) this.rShared.get(g)!.set(tid, [c[tid]!, { tid, code, pc, write: false }]);
    else if (r === NONE || r === tid || this.rClock[g]! <= c[r]!) {
      this.rTid[g] = tid;
      this.rClock[g] = c[tid]!;
      this.rCode[g] = code;
      this.rPc[g] = pc;
    } else {
      // Two concurrent reads: keep a read vector from now on.
      const vc = new Map<number, [number, AccessSite]>([
        [r, [this.rClock[g]!, { tid: r, code: this.rCode[g]!, pc: this.rPc[g]!, write: false }]],
        [tid, [c[tid]!, { tid, code, pc, write: false }]],
      ]);
      this.rShared.set(g, vc);
      this.rTid[g] = SHARED;
    }
  }

  /** Write of global `g` by thread `tid` at (code index, pc); after its own write and read, nothing to check. */
  writeGlobal(tid: number, g: number, code: number, pc: number): void {
    if (this.wTid[g] === tid && (this.rTid[g] === NONE || this.rTid[g] === tid)) {
      this.wClock[g] = this.clocks[tid]![tid]!;
      this.wCode[g] = code;
      this.wPc[g] = pc;
      this.rTid[g] = NONE;
      return;
    }
    this.writeGlobalSlow(tid, g, code, pc);
  }

  private writeGlobalSlow(tid: number, g: number, code: number, pc: number): void {
    const c = this.clocks[tid]!;
    const w = this.wTid[g]!;
    if (w >= 0 && w !== tid && this.wClock[g]! > c[w]!) {
      this.globalRace(g, w, this.wCode[g]!, this.wPc[g]!, true, tid, code, pc, true);
    }
    const r = this.rTid[g]!;
    if (r === SHARED) {
      for (const [u, [clock, s]] of this.rShared.get(g)!) {
        if (u !== tid && clock > c[u]!) this.globalRace(g, u, s.code, s.pc, false, tid, code, pc, true);
      }
      this.rShared.delete(g);
    } else if (r >= 0 && r !== tid && this.rClock[g]! > c[r]!) {
      this.globalRace(g, r, this.rCode[g]!, this.rPc[g]!, false, tid, code, pc, true);
    }
    this.wTid[g] = tid;
    this.wClock[g] = c[tid]!;
    this.wCode[g] = code;
    this.wPc[g] = pc;
    this.rTid[g] = NONE;
  }

  /** Access of a list or dict cell (`key` identifies it; `label` is how reports name it, computed only for a race). */
  accessItem(
    tid: number,
    key: string,
    label: string | (() => string),
    write: boolean,
    code: number,
    pc: number,
  ): void {
    const name = (): string => (typeof label === 'string' ? label : label());
    const report = (cell: string, first: AccessSite, second: AccessSite): void => {
      this.itemRaces.set(cell, (this.itemRaces.get(cell) ?? 0) + 1);
      this.record(cell, first, second);
    };
    const c = this.clocks[tid]!;
    let cell = this.items.get(key);
    if (cell === undefined) {
      cell = { wTid: NONE, wClock: 0, wSite: null, rTid: NONE, rClock: 0, rSite: null, rVc: null };
      this.items.set(key, cell);
    }
    const site = { tid, code, pc, write };
    if (cell.wTid >= 0 && cell.wTid !== tid && cell.wClock > c[cell.wTid]!) report(name(), cell.wSite!, site);
    if (write) {
      if (cell.rVc !== null) {
        for (const [u, [clock, s]] of cell.rVc) if (u !== tid && clock > c[u]!) report(name(), s, site);
      } else if (cell.rTid >= 0 && cell.rTid !== tid && cell.rClock > c[cell.rTid]!)
        report(name(), cell.rSite!, site);
      cell.wTid = tid;
      cell.wClock = c[tid]!;
      cell.wSite = site;
      cell.rTid = NONE;
      cell.rVc = null;
    } else if (cell.rVc !== null) cell.rVc.set(tid, [c[tid]!, site]);
    else if (cell.rTid === NONE || cell.rTid === tid || cell.rClock <= c[cell.rTid]!) {
      cell.rTid = tid;
      cell.rClock = c[tid]!;
      cell.rSite = site;
    } else {
      cell.rVc = new Map([
        [cell.rTid, [cell.rClock, cell.rSite!]],
        [tid, [c[tid]!, site]],
      ]);
    }
  }

  // ---------------------------------------------------------------- as an observer

  loadGlobal(
    t: ThreadState,
    g: number,
    _step: number,
    _code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void {
    if (this.tracked[g] === 1) this.readGlobal(t.tid, g, codeIndex, pc);
  }

  storeGlobal(
    t: ThreadState,
    g: number,
    _old: Value | undefined,
    _value: Value,
    _step: number,
    _code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void {
    if (this.tracked[g] === 1) this.writeGlobal(t.tid, g, codeIndex, pc);
  }

  loadItem(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    _step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void {
    this.accessItem(t.tid, cell, () => itemCellName(code, pc, container, key), false, codeIndex, pc);
  }

  storeItem(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    _old: Value | undefined,
    _value: Value,
    _step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void {
    this.accessItem(t.tid, cell, () => itemCellName(code, pc, container, key), true, codeIndex, pc);
  }

  containerAccess(
    t: ThreadState,
    container: PyList | PyDict,
    name: () => string,
    write: boolean,
    codeIndex: number,
    pc: number,
  ): void {
    this.accessItem(t.tid, `${container.id}:*`, name, write, codeIndex, pc);
  }

  synchronize(tid: number, obj: string): void {
    this.sync(tid, obj);
  }

  /** Whether a race on `cell` (a global name, or a container name for its items) was seen. */
  raced(cell: string): boolean {
    for (const [c, n] of this.counts) if (n > 0 && (c === cell || c.startsWith(`${cell}[`))) return true;
    return false;
  }
}

function grow(c: Int32Array, capacity: number): Int32Array {
  const out = new Int32Array(capacity);
  out.set(c);
  return out;
}
