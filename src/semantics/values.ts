/**
 * Python values as both engines hold them (the simulator, src/vm; the hardware runtime, src/hw,
 * whose shared objects extend these classes: src/hw/objects.ts).
 *
 * Python value → JS representation:
 *   int → number (always an integer, |n| ≤ 2^53; beyond that OverflowError)
 *   float → PyFloat (boxed, so `2` and `2.0` print differently, as in Python)
 *   bool → boolean, None → null, str → string
 *   tuple, list, dict, range, functions, threads, locks, ... → the classes below.
 * `undefined` is never a Python value: it marks an unbound variable.
 *
 * Lists and dicts are shared memory (docs/LANGUAGE.md, "Threads and shared memory"): each has an
 * `id` so footprints, reports and state hashes can name it.
 */
import type { CodeObject } from '../compile/ops.js';

export type Value = number | boolean | string | null | PyObject;

/**
 * What kind of object a value is, as a number on each class's prototype: the state copier and
 * hasher switch on it instead of walking a chain of `instanceof` tests.
 */
export const enum Kind {
  Immutable,
  Tuple,
  List,
  Dict,
  Lock,
  Semaphore,
  Condition,
  Event,
  Thread,
  SeqIter,
  DictIter,
  EnumerateIter,
  DictView,
  BoundMethod,
  Function,
  Exception,
  Float,
}

/** Base class of every boxed value. */
export abstract class PyObject {
  declare readonly kind: Kind;
}

export class PyFloat extends PyObject {
  constructor(readonly v: number) {
    super();
  }
}

export class PyTuple extends PyObject {
  constructor(readonly items: readonly Value[]) {
    super();
  }
}

/** A heap object shared between threads: its `id` is stable within one execution. */
export abstract class PyShared extends PyObject {
  constructor(readonly id: number) {
    super();
  }
}

export class PyList extends PyShared {
  constructor(
    id: number,
    public items: Value[],
  ) {
    super(id);
  }
}

/** Dict entries keyed by the normalized key (see `dictKey`), holding the original key and value. */
export class PyDict extends PyShared {
  readonly map = new Map<DictKey, [Value, Value]>();
  constructor(id: number) {
    super(id);
  }
}

export class PyRange extends PyObject {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    super();
  }
  /**
   * The number of items: exact up to 2^53, beyond that the nearest double (for comparisons
   * with an index; `len()` uses `bigLength` and refuses what is not exact).
   */
  get length(): number {
    const { start, stop, step } = this;
    const span = step > 0 ? stop - start : start - stop;
    if (span <= 0) return 0;
    // Below 2^53 the difference and the floor of the quotient are exact.
    if (span < MAX_INT) return Math.floor((span - 1) / Math.abs(step)) + 1;
    return Number(this.bigLength);
  }
  /** The exact number of items. */
  get bigLength(): bigint {
    const start = BigInt(this.start);
    const stop = BigInt(this.stop);
    const step = BigInt(this.step);
    if (step > 0n) return stop > start ? (stop - start - 1n) / step + 1n : 0n;
    return start > stop ? (start - stop - 1n) / -step + 1n : 0n;
  }
  /** Item `i` (0 ≤ i < length), exact: an item lies between start and stop, so within 2^53. */
  at(i: number): number {
    const offset = i * this.step;
    if (offset < MAX_INT && offset > -MAX_INT) return this.start + offset;
    return this.atBig(BigInt(i));
  }
  /** Item `i` for an index beyond 2^53 (a range of more than 2^53 items). */
  atBig(i: bigint): number {
    return Number(BigInt(this.start) + i * BigInt(this.step));
  }
}

/** A user function: code index into the program's `codes`, and evaluated defaults. */
export class PyFunction extends PyObject {
  constructor(
    readonly name: string,
    readonly code: CodeObject,
    readonly codeIndex: number,
    readonly defaults: Value[],
  ) {
    super();
  }
}

/** A builtin function, class or module member, by its name in BUILTIN_NAMES. */
export class PyBuiltin extends PyObject {
  constructor(readonly name: string) {
    super();
  }
  /** The name Python shows, without the module prefix. */
  get shortName(): string {
    const dot = this.name.lastIndexOf('.');
    return dot < 0 ? this.name : this.name.slice(dot + 1);
  }
}

export class PyModule extends PyObject {
  constructor(readonly name: string) {
    super();
  }
}

/** `sys.stdout` / `sys.stderr`. */
export class PyStream extends PyObject {
  constructor(readonly name: 'stdout' | 'stderr') {
    super();
  }
}

/** `obj.method` taken as a value (not called at once), e.g. `target=lock.release`. */
export class PyBoundMethod extends PyObject {
  constructor(
    readonly self: Value,
    readonly name: string,
  ) {
    super();
  }
}

/** An exception class; `base` is null only for BaseException. */
export class PyExcClass extends PyObject {
  constructor(
    readonly name: string,
    readonly base: PyExcClass | null,
  ) {
    super();
  }
  isSubclassOf(other: PyExcClass): boolean {
    if (this === other) return true;
    return this.base !== null && this.base.isSubclassOf(other);
  }
}

