/**
 * What a visible op touched, sent to the machine's observers: the footprint entries and trace
 * event of a visible op, reads of whole lists and dicts (printing, comparing, iterating),
 * whole-container accesses for the race detector, and the footprint of an item op that raises.
 * Each helper skips its work when no observer listens to what it would send.
 */
import type { CodeObject } from '../compile/ops.js';
import { objectName } from './cells.js';
import type { VmContext } from './machine-view.js';
import type { ThreadState } from './thread.js';
import {
  PyDict,
  PyDictIter,
  PyDictView,
  PyEnumerateIter,
  PyList,
  PySeqIter,
  PyShared,
  PyTuple,
  typeName,
  type Value,
} from '../semantics/values.js';

/** Report a visible op: one footprint entry (when `obj` is not null) and its trace event. */
export function visible(
  vm: VmContext,
  step: number,
  t: ThreadState,
  code: CodeObject,
  pc: number,
  value: Value | undefined,
  cell: string | null,
  obj: string | null,
  key: string | null,
  write: boolean,
  note = '',
): void {
  const o = vm.observers;
  if (obj !== null) o.access(obj, key, write);
  if (o.tracing) o.trace({ step, tid: t.tid, thread: t.name, code, pc, value, cell, note });
}

/** A dynamic visible op read these values' shared contents. */
export function readShared(
  vm: VmContext,
  step: number,
  t: ThreadState,
  code: CodeObject,
  pc: number,
  values: Value[],
): void {
  const o = vm.observers;
  if (!o.footprints && !o.tracing && !o.containers) return;
  for (const v of values) noteReads(vm, v);
  if (o.tracing)
    o.trace({
      step,
      tid: t.tid,
      thread: t.name,
      code,
      pc,
      value: undefined,
      cell: null,
      note: 'reads shared',
    });
}

/** A FOR_ITER step over a list or dict: a read of the whole container. */
export function readIterator(
  vm: VmContext,
  step: number,
  t: ThreadState,
  code: CodeObject,
  pc: number,
  it: Value,
): void {
  const o = vm.observers;
  if (!o.footprints && !o.tracing && !o.containers) return;
  let inner: Value = it;
  while (inner instanceof PyEnumerateIter) inner = inner.inner as Value;
  if (inner instanceof PySeqIter) noteReads(vm, inner.seq as Value);
  else if (inner instanceof PyDictIter) noteReads(vm, inner.dict);
  if (o.tracing)
    o.trace({ step, tid: t.tid, thread: t.name, code, pc, value: undefined, cell: null, note: 'next item' });
}

/** A read of the whole of `v`'s shared containers (length, iteration, printing, ...). */
export function noteReads(vm: VmContext, v: Value): void {
  // A dict view (`d.keys()`) reads its dict.
  if (v instanceof PyDictView) v = v.dict;
  if (v instanceof PyList || v instanceof PyDict) {
    if (vm.observers.footprints) deepFootprint(vm, v, new Set());
    containerAccess(vm, v, false);
  } else if (v instanceof PyTuple) for (const x of v.items) noteReads(vm, x);
}

/**
 * The footprint of reading all of `v`: printing, comparing or converting a list reads the
 * lists and dicts inside it too (each once, cycles included).
 */
function deepFootprint(vm: VmContext, v: Value, seen: Set<Value>): void {
  if (seen.has(v)) return;
  seen.add(v);
  if (v instanceof PyList || v instanceof PyDict) vm.observers.access(`o${v.id}`, null, false);
  const inner =
    v instanceof PyList || v instanceof PyTuple
      ? v.items
      : v instanceof PyDict
        ? [...v.map.values()].flat()
        : [];
  for (const x of inner)
    if (x instanceof PyList || x instanceof PyDict || x instanceof PyTuple) deepFootprint(vm, x, seen);
}

/** An access of a whole list or dict (its length and layout) by the running thread. */
export function containerAccess(vm: VmContext, v: PyList | PyDict, write: boolean): void {
  const o = vm.observers;
  if (!o.containers) return;
  const t = vm.running;
  const f = t.frame;
  o.containerAccess(t, v, () => objectName(vm, v, `${typeName(v)}#${v.id}`), write, f.codeIndex, f.pc);
}

/**
 * An item op that may raise (a missing key, an index out of range): the footprint of the
 * access is noted before the exception leaves, as what it raised on depends on other threads.
 */
export function raisingItemOp<T>(vm: VmContext, container: Value, write: boolean, op: () => T): T {
  try {
    return op();
  } catch (err) {
    // What it raised on (an index out of range: the length; a missing key) is read as the whole.
    if (container instanceof PyShared) vm.observers.access(`o${container.id}`, null, write);
    throw err;
  }
}
