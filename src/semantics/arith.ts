/**
 * Arithmetic and comparison with Python's semantics: int/float/bool promotion, floor division
 * and modulo rounding toward negative infinity, str and sequence concatenation/repetition,
 * ints exact up to 2^53 (beyond: OverflowError, never a wrong number), and CPython's messages.
 *
 * The interpreter handles int+int inline; everything else comes here.
 */
import { Op, type CompareOp } from '../compile/ops.js';
import { raise } from './exceptions.js';
import {
  MAX_INT,
  MAX_LIST_LENGTH,
  MAX_STR_LENGTH,
  PyDict,
  PyFloat,
  PyList,
  PyRange,
  PyTuple,
  typeName,
  type Value,
} from './values.js';

const SYMBOL: Partial<Record<Op, string>> = {
  [Op.ADD]: '+',
  [Op.SUB]: '-',
  [Op.MUL]: '*',
  [Op.TRUEDIV]: '/',
  [Op.FLOORDIV]: '//',
  [Op.MOD]: '%',
};

function overflow(): never {
  raise('OverflowError', 'integer result beyond 2**53: the simulator keeps ints exact only up to 2**53');
}

/** An int result already known to be exact, checked against the range |n| ≤ 2^53. */
export function checkedInt(n: number): number {
  if (n > MAX_INT || n < -MAX_INT) overflow();
  return n;
}

/** An exact integer as an int, or OverflowError beyond 2^53 (never a rounded number). */
export function bigToInt(n: bigint): number {
  if (n > BigInt(MAX_INT) || n < -BigInt(MAX_INT)) overflow();
  return Number(n) + 0;
}

/**
 * `a OP b` on ints, exact or OverflowError. Doubles are exact below 2^53; at the edge the
 * rounded result is checked against the exact one (2^53 + 1 rounds to 2^53 and is refused).
 * Never -0: `0 * -5` is the int 0.
 */
function intOp(op: Op, a: number, b: number): number {
  const r = op === Op.ADD ? a + b : op === Op.SUB ? a - b : a * b;
  if (r < MAX_INT && r > -MAX_INT) return r + 0;
  if (r > MAX_INT || r < -MAX_INT) overflow();
  const exact =
    op === Op.ADD ? BigInt(a) + BigInt(b) : op === Op.SUB ? BigInt(a) - BigInt(b) : BigInt(a) * BigInt(b);
  if (exact !== BigInt(r)) overflow();
  return r;
}

/** `a + b` on ints, exact or OverflowError (as the `+` op). */
export function addInts(a: number, b: number): number {
  return intOp(Op.ADD, a, b);
}

/** Numeric view: ints and bools as {int}, floats as {float}; null for non-numbers. */
function num(v: Value): { n: number; float: boolean } | null {
  if (typeof v === 'number') return { n: v, float: false };
  if (typeof v === 'boolean') return { n: v ? 1 : 0, float: false };
  if (v instanceof PyFloat) return { n: v.v, float: true };
  return null;
}

function unsupported(op: Op, a: Value, b: Value, augmented: boolean): never {
  raise(
    'TypeError',
    `unsupported operand type(s) for ${SYMBOL[op]}${augmented ? '=' : ''}: '${typeName(a)}' and '${typeName(b)}'`,
  );
}

/** Int `a % b` (b ≠ 0) with the sign of b, as Python does; never -0. */
function floorMod(a: number, b: number): number {
  const r = a % b;
  return (r !== 0 && r < 0 !== b < 0 ? r + b : r) + 0;
}

/** C's copysign(0.0, x). */
function signedZero(x: number): number {
  return x < 0 || Object.is(x, -0) ? -0 : 0;
}

/**
 * CPython's float_divmod (Objects/floatobject.c), step for step: `[vx // wx, vx % wx]` for
 * floats, wx ≠ 0. JS `%` is C's fmod; C's `if (mod)` is true for NaN, hence `!== 0`.
 */
