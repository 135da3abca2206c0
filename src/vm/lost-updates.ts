/**
 * Lost-update analysis (the lesson's `counter += 1`), an observer of the VM's loads and stores.
 *
 * When thread T stores to cell x after its own LOAD x in the same loop iteration (a
 * read-modify-write), and other threads wrote x in between, T's store was computed from an
 * older value: the updates those writes carried are lost.
 *
 * Counting them once each: every cell has a *depth*, the length of the chain of
 * read-modify-writes behind its current value (a store after a LOAD that saw depth d gives
 * depth d + 1; a blind store gives 1). A store whose LOAD saw depth d, made when the cell is
 * at depth c, discards c − d updates. c − d can be negative: a thread that read the cell
 * before an older-based store overwrote it writes those updates back. The net sum is exact
 * for a counter: lost updates = increments − final value.
 */
import type { CodeObject } from '../compile/ops.js';
import { itemCellName } from './cells.js';
import type { AccessObserver } from './observers.js';
import type { ThreadState } from './thread.js';
import type { Value } from '../semantics/values.js';

/** One store that lost updates; kept in full for the first few, counted for the rest. */
export interface LostUpdate {
  /** The cell as the user wrote it: `counter`, `d['a']`, `items[0]`. */
  cell: string;
  /** Thread whose STORE discarded the updates. */
  thread: number;
  /** Step of that thread's LOAD (0-based). */
  loadStep: number;
  /** Step of its STORE. */
  storeStep: number;
  /** Updates this store discarded. */
  lost: number;
  /** Where the STORE is. */
  code: CodeObject;
  pc: number;
}

/** One thread's last LOAD of each item cell it touched: [depth seen, step, epoch]. */
type ItemLoads = Map<string, [number, number, number]>;

export class LostUpdateTracker implements AccessObserver {
  /** Updates lost in total, net of updates written back. */
  lost = 0;
  /** Stores that lost at least one update. */
  stores = 0;
  /** Updates lost per cell, in order of first loss. */
  readonly byCell = new Map<string, number>();
  readonly first: LostUpdate[] = [];
  /** Per global: length of the chain of read-modify-writes behind its value. */
  private depth: Float64Array;
  /** Per item cell ("objectId:key"): the same. */
  private itemDepth = new Map<string, number>();
  /**
   * Per thread id: its last LOAD of each global, three numbers at 3g: the cell's depth it saw
   * (-1: none, or already stored), its step, and the thread's loop epoch then.
   */
  private loads: (Float64Array | undefined)[] = [];
  /** The thread of the last access, and its loads: a thread runs many steps in a row. */
  private lastThread: ThreadState | null = null;
  private lastLoads: Float64Array = new Float64Array(0);
  /** Per thread id: its item loads (created on first use). */
  private itemLoads: (ItemLoads | undefined)[] = [];

  constructor(
    /** The program's globals, by index (names cells in reports). */
    private readonly globalNames: readonly string[] = [],
    /** How many stores to keep in full. */
    readonly keep = 3,
  ) {
    this.depth = new Float64Array(globalNames.length);
  }

  /** An independent copy (for snapshots). */
  copy(): LostUpdateTracker {
    const c = new LostUpdateTracker(this.globalNames, this.keep);
    c.lost = this.lost;
    c.stores = this.stores;
    for (const [k, n] of this.byCell) c.byCell.set(k, n);
    c.first.push(...this.first);
    c.depth = this.depth.slice();
    c.itemDepth = new Map(this.itemDepth);
    c.loads = this.loads.map((l) => l?.slice());
    c.itemLoads = this.itemLoads.map(
      (m) => m && new Map([...m].map(([k, v]) => [k, [...v] as [number, number, number]])),
    );
    return c;
  }

  /**
   * Record a read-modify-write store whose LOAD is `count` updates behind the cell (negative:
   * it writes back updates another store discarded). Only positive counts are lost-update stores.
   */
  record(count: number, detail: () => Omit<LostUpdate, 'lost'>): void {
    this.lost += count;
    const d = detail();
    this.byCell.set(d.cell, (this.byCell.get(d.cell) ?? 0) + count);
    if (count <= 0) return;
    this.stores++;
    if (this.first.length < this.keep) this.first.push({ ...d, lost: count });
  }

