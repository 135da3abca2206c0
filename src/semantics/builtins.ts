/**
 * Builtin functions and constructors (docs/LANGUAGE.md, "Built-ins"), with CPython's errors.
 *
 * The effectful ones (print, time.sleep, random.randint, random.choice) are in effects.ts: the
 * engine running the program owns output, time and choices. Everything here is thread-local
 * computation except what it reads from lists and dicts, which the simulator has already
 * made a step of its own.
 */
import { addInts, bigToInt, checkListLength, lessThan, checkedInt } from './arith.js';
import { EXC, raise } from './exceptions.js';
import { repr, str } from './format.js';
import {
  PyBuiltin,
  PyCondition,
  PyDict,
  PyDictIter,
  PyDictView,
  PyEnumerateIter,
  PyEvent,
  PyException,
  PyExcClass,
  PyFloat,
  PyFunction,
  PyList,
  PyLock,
  PyRange,
  PySemaphore,
  PySeqIter,
  PyThread,
  PyTuple,
  MAX_DICT_SIZE,
  MAX_INT,
  dictKey,
  isTruthy,
  typeName,
  type Value,
} from './values.js';

/** What builtins need from the machine. */
export interface BuiltinContext {
  newId(): number;
  newList(items: Value[]): PyList;
  newDict(): PyDict;
  currentThread(): PyThread;
  mainThread(): PyThread;
  activeCount(): number;
  /** CPython's automatic thread name: `Thread-N (target)`. */
  nextThreadName(target: Value): string;
}

/** Positional and keyword arguments of one call. */
export interface Args {
  pos: Value[];
  kw: Map<string, Value> | null;
}

/** Builtins whose work reads the contents of their arguments (so lists and dicts make them a step). */
export const READS_ARGUMENTS = new Set([
  'len',
  'repr',
  'str',
  'int',
  'float',
  'bool',
  'min',
  'max',
  'sum',
  'list',
  'tuple',
  'dict',
  'sorted',
  'enumerate',
  'Exception',
]);

function noKeywords(name: string, a: Args): void {
  if (a.kw !== null && a.kw.size > 0) raise('TypeError', `${name}() takes no keyword arguments`);
}

function exactly(name: string, a: Args, n: number): void {
  noKeywords(name, a);
  if (a.pos.length !== n) {
    raise(
      'TypeError',
      `${name}() takes exactly ${n === 1 ? 'one argument' : `${n} arguments`} (${a.pos.length} given)`,
    );
  }
}

/** An int argument (`'str' object cannot be interpreted as an integer` otherwise). */
export function asIndex(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  raise('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`);
}

/** The items of an iterable, read at once (the caller has made this read a step when shared). */
export function iterate(v: Value): Value[] {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.slice();
  if (typeof v === 'string') {
    checkListLength(v.length);
    return [...v];
  }
  if (v instanceof PyRange) {
    const out: Value[] = [];
    const n = v.length;
    if (n > 10_000_000) raise('OverflowError', 'range too large to materialize');
    for (let i = 0; i < n; i++) out.push(v.at(i));
    return out;
  }
  if (v instanceof PyDict) return [...v.map.values()].map(([k]) => k);
  if (v instanceof PyDictView) {
    return [...v.dict.map.values()].map(([k, val]) =>
      v.mode === 'keys' ? k : v.mode === 'values' ? val : new PyTuple([k, val]),
    );
  }
  if (v instanceof PySeqIter) {
    const items = iterate(v.seq).slice(v.index);
    v.index += items.length;
    return items;
  }
  if (v instanceof PyDictIter) {
    const out: Value[] = [];
    for (; v.index < v.keys.length; v.index++) out.push(v.keys[v.index]!);
    return out;
  }
  if (v instanceof PyEnumerateIter) {
    const items = iterate(v.inner as Value);
    return items.map((x) => new PyTuple([v.count++, x]));
  }
  raise('TypeError', `'${typeName(v)}' object is not iterable`);
}

/** `len(v)`. */
export function length(v: Value): number {
  if (typeof v === 'string') return v.length;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.map.size;
  if (v instanceof PyDictView) return v.dict.map.size;
  if (v instanceof PyRange) {
    const n = v.length;
    return n < MAX_INT ? n : bigToInt(v.bigLength);
  }
  raise('TypeError', `object of type '${typeName(v)}' has no len()`);
}

function toInt(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) {
    if (!Number.isFinite(v.v))
      raise(Number.isNaN(v.v) ? 'ValueError' : 'OverflowError', `cannot convert float ${repr(v)} to integer`);
    return checkedInt(Math.trunc(v.v)) + 0;
  }
  if (typeof v === 'string') {
    // Digits with single underscores between them (PEP 515); parsed exactly, never rounded.
    const t = v.trim();
    if (/^[+-]?\d+(?:_\d+)*$/.test(t)) return bigToInt(BigInt(t.replace(/_/g, '')));
    raise('ValueError', `invalid literal for int() with base 10: ${repr(v)}`);
  }
  raise(
    'TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`,
  );
}