function floatDivmod(vx: number, wx: number): [number, number] {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    // The remainder takes the sign of the denominator.
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else mod = signedZero(wx);
  let floordiv: number;
  if (div !== 0) {
    // Snap the quotient to the nearest integral value.
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else floordiv = signedZero(vx / wx);
  return [floordiv, mod];
}

/**
 * Length caps of the simulator, so that a runaway `s = s + s` or append loop ends in a
 * MemoryError, as in CPython (which raises it much later), instead of crashing V8:
 *  - str: 2^28 UTF-16 units. V8's own limit is 2^29 − 24, so `s + s` is refused by this check
 *    before V8 throws; a two-byte string at the cap is 512 MB, within the default heap.
 *  - list/tuple: 2^24 items (as dicts, whose V8 Map stops at 2^24 entries): 128 MB of 8-byte
 *    slots, which a list doubling on every copy builds in seconds, while 2^26 items took tens
 *    of seconds and half a gigabyte per copy.
 */
export function strTooLong(what = 'string'): never {
  raise('MemoryError', `${what} is too long: the simulator caps strings at 2**28 characters`);
}

/** The pieces of an f-string joined (BUILD_STRING): MemoryError past the cap, checked as it grows. */
export function buildString(pieces: readonly string[]): string {
  let s = '';
  for (const p of pieces) {
    s += p;
    if (s.length > MAX_STR_LENGTH) strTooLong('f-string');
  }
  return s;
}

export function listTooLong(what = 'list'): never {
  raise('MemoryError', `${what} is too long: the simulator caps lists and tuples at 2**24 items`);
}

/** Refuse a list or tuple of `n` items beyond the cap. */
export function checkListLength(n: number, what = 'list'): void {
  if (n > MAX_LIST_LENGTH) listTooLong(what);
}

/**
 * `times` copies of `items`, in a loop (a spread of a large array overflows the JS stack),
 * into an array allocated at its final size (at most MAX_LIST_LENGTH: V8 keeps it a fast array).
 */
export function repeatItems<T>(items: readonly T[], times: number): T[] {
  const n = items.length;
  const out = new Array<T>(n * times);
  for (let t = 0, k = 0; t < times; t++) for (let i = 0; i < n; i++) out[k++] = items[i]!;
  return out;
}

/** `a` followed by `b`, without a spread call. */
export function concatItems<T>(a: readonly T[], b: readonly T[]): T[] {
  return a.concat(b);
}

/**
 * `a OP b` for OP in ADD SUB MUL TRUEDIV FLOORDIV MOD. `newList` makes a fresh shared list
 * (list + list and list * n create one). `augmented`: the op is `a OP= b` (CPython names
 * `-=` in its TypeError); lists are changed in place by `inPlace` (containers.ts) instead.
 */
export function binary(
  op: Op,
  a: Value,
  b: Value,
  newList: (items: Value[]) => PyList,
  augmented = false,
): Value {
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) {
    const float = x.float || y.float;
    switch (op) {
      case Op.ADD:
      case Op.SUB:
      case Op.MUL:
        if (!float) return intOp(op, x.n, y.n);
        return new PyFloat(op === Op.ADD ? x.n + y.n : op === Op.SUB ? x.n - y.n : x.n * y.n);
      case Op.TRUEDIV:
        if (y.n === 0) raise('ZeroDivisionError', float ? 'float division by zero' : 'division by zero');
        return new PyFloat(x.n / y.n);
      case Op.FLOORDIV:
        if (y.n === 0)
          raise(
            'ZeroDivisionError',
            float ? 'float floor division by zero' : 'integer division or modulo by zero',
          );
        // Exact for ints: |x|, |y| ≤ 2^53, so the rounded quotient never crosses an integer.
        return float ? new PyFloat(floatDivmod(x.n, y.n)[0]) : Math.floor(x.n / y.n) + 0;
      case Op.MOD:
        if (y.n === 0) raise('ZeroDivisionError', float ? 'float modulo' : 'integer modulo by zero');
        return float ? new PyFloat(floatDivmod(x.n, y.n)[1]) : floorMod(x.n, y.n);
      default:
        break;
    }
  }
  if (op === Op.ADD) {
    if (typeof a === 'string') {
      if (typeof b === 'string') {
        if (a.length + b.length > MAX_STR_LENGTH) strTooLong('concatenated string');
        return a + b;
      }
      raise('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
    }
    if (a instanceof PyList) {
      if (b instanceof PyList) {
        checkListLength(a.items.length + b.items.length);
        return newList(concatItems(a.items, b.items));
      }
      raise('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
    }
    if (a instanceof PyTuple) {
      if (b instanceof PyTuple) {
        checkListLength(a.items.length + b.items.length, 'tuple');
        return new PyTuple(concatItems(a.items, b.items));
      }
      raise('TypeError', `can only concatenate tuple (not "${typeName(b)}") to tuple`);
    }
  }
  if (op === Op.MUL) {
    const [seq, count] = x === null ? [a, y] : [b, x];
    if (typeof seq === 'string' || seq instanceof PyList || seq instanceof PyTuple) {
      if (count === null || count.float)
        raise('TypeError', `can't multiply sequence by non-int of type '${typeName(x === null ? b : a)}'`);
      const times = Math.max(0, count.n);
      if (typeof seq === 'string') {
        if (seq.length * times > MAX_STR_LENGTH) strTooLong('repeated string');
        return seq.repeat(times);
      }
      if (seq.items.length * times > MAX_LIST_LENGTH) listTooLong('repeated sequence');
      return seq instanceof PyList
        ? newList(repeatItems(seq.items, times))
        : new PyTuple(repeatItems(seq.items, times));
    }
  }
  if (op === Op.MOD && typeof a === 'string')
    raise('TypeError', 'printf-style formatting is not supported; use an f-string');
  unsupported(op, a, b, augmented);
}

/**
 * Nesting depth at which comparisons give up, as CPython's recursion limit (1000) does: at
 * module level CPython compares 998 nested lists and refuses 999.
 */
const MAX_COMPARE_DEPTH = 998;

function tooDeep(): never {
  raise('RecursionError', 'maximum recursion depth exceeded in comparison');
}

/**
 * Python `a == b` (structural for tuples, lists, dicts, ranges; 1 == 1.0 == True). Floats use
 * IEEE equality: a NaN is unequal even to itself. Items inside containers are compared with
 * `sameOrEquals` (CPython's identity shortcut), so `[nan] == [nan]` holds for one NaN object.
 */
export function equals(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return !(a instanceof PyFloat && Number.isNaN(a.v));
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) return x.n === y.n;
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEquals(a.items, b.items, depth);
  if (a instanceof PyList && b instanceof PyList) return seqEquals(a.items, b.items, depth);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    if (depth >= MAX_COMPARE_DEPTH) tooDeep();
    for (const [k, [, v]] of a.map) {
      const other = b.map.get(k);
      if (other === undefined || !sameOrEquals(v, other[1], depth + 1)) return false;
    }
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) {
    // Equal as sequences: same length, and the same first item and step where they matter.
    const n = a.bigLength;
    if (n !== b.bigLength) return false;
    return n === 0n || (a.start === b.start && (n === 1n || a.step === b.step));
  }
  return false;
}