  /**
   * The reads thread `t` holds: each cell it LOADed in its current loop iteration and has not
   * STOREd since (a store would be a read-modify-write), as [cell, step of the LOAD]; globals by
   * name, then item cells by key (`"<object id>:<key>"`). The terminal UI shows their values.
   */
  held(t: ThreadState): [string, number][] {
    const out: [string, number][] = [];
    const l = this.loads[t.tid];
    if (l !== undefined)
      for (let g = 0; 3 * g < l.length; g++)
        if (l[3 * g]! >= 0 && l[3 * g + 2] === t.epoch) out.push([this.globalNames[g]!, l[3 * g + 1]!]);
    for (const [cell, [, step, epoch]] of this.itemLoads[t.tid] ?? [])
      if (epoch === t.epoch) out.push([cell, step]);
    return out;
  }

  /** Thread `t`'s loads (created on first use), remembered as the last thread's. */
  private loadsOf(t: ThreadState): Float64Array {
    let l = this.loads[t.tid];
    if (l === undefined) {
      l = new Float64Array(3 * this.depth.length);
      for (let i = 0; i < l.length; i += 3) l[i] = -1;
      this.loads[t.tid] = l;
    }
    this.lastThread = t;
    return (this.lastLoads = l);
  }

  loadGlobal(t: ThreadState, g: number, step: number): void {
    const l = t === this.lastThread ? this.lastLoads : this.loadsOf(t);
    const i = 3 * g;
    l[i] = this.depth[g]!;
    l[i + 1] = step;
    l[i + 2] = t.epoch;
  }

  storeGlobal(
    t: ThreadState,
    g: number,
    old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    _codeIndex: number,
    pc: number,
  ): void {
    const l = t === this.lastThread ? this.lastLoads : this.loadsOf(t);
    const i = 3 * g;
    if (l[i]! < 0 || l[i + 2] !== t.epoch) {
      this.depth[g]!++; // a plain write continues the chain: a stale store after it loses it
      return;
    }
    const loaded = l[i]!;
    l[i] = -1;
    this.depth[g] = this.afterLoad(
      t,
      loaded,
      l[i + 1]!,
      this.depth[g]!,
      old,
      value,
      step,
      code,
      pc,
      g,
      null,
      null,
    );
  }

  loadItem(t: ThreadState, cell: string, _container: Value, _key: Value, step: number): void {
    const m = (this.itemLoads[t.tid] ??= new Map());
    m.set(cell, [this.itemDepth.get(cell) ?? 0, step, t.epoch]);
  }

  storeItem(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    _codeIndex: number,
    pc: number,
  ): void {
    const m = this.itemLoads[t.tid];
    const loaded = m?.get(cell);
    m?.delete(cell);
    const now = this.itemDepth.get(cell) ?? 0;
    // A plain write (or one whose read was in an earlier loop iteration) continues the chain.
    if (loaded === undefined || loaded[2] !== t.epoch) this.itemDepth.set(cell, now + 1);
    else
      this.itemDepth.set(
        cell,
        this.afterLoad(t, loaded[0], loaded[1], now, old, value, step, code, pc, -1, container, key),
      );
  }

  /**
   * The one rule for a store after the thread's own load of the cell in the same loop
   * iteration: the load saw depth `loaded` (at step `loadStep`), the cell is at depth `now`.
   * Records the updates the store discards (or writes back) and returns the cell's new depth.
   * A store that puts back the very object the cell holds (`x += [1]` on a list extends it in
   * place, then rebinds it) overwrites nothing. The cell is global `g`, or (g = -1) the item
   * `key` of `container`. Small and allocation-free: it runs inline in the interpreter's loop.
   */
  private afterLoad(
    t: ThreadState,
    loaded: number,
    loadStep: number,
    now: number,
    old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    pc: number,
    g: number,
    container: Value,
    key: Value,
  ): number {
    const rebind = sameObject(old, value);
    if (now !== loaded && !rebind) this.discard(now - loaded, t, loadStep, step, code, pc, g, container, key);
    return rebind ? now : loaded + 1;
  }

  private discard(
    count: number,
    t: ThreadState,
    loadStep: number,
    step: number,
    code: CodeObject,
    pc: number,
    g: number,
    container: Value,
    key: Value,
  ): void {
    const cell = g >= 0 ? this.globalNames[g]! : itemCellName(code, pc, container, key);
    this.record(count, () => ({ cell, thread: t.tid, loadStep, storeStep: step, code, pc }));
  }
}

/**
 * Whether a store puts back the very object the cell already holds. Only objects count: for
 * ints, `x = x` after another thread's write still loses that write.
 */
function sameObject(current: Value | undefined, stored: Value | undefined): boolean {
  return current === stored && typeof stored === 'object' && stored !== null;
}
