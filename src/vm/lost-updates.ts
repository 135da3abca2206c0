/**
 * Lost-update analysis (the lesson's `counter += 1`).
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

export class LostUpdateTracker {
  /** Updates lost in total, net of updates written back. */
  lost = 0;
  /** Stores that lost at least one update. */
  stores = 0;
  /** Updates lost per cell, in order of first loss. */
  readonly byCell = new Map<string, number>();
  readonly first: LostUpdate[] = [];

  constructor(
    /** How many stores to keep in full. */
    readonly keep = 3,
  ) {}

  /** An independent copy (for snapshots). */
  copy(): LostUpdateTracker {
    const c = new LostUpdateTracker(this.keep);
    c.lost = this.lost;
    c.stores = this.stores;
    for (const [k, n] of this.byCell) c.byCell.set(k, n);
    c.first.push(...this.first);
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
}