function toFloat(v: Value): PyFloat {
  if (typeof v === 'number') return new PyFloat(v);
  if (typeof v === 'boolean') return new PyFloat(v ? 1 : 0);
  if (v instanceof PyFloat) return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    const special = /^([+-]?)(inf|infinity|nan)$/.exec(t);
    if (special !== null)
      return new PyFloat(special[2] === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity);
    // Underscores only between digits (PEP 515), as CPython's float() accepts them.
    if (/^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?$/.test(t))
      return new PyFloat(Number(t.replace(/_/g, '')));
    raise('ValueError', `could not convert string to float: ${repr(v)}`);
  }
  raise('TypeError', `float() argument must be a string or a real number, not '${typeName(v)}'`);
}

function extremum(name: 'min' | 'max', a: Args): Value {
  const items = a.pos.length === 1 ? iterate(a.pos[0]!) : a.pos;
  if (a.pos.length === 0) raise('TypeError', `${name} expected at least 1 argument, got 0`);
  const dflt = a.kw?.get('default');
  if (items.length === 0) {
    if (dflt !== undefined) return dflt;
    raise('ValueError', `${name}() arg is an empty sequence`);
  }
  let best = items[0] as Value;
  for (const x of items.slice(1)) if (name === 'min' ? lessThan(x, best) : lessThan(best, x)) best = x;
  return best;
}

function sortValues(items: Value[], reverse: boolean): Value[] {
  // A stable merge sort through Python's ordering (errors propagate as TypeError).
  const sorted = items.slice();
  sorted.sort((x, y) => (lessThan(x, y) ? -1 : lessThan(y, x) ? 1 : 0));
  if (reverse) sorted.reverse();
  return sorted;
}

function makeRange(a: Args): PyRange {
  noKeywords('range', a);
  const n = a.pos.map(asIndex);
  if (n.length === 0) raise('TypeError', 'range expected at least 1 argument, got 0');
  if (n.length > 3) raise('TypeError', `range expected at most 3 arguments, got ${n.length}`);
  const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
  if (step === 0) raise('ValueError', 'range() arg 3 must not be zero');
  return new PyRange(start, stop, step);
}

/** Keyword-or-positional parameter lookup for constructors. */
function param(a: Args, index: number, name: string, dflt: Value): Value {
  const kw = a.kw?.get(name);
  if (kw !== undefined) return kw;
  return index < a.pos.length ? a.pos[index]! : dflt;
}

function checkKeywords(fn: string, a: Args, allowed: string[]): void {
  if (a.kw === null) return;
  for (const k of a.kw.keys())
    if (!allowed.includes(k)) raise('TypeError', `${fn}() got an unexpected keyword argument '${k}'`);
}

function makeThread(ctx: BuiltinContext, a: Args): PyThread {
  checkKeywords('Thread', a, ['group', 'target', 'name', 'args', 'kwargs', 'daemon']);
  if (a.pos.length > 6)
    raise(
      'TypeError',
      `Thread.__init__() takes from 1 to 7 positional arguments but ${a.pos.length + 1} were given`,
    );
  if (param(a, 0, 'group', null) !== null) raise('AssertionError', 'group argument must be None for now');
  const target = param(a, 1, 'target', null);
  const name = param(a, 2, 'name', null);
  const args = param(a, 3, 'args', new PyTuple([]));
  const kwargs = param(a, 4, 'kwargs', null);
  const daemon = param(a, 5, 'daemon', null);
  const threadName = name === null ? ctx.nextThreadName(target) : str(name);
  return new PyThread(
    ctx.newId(),
    threadName,
    target,
    args,
    kwargs,
    daemon === null ? ctx.currentThread().daemon : isTruthy(daemon),
  );
}