/** One line of a traceback, outermost first. */
export interface TraceEntry {
  file: string;
  line: number;
  func: string;
}

export class PyException extends PyObject {
  /** Frames the exception passed through, outermost first (filled while it unwinds). */
  traceback: TraceEntry[] = [];
  constructor(
    readonly cls: PyExcClass,
    readonly args: readonly Value[],
  ) {
    super();
  }
}

// ---------------------------------------------------------------- threading objects

/** Lock and RLock. `owner` is the thread id holding it, or -1. A plain Lock may be released by any thread. */
export class PyLock extends PyShared {
  owner = -1;
  /** Recursion count (RLock); 1 while a plain Lock is held. */
  count = 0;
  /** Source line of the acquire that took it (for deadlock reports), or 0. */
  acquiredLine = 0;
  constructor(
    id: number,
    readonly reentrant: boolean,
  ) {
    super(id);
  }
}

export class PySemaphore extends PyShared {
  constructor(
    id: number,
    public value: number,
    /** The initial value for a BoundedSemaphore, or -1 for an unbounded one. */
    readonly bound: number,
  ) {
    super(id);
  }
}

export class PyCondition extends PyShared {
  /** Thread ids waiting to be notified, in arrival order. */
  waiters: number[] = [];
  constructor(
    id: number,
    readonly lock: PyLock,
  ) {
    super(id);
  }
}

export class PyEvent extends PyShared {
  flag = false;
  constructor(id: number) {
    super(id);
  }
}

export type ThreadObjectState = 'initial' | 'started' | 'stopped';

/** A `threading.Thread` object. `tid` is assigned by `start()` (threads are numbered in start order). */
export class PyThread extends PyShared {
  tid = -1;
  state: ThreadObjectState = 'initial';
  constructor(
    id: number,
    public name: string,
    readonly target: Value,
    /** The `args` given, checked only when the thread starts (as in CPython). */
    readonly args: Value,
    /** The `kwargs` given, checked only when the thread starts. */
    readonly kwargs: Value,
    public daemon: boolean,
  ) {
    super(id);
  }
}

// ---------------------------------------------------------------- iterators

export class PySeqIter extends PyObject {
  index = 0;
  constructor(readonly seq: PyList | PyTuple | string | PyRange) {
    super();
  }
}

/** Iterates over a snapshot of a dict's keys; like CPython, fails if the dict changes size. */
export class PyDictIter extends PyObject {
  index = 0;
  constructor(
    readonly dict: PyDict,
    readonly keys: Value[],
    readonly size: number,
    readonly mode: 'keys' | 'values' | 'items',
  ) {
    super();
  }
}

export class PyEnumerateIter extends PyObject {
  count: number;
  constructor(
    readonly inner: PyObject,
    start: number,
  ) {
    super();
    this.count = start;
  }
}

/** A dict view (`d.keys()`, `d.values()`, `d.items()`): a live view, iterated through PyDictIter. */
export class PyDictView extends PyObject {
  constructor(
    readonly dict: PyDict,
    readonly mode: 'keys' | 'values' | 'items',
  ) {
    super();
  }
}

// ---------------------------------------------------------------- helpers

/** Normalized dict key: Python's `1 == 1.0 == True` share one entry. */
export type DictKey = number | string | object;

const NONE_KEY = { none: true };

/**
 * Returns the Map key for a Python value, or undefined if the value is unhashable.
 *
 * Equal values share a key (1, 1.0 and True; equal tuples; equal ranges). A NaN float is keyed
 * by its object, as CPython hashes a NaN by identity: `n in {n: 1}` but not `float('nan')`.
 */
export function dictKey(v: Value): DictKey | undefined {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return NONE_KEY;
  if (v instanceof PyFloat) return Number.isNaN(v.v) ? v : v.v;
  if (v instanceof PyTuple) return tupleKey(v);
  if (v instanceof PyList || v instanceof PyDict) return undefined;
  if (v instanceof PyRange) {
    // Equal ranges are the same sequence: length, then first item, then step where they matter.
    const n = v.bigLength;
    return `\u0001range(${n}${n === 0n ? '' : `,${v.start}${n === 1n ? '' : `,${v.step}`}`})`;
  }
  return v;
}

/**
 * A tuple's key: `\0(` items `)`, each item `s"json"`, `n<number>`, `o<object id>` or a nested
 * tuple written in place. Built without recursion, so a tuple nested 100,000 deep still hashes
 * (as in CPython), and in time linear in its size.
 */
