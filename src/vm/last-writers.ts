/**
 * The last-writer map, an observer of the VM's stores: for every global and every list or dict
 * item cell written so far, the thread and step of its last write and the value written (the
 * terminal UI shows "value, written by thread t at step k"). Only visible stores count
 * (STORE_GLOBAL, STORE_ITEM): definitions (`def`, imports) and in-place method calls are not
 * stores of a cell.
 */
import type { CodeObject } from '../compile/ops.js';
import { itemCellName } from './cells.js';
import type { AccessObserver } from './observers.js';
import type { Copier } from './state.js';
import type { ThreadState } from './thread.js';
import type { Value } from '../semantics/values.js';

/** The last write of one cell. */
export interface LastWrite {
  /** The cell as the program names it: `counter`, `d['a']`, `items[0]`. */
  cell: string;
  /** Thread that wrote it. */
  tid: number;
  /** Step of the write (0-based). */
  step: number;
  /** The value written (an object as the state holds it now, not as it was then). */
  value: Value;
}

export class LastWriterMap implements AccessObserver {
  /** Per global: the writing thread, or -1 while it has not been stored to. */
  private readonly tids: Int32Array;
  private readonly steps: Float64Array;
  private readonly values: (Value | undefined)[];
  /** Per item cell ("objectId:key"), in order of first write. */
  private readonly items = new Map<string, LastWrite>();

  constructor(
    /** The program's globals, by index. */
    private readonly globalNames: readonly string[],
  ) {
    this.tids = new Int32Array(globalNames.length).fill(-1);
    this.steps = new Float64Array(globalNames.length);
    this.values = new Array<Value | undefined>(globalNames.length).fill(undefined);
  }

  storeGlobal(t: ThreadState, g: number, _old: Value | undefined, value: Value, step: number): void {
    this.tids[g] = t.tid;
    this.steps[g] = step;
    this.values[g] = value;
  }

  storeItem(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    _old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    _codeIndex: number,
    pc: number,
  ): void {
    const known = this.items.get(cell);
    const name = known?.cell ?? itemCellName(code, pc, container, key);
    this.items.set(cell, { cell: name, tid: t.tid, step, value });
  }

  /** The last write of global `g` (by index), or null if no thread has stored to it. */
  global(g: number): LastWrite | null {
    const tid = this.tids[g];
    if (tid === undefined || tid < 0) return null;
    return { cell: this.globalNames[g]!, tid, step: this.steps[g]!, value: this.values[g]! };
  }

  /** The last write of item cell `cell` (`"<object id>:<key>"`, containers.ts itemCellKey), or null. */
  item(cell: string): LastWrite | null {
    return this.items.get(cell) ?? null;
  }

  /** Every cell written so far: globals in program order, then item cells in order of first write. */
  entries(): LastWrite[] {
    const out: LastWrite[] = [];
    for (let g = 0; g < this.tids.length; g++) {
      const w = this.global(g);
      if (w !== null) out.push(w);
    }
    for (const w of this.items.values()) out.push(w);
    return out;
  }

  /** An independent copy, its values mapped through `c` (the copier of the snapshot's state). */
  copy(c?: Copier): LastWriterMap {
    const map = (v: Value | undefined): Value | undefined => (c === undefined ? v : c.value(v));
    const out = new LastWriterMap(this.globalNames);
    out.tids.set(this.tids);
    out.steps.set(this.steps);
    for (let g = 0; g < this.values.length; g++) out.values[g] = map(this.values[g]);
    for (const [k, w] of this.items) out.items.set(k, { ...w, value: map(w.value)! });
    return out;
  }
}
