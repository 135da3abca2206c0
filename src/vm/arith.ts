/**
 * Arithmetic and comparison with Python's semantics: int/float/bool promotion, floor division
 * and modulo rounding toward negative infinity, str and sequence concatenation/repetition,
 * ints exact up to 2^53 (beyond: OverflowError, never a wrong number), and CPython's messages.
 *
 * The interpreter handles int+int inline; everything else comes here.
 */
import { Op, type CompareOp } from '../compile/ops.js';
import { raise } from './exceptions.js';
import { MAX_INT, PyDict, PyFloat, PyList, PyTuple, typeName, type Value } from './values.js';

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

/**
 * `a OP b` on ints, exact or OverflowError. Doubles are exact below 2^53; at the edge the
 * rounded result is checked against the exact one (2^53 + 1 rounds to 2^53 and is refused).
 */
function intOp(op: Op, a: number, b: number): number {
  const r = op === Op.ADD ? a + b : op === Op.SUB ? a - b : a * b;
  if (r < MAX_INT && r > -MAX_INT) return r;
  if (r > MAX_INT || r < -MAX_INT) overflow();
  const exact =
    op === Op.ADD ? BigInt(a) + BigInt(b) : op === Op.SUB ? BigInt(a) - BigInt(b) : BigInt(a) * BigInt(b);
  if (exact !== BigInt(r)) overflow();
  return r;
}

/** Numeric view: ints and bools as {int}, floats as {float}; null for non-numbers. */
function num(v: Value): { n: number; float: boolean } | null {
  if (typeof v === 'number') return { n: v, float: false };
  if (typeof v === 'boolean') return { n: v ? 1 : 0, float: false };
  if (v instanceof PyFloat) return { n: v.v, float: true };
  return null;
}

function unsupported(op: Op, a: Value, b: Value): never {
  raise('TypeError', `unsupported operand type(s) for ${SYMBOL[op]}: '${typeName(a)}' and '${typeName(b)}'`);
}

function floorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

function repeat<T>(items: readonly T[], times: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(...items);
  return out;
}

/**
 * `a OP b` for OP in ADD SUB MUL TRUEDIV FLOORDIV MOD. `newList` makes a fresh shared list
 * (list + list and list * n create one).
 */
export function binary(op: Op, a: Value, b: Value, newList: (items: Value[]) => PyList): Value {
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
        return float ? new PyFloat(Math.floor(x.n / y.n)) : Math.floor(x.n / y.n);
      case Op.MOD:
        if (y.n === 0) raise('ZeroDivisionError', float ? 'float modulo' : 'integer modulo by zero');
        return float ? new PyFloat(floorMod(x.n, y.n)) : floorMod(x.n, y.n);
      default:
        break;
    }
  }
  if (op === Op.ADD) {
    if (typeof a === 'string') {
      if (typeof b === 'string') return a + b;
      raise('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
    }
    if (a instanceof PyList) {
      if (b instanceof PyList) return newList([...a.items, ...b.items]);
      raise('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
    }
    if (a instanceof PyTuple) {
      if (b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
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
        if (seq.length * times > 100_000_000) raise('OverflowError', 'repeated string is too long');
        return seq.repeat(times);
      }
      if (seq.items.length * times > 10_000_000) raise('OverflowError', 'repeated sequence is too long');
      return seq instanceof PyList
        ? newList(repeat(seq.items, times))
        : new PyTuple(repeat(seq.items, times));
    }
  }
  if (op === Op.MOD && typeof a === 'string')
    raise('TypeError', 'printf-style formatting is not supported; use an f-string');
  unsupported(op, a, b);
}

/** Python `a == b` (structural for tuples, lists, dicts; 1 == 1.0 == True). */
export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) return x.n === y.n;
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEquals(a.items, b.items);
  if (a instanceof PyList && b instanceof PyList) return seqEquals(a.items, b.items);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, [, v]] of a.map) {
      const other = b.map.get(k);
      if (other === undefined || !equals(v, other[1])) return false;
    }
    return true;
  }
  return false;
}

function seqEquals(a: readonly Value[], b: readonly Value[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equals(a[i]!, b[i]!)) return false;
  return true;
}

/** -1, 0 or 1 for an ordering comparison, or a TypeError naming `symbol`. */
function order(a: Value, b: Value, symbol: string): number {
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) return x.n < y.n ? -1 : x.n > y.n ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    const ai = a.items;
    const bi = b.items;
    for (let i = 0; i < Math.min(ai.length, bi.length); i++) {
      if (!equals(ai[i]!, bi[i]!)) return order(ai[i]!, bi[i]!, symbol);
    }
    return ai.length - bi.length < 0 ? -1 : ai.length > bi.length ? 1 : 0;
  }
  raise('TypeError', `'${symbol}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function compare(op: CompareOp, a: Value, b: Value): boolean {
  switch (op) {
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case '<':
      return order(a, b, op) < 0;
    case '<=':
      return order(a, b, op) <= 0;
    case '>':
      return order(a, b, op) > 0;
    case '>=':
      return order(a, b, op) >= 0;
  }
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
  return order(a, b, '<') < 0;
}