function tupleKey(t: PyTuple): DictKey | undefined {
  const out: string[] = ['\u0000('];
  const stack: [readonly Value[], number][] = [[t.items, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const items = top[0];
    const i = top[1]++;
    if (i === items.length) {
      out.push(')');
      stack.pop();
      continue;
    }
    if (i > 0) out.push(',');
    const item = items[i]!;
    if (item instanceof PyTuple) {
      out.push('(');
      stack.push([item.items, 0]);
      continue;
    }
    const k = dictKey(item);
    if (k === undefined) return undefined;
    out.push(
      typeof k === 'string'
        ? `s${JSON.stringify(k)}`
        : typeof k === 'number'
          ? `n${k}`
          : `o${objectKeyId(k)}`,
    );
  }
  return out.join('');
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
/** A stable number for an object used as a dict key (identity-hashed values). */
export function objectKeyId(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(o, id);
  }
  return id;
}

export const MAX_INT = 9007199254740992; // 2^53

/** Longest str the simulator builds (see `strTooLong` in arith.ts for why). */
export const MAX_STR_LENGTH = 2 ** 28;
/** Most items of a list or tuple the simulator builds (see `listTooLong` in arith.ts). */
export const MAX_LIST_LENGTH = 2 ** 24;
/** Most entries of a dict: V8's Map refuses more than 2^24. */
export const MAX_DICT_SIZE = 2 ** 24;

/** Python truthiness for values that are not shared containers (those are read by the VM). */
export function isTruthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (v === null) return false;
  if (v instanceof PyFloat) return v.v !== 0;
  if (v instanceof PyList) return v.items.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.map.size > 0;
  if (v instanceof PyRange) return v.length > 0;
  return true;
}

/** True for values whose reading touches shared memory (lists, dicts, and tuples holding them). */
export function touchesShared(v: Value): boolean {
  if (v instanceof PyList || v instanceof PyDict || v instanceof PyDictView) return true;
  if (!(v instanceof PyTuple)) return false;
  // Without recursion: tuples may nest deeper than the JS stack.
  let pending: PyTuple[] | null = null;
  for (let t: PyTuple | undefined = v; t !== undefined; t = pending?.pop()) {
    for (const item of t.items) {
      if (item instanceof PyList || item instanceof PyDict || item instanceof PyDictView) return true;
      if (item instanceof PyTuple) (pending ??= []).push(item);
    }
  }
  return false;
}

/** Python's `type(v).__name__`, as it appears in error messages. */
export function typeName(v: Value): string {
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v === null) return 'NoneType';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyList) return 'list';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PyFunction) return 'function';
  if (v instanceof PyBuiltin)
    return v.name.startsWith('threading.') && /^[A-Z]/.test(v.shortName)
      ? 'type'
      : 'builtin_function_or_method';
  if (v instanceof PyModule) return 'module';
  if (v instanceof PyExcClass) return 'type';
  if (v instanceof PyException) return v.cls.name;
  if (v instanceof PyLock) return v.reentrant ? '_thread.RLock' : '_thread.lock';
  if (v instanceof PySemaphore) return v.bound >= 0 ? 'BoundedSemaphore' : 'Semaphore';
  if (v instanceof PyCondition) return 'Condition';
  if (v instanceof PyEvent) return 'Event';
  if (v instanceof PyThread) return 'Thread';
  if (v instanceof PyStream) return '_io.TextIOWrapper';
  if (v instanceof PyBoundMethod) return 'method';
  if (v instanceof PyDictView)
    return v.mode === 'keys' ? 'dict_keys' : v.mode === 'values' ? 'dict_values' : 'dict_items';
  if (v instanceof PySeqIter) return 'iterator';
  if (v instanceof PyDictIter) return 'dict_keyiterator';
  if (v instanceof PyEnumerateIter) return 'enumerate';
  return 'object';
}

// Each class's kind, on its prototype (see Kind).
Object.defineProperty(PyObject.prototype, 'kind', { value: Kind.Immutable, writable: false });
Object.defineProperty(PyFloat.prototype, 'kind', { value: Kind.Float, writable: false });
Object.defineProperty(PyTuple.prototype, 'kind', { value: Kind.Tuple, writable: false });
Object.defineProperty(PyList.prototype, 'kind', { value: Kind.List, writable: false });
Object.defineProperty(PyDict.prototype, 'kind', { value: Kind.Dict, writable: false });
Object.defineProperty(PyFunction.prototype, 'kind', { value: Kind.Function, writable: false });
Object.defineProperty(PyBoundMethod.prototype, 'kind', { value: Kind.BoundMethod, writable: false });
Object.defineProperty(PyException.prototype, 'kind', { value: Kind.Exception, writable: false });
Object.defineProperty(PyLock.prototype, 'kind', { value: Kind.Lock, writable: false });
Object.defineProperty(PySemaphore.prototype, 'kind', { value: Kind.Semaphore, writable: false });
Object.defineProperty(PyCondition.prototype, 'kind', { value: Kind.Condition, writable: false });
Object.defineProperty(PyEvent.prototype, 'kind', { value: Kind.Event, writable: false });
Object.defineProperty(PyThread.prototype, 'kind', { value: Kind.Thread, writable: false });
Object.defineProperty(PySeqIter.prototype, 'kind', { value: Kind.SeqIter, writable: false });
Object.defineProperty(PyDictIter.prototype, 'kind', { value: Kind.DictIter, writable: false });
Object.defineProperty(PyEnumerateIter.prototype, 'kind', { value: Kind.EnumerateIter, writable: false });
Object.defineProperty(PyDictView.prototype, 'kind', { value: Kind.DictView, writable: false });
