/**
 * The item ops, `container[key]` loaded, stored and deleted: their effect (containers.ts) and
 * what they report: a load or store of one cell to the observers (lost updates, races, last
 * writers), the footprint entry and trace event of the step.
 */
import { Op } from '../compile/ops.js';
import { containerAccess, raisingItemOp, visible } from './access-events.js';
import { itemCellName } from './cells.js';
import { deleteItem, getItem, itemCellKey, setItem } from '../semantics/containers.js';
import type { VmContext } from './machine-view.js';
import type { Frame, ThreadState } from './thread.js';
import { PyDict, PyList, PyShared, type Value } from '../semantics/values.js';

/** Run LOAD_ITEM, STORE_ITEM or DELETE_ITEM (the step `step` of thread `t`; sp updated). */
export function itemOp(vm: VmContext, t: ThreadState, frame: Frame, op: Op, step: number): void {
  const stack = frame.stack;
  const code = frame.code;
  const pc = frame.pc;
  const obs = vm.observers;
  const key = stack[frame.sp - 1]!;
  const container = stack[frame.sp - 2]!;
  if (op === Op.LOAD_ITEM) {
    const v = raisingItemOp(vm, container, false, () => getItem(container, key));
    const cell = itemCellKey(container, key);
    if (cell !== null && obs.items) obs.loadItem(t, cell, container, key, step, code, frame.codeIndex, pc);
    frame.sp -= 1;
    stack[frame.sp - 1] = v;
    itemVisible(vm, step, t, frame, v, container, key, false);
  } else if (op === Op.STORE_ITEM) {
    const v = stack[frame.sp - 3]!;
    // What the cell held, when that can matter: a store of the very object it holds (lost-updates.ts).
    const old = obs.items && typeof v === 'object' && v !== null ? peekItem(container, key) : undefined;
    raisingItemOp(vm, container, true, () => setItem(container, key, v));
    const cell = itemCellKey(container, key);
    if (cell !== null && obs.items)
      obs.storeItem(t, cell, container, key, old, v, step, code, frame.codeIndex, pc);
    frame.sp -= 3;
    itemVisible(vm, step, t, frame, v, container, key, true);
  } else {
    // A write whether or not it raises: the kind of an access must not depend on the state it
    // finds, or a reordered step would not be the step DPOR compared (dpor.ts wakeup trees).
    raisingItemOp(vm, container, true, () => deleteItem(container, key));
    if (container instanceof PyList || container instanceof PyDict) containerAccess(vm, container, true);
    frame.sp -= 2;
    if (container instanceof PyShared)
      visible(vm, step, t, code, pc, undefined, null, `o${container.id}`, null, true);
  }
}

/** The footprint entry and trace event of an item load or store. */
function itemVisible(
  vm: VmContext,
  step: number,
  t: ThreadState,
  frame: Frame,
  v: Value,
  container: Value,
  key: Value,
  write: boolean,
): void {
  if (!vm.observers.footprints && !vm.observers.tracing) return;
  const obj = container instanceof PyShared ? `o${container.id}` : null;
  // The cell as the container sees it: `a[-1]` is `a[len(a) - 1]`, `d[True]` is `d[1]`; a key
  // with no canonical cell counts as the whole container.
  const cell = itemCellKey(container, key);
  const { code, pc } = frame;
  visible(vm, step, t, code, pc, v, itemCellName(code, pc, container, key), obj, cell, write);
}

/** The item `container[key]` holds, or undefined (no such key or index; never raises). */
function peekItem(container: Value, key: Value): Value | undefined {
  try {
    return getItem(container, key);
  } catch {
    return undefined;
  }
}