/**
 * CPython's PyObject_RichCompareBool(a, b, Py_EQ): `a is b or a == b`. Used for container
 * items, membership (`in`), `list.index/count/remove` and dict values.
 */
export function sameOrEquals(a: Value, b: Value, depth = 0): boolean {
  return a === b || equals(a, b, depth);
}

function seqEquals(a: readonly Value[], b: readonly Value[], depth: number): boolean {
  if (a.length !== b.length) return false;
  if (a.length > 0 && depth >= MAX_COMPARE_DEPTH) tooDeep();
  for (let i = 0; i < a.length; i++) if (!sameOrEquals(a[i]!, b[i]!, depth + 1)) return false;
  return true;
}

function numberCompare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/**
 * Order of two strings by code point, as Python compares them (JS compares UTF-16 units,
 * which puts U+E000..U+FFFF after the astral characters).
 */
function stringOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      // Surrogates (astral code points) sort after U+E000..U+FFFF.
      ca += ca < 0xe000 ? 0x2000 : -0x800;
      cb += cb < 0xe000 ? 0x2000 : -0x800;
    }
    return ca < cb ? -1 : 1;
  }
  return a.length - b.length;
}

/** Python's `a OP b` for a comparison op. */
export function compare(op: CompareOp, a: Value, b: Value, depth = 0): boolean {
  if (op === '==') return equals(a, b, depth);
  if (op === '!=') return !equals(a, b, depth);
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) return numberCompare(op, x.n, y.n);
  if (typeof a === 'string' && typeof b === 'string') return numberCompare(op, stringOrder(a, b), 0);
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    // CPython's list/tuple richcompare: the first items that differ decide, else the lengths.
    const ai = a.items;
    const bi = b.items;
    const n = Math.min(ai.length, bi.length);
    if (n > 0 && depth >= MAX_COMPARE_DEPTH) tooDeep();
    for (let i = 0; i < n; i++) {
      if (!sameOrEquals(ai[i]!, bi[i]!, depth + 1)) return compare(op, ai[i]!, bi[i]!, depth + 1);
    }
    return numberCompare(op, ai.length, bi.length);
  }
  raise('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Unary minus / plus. */
export function unary(op: Op.NEG | Op.POS, v: Value): Value {
  const x = num(v);
  if (x === null)
    raise('TypeError', `bad operand type for unary ${op === Op.NEG ? '-' : '+'}: '${typeName(v)}'`);
  if (op === Op.POS) return x.float ? v : x.n;
  return x.float ? new PyFloat(-x.n) : x.n === 0 ? 0 : -x.n;
}

/** Sort key comparison used by `sorted`, `min`, `max`. */
export function lessThan(a: Value, b: Value): boolean {
  return compare('<', a, b);
}