/** Call builtin `name`. Raises TypeError/ValueError/... as CPython does. */
export function callBuiltin(ctx: BuiltinContext, b: PyBuiltin, a: Args): Value {
  const name = b.name;
  const exc = EXC[name];
  if (exc !== undefined) {
    noKeywords(name, a);
    return new PyException(exc, a.pos);
  }
  switch (name) {
    case 'range':
      return makeRange(a);
    case 'len':
      exactly('len', a, 1);
      return length(a.pos[0]!);
    case 'repr':
      exactly('repr', a, 1);
      return repr(a.pos[0]!);
    case 'str':
      noKeywords('str', a);
      if (a.pos.length > 1) raise('TypeError', 'str() takes at most 1 argument with the subset');
      return a.pos.length === 0 ? '' : str(a.pos[0]!);
    case 'int':
      noKeywords('int', a);
      if (a.pos.length > 1) raise('TypeError', 'int() with a base is not supported in the subset');
      return a.pos.length === 0 ? 0 : toInt(a.pos[0]!);
    case 'float':
      noKeywords('float', a);
      return a.pos.length === 0 ? new PyFloat(0) : toFloat(a.pos[0]!);
    case 'bool':
      noKeywords('bool', a);
      return a.pos.length === 0 ? false : isTruthy(a.pos[0]!);
    case 'abs': {
      exactly('abs', a, 1);
      const v = a.pos[0]!;
      if (typeof v === 'number') return Math.abs(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v instanceof PyFloat) return new PyFloat(Math.abs(v.v));
      return raise('TypeError', `bad operand type for abs(): '${typeName(v)}'`);
    }
    case 'min':
    case 'max':
      return extremum(name, a);
    case 'sum': {
      if (a.pos.length < 1) raise('TypeError', 'sum() takes at least 1 positional argument (0 given)');
      let total: Value = param(a, 1, 'start', 0);
      for (const x of iterate(a.pos[0]!)) total = addForSum(total, x);
      return total;
    }
    case 'list':
      noKeywords('list', a);
      return ctx.newList(a.pos.length === 0 ? [] : iterate(a.pos[0]!));
    case 'tuple':
      noKeywords('tuple', a);
      return new PyTuple(a.pos.length === 0 ? [] : iterate(a.pos[0]!));
    case 'dict': {
      const d = ctx.newDict();
      if (a.pos.length > 0) {
        const src = a.pos[0]!;
        if (src instanceof PyDict) for (const [k, kv] of src.map) d.map.set(k, [kv[0], kv[1]]);
        else {
          for (const item of iterate(src)) {
            const pair = iterate(item);
            if (pair.length !== 2)
              raise(
                'ValueError',
                `dictionary update sequence element has length ${pair.length}; 2 is required`,
              );
            dictSet(d, pair[0]!, pair[1]!);
          }
        }
      }
      if (a.kw !== null) for (const [k, v] of a.kw) dictSet(d, k, v);
      return d;
    }
    case 'sorted': {
      if (a.pos.length !== 1) raise('TypeError', `sorted expected 1 argument, got ${a.pos.length}`);
      checkKeywords('sorted', a, ['reverse']);
      return ctx.newList(sortValues(iterate(a.pos[0]!), isTruthy(a.kw?.get('reverse') ?? false)));
    }
    case 'enumerate': {
      const it = a.pos[0];
      if (it === undefined) raise('TypeError', "enumerate() missing required argument 'iterable'");
      return new PyEnumerateIter(getIterator(it), asIndex(param(a, 1, 'start', 0)));
    }
    case 'isinstance': {
      exactly('isinstance', a, 2);
      const [v, cls] = a.pos as [Value, Value];
      const classes = cls instanceof PyTuple ? cls.items : [cls];
      return classes.some((c) => isInstance(v, c));
    }
    case 'threading.Thread':
      return makeThread(ctx, a);
    case 'threading.Lock':
      exactly('Lock', a, 0);
      return new PyLock(ctx.newId(), false);
    case 'threading.RLock':
      exactly('RLock', a, 0);
      return new PyLock(ctx.newId(), true);
    case 'threading.Semaphore':
    case 'threading.BoundedSemaphore': {
      checkKeywords(b.shortName, a, ['value']);
      const v = param(a, 0, 'value', 1);
      // CPython only checks `value < 0`: a float is a valid initial value.
      const value =
        typeof v === 'number' || typeof v === 'boolean' ? Number(v) : v instanceof PyFloat ? v.v : NaN;
      if (Number.isNaN(value))
        raise('TypeError', `'<' not supported between instances of '${typeName(v)}' and 'int'`);
      if (value < 0) raise('ValueError', 'semaphore initial value must be >= 0');
      return new PySemaphore(ctx.newId(), value, name === 'threading.BoundedSemaphore' ? value : -1);
    }
    case 'threading.Condition': {
      checkKeywords('Condition', a, ['lock']);
      const lock = param(a, 0, 'lock', null);
      if (lock !== null && !(lock instanceof PyLock))
        raise('TypeError', 'Condition() takes a Lock or an RLock');
      return new PyCondition(ctx.newId(), lock ?? new PyLock(ctx.newId(), true));
    }
    case 'threading.Event':
      exactly('Event', a, 0);
      return new PyEvent(ctx.newId());
    case 'threading.current_thread':
      exactly('current_thread', a, 0);
      return ctx.currentThread();
    case 'threading.main_thread':
      exactly('main_thread', a, 0);
      return ctx.mainThread();
    case 'threading.active_count':
      exactly('active_count', a, 0);
      return ctx.activeCount();
    default:
      raise('TypeError', `'${typeName(b)}' object is not callable`);
  }
}

function addForSum(total: Value, x: Value): Value {
  if (typeof total === 'number' && typeof x === 'number') return addInts(total, x);
  const t = typeof total === 'boolean' ? Number(total) : total;
  const v = typeof x === 'boolean' ? Number(x) : x;
  if ((typeof t === 'number' || t instanceof PyFloat) && (typeof v === 'number' || v instanceof PyFloat)) {
    if (typeof t === 'number' && typeof v === 'number') return addInts(t, v);
    const sum = (typeof t === 'number' ? t : t.v) + (typeof v === 'number' ? v : v.v);
    return new PyFloat(sum);
  }
  raise('TypeError', `unsupported operand type(s) for +: '${typeName(total)}' and '${typeName(x)}'`);
}

function isInstance(v: Value, cls: Value): boolean {
  if (cls instanceof PyExcClass) return v instanceof PyException && v.cls.isSubclassOf(cls);
  if (!(cls instanceof PyBuiltin))
    raise('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
  switch (cls.name) {
    case 'int':
      return typeof v === 'number' || typeof v === 'boolean';
    case 'float':
      return v instanceof PyFloat;
    case 'bool':
      return typeof v === 'boolean';
    case 'str':
      return typeof v === 'string';
    case 'list':
      return v instanceof PyList;
    case 'tuple':
      return v instanceof PyTuple;
    case 'dict':
      return v instanceof PyDict;
    case 'threading.Thread':
      return v instanceof PyThread;
    default:
      return false;
  }
}

/** Set `d[k] = v` (TypeError for an unhashable key). */
export function dictSet(d: PyDict, k: Value, v: Value): void {
  const key = dictKey(k);
  if (key === undefined) raise('TypeError', `unhashable type: '${typeName(k)}'`);
  const existing = d.map.get(key);
  if (existing !== undefined) existing[1] = v;
  else {
    if (d.map.size >= MAX_DICT_SIZE) dictTooLarge();
    d.map.set(key, [k, v]);
  }
}

/** A dict at V8's Map limit (2^24 entries) refuses a new key. */
export function dictTooLarge(): never {
  raise('MemoryError', 'dict is too large: the simulator caps dicts at 2**24 entries');
}

/** `iter(v)`: an iterator object for a for loop. */
export function getIterator(v: Value): PySeqIter | PyDictIter | PyEnumerateIter {
  if (v instanceof PyList || v instanceof PyTuple || typeof v === 'string' || v instanceof PyRange)
    return new PySeqIter(v);
  if (v instanceof PyDict) return new PyDictIter(v, iterate(v), v.map.size, 'keys');
  if (v instanceof PyDictView) {
    const keys = [...v.dict.map.values()].map(([k]) => k);
    return new PyDictIter(v.dict, keys, v.dict.map.size, v.mode);
  }
  if (v instanceof PySeqIter || v instanceof PyDictIter || v instanceof PyEnumerateIter) return v;
  raise('TypeError', `'${typeName(v)}' object is not iterable`);
}

/** Whether `callee` can be called (for the error message of CALL). */
export function isCallable(v: Value): boolean {
  return v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyExcClass;
}
