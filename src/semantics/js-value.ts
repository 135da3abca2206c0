/**
 * Python values as plain, typed JS values: what the library API hands to user code (execution
 * records, `outcomeOf(...).values`) and what `--json` prints, with the Python `repr` kept beside
 * them (`Outcome.globals`, `globalsRepr` in JSON).
 *
 *   int    → number (the language's ints stay within ±2^53: beyond it is an OverflowError,
 *            semantics/values.ts, so no int needs a bigint)
 *   float  → number (nan, inf → NaN, Infinity; in JSON: null, with the repr telling which)
 *   bool   → boolean          str → string          None → null
 *   list   → array            tuple → frozen array (`Object.isFrozen` tells it from a list)
 *   dict   → Map (keys as converted values; insertion order)
 *   other  → { type, repr }   (a Lock, a Thread, a function: no JS counterpart; `type` is the
 *            Python type name, `_thread.lock`, `Thread`, `function`)
 *
 * JSON form (`toJsonValue`): the same, except that a tuple is an array, and a dict is an object
 * only when every key is a string, no key is a decimal integer (`"0"`, `"42"`: a JS object
 * would move it ahead of the others) and its keys are not those of a form below; any other dict
 * is `{ "dict": [[key, value], ...] }`. So an object whose only key is `dict` is a dict with
 * other keys, one whose keys are exactly `type` and `repr` a value with no JSON counterpart, and
 * any other object a dict with string keys, in insertion order.
 *
 * Bounds, so that neither conversion can exhaust memory or the stack: a value nested deeper than
 * MAX_DEPTH (a list that contains itself) is given as `{ type, repr }` from there down, and a
 * value whose size (its values, plus the characters of its strings) passes MAX_VALUE_SIZE is
 * given whole as `{ type, repr }`. A repr in `{ type, repr }` is cut at REPORT_REPR_CHARS
 * characters (ending in `…`), as the reprs of reports are.
 */
import { REPORT_REPR_CHARS, reprCapped } from './format.js';
import { PyDict, PyFloat, PyList, PyTuple, typeName, type Value } from './values.js';

/** A Python value with no JS counterpart (or past a bound): its Python type name and its repr. */
export interface OpaqueValue {
  readonly type: string;
  readonly repr: string;
}

/** A Python value as a typed JS value (see the table in src/semantics/js-value.ts). */
export type JsValue =
  | number
  | string
  | boolean
  | null
  | readonly JsValue[]
  | ReadonlyMap<JsValue, JsValue>
  | OpaqueValue;

/** A Python value as JSON (see the JSON form in src/semantics/js-value.ts). */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Nesting past which values are given as `{ type, repr }` (a list that contains itself). */
export const MAX_DEPTH = 32;

/** Size (values, plus the characters of strings) past which a value is given as `{ type, repr }`. */
export const MAX_VALUE_SIZE = 1_000_000;

/** Thrown when a conversion passes MAX_VALUE_SIZE; caught where the conversion started. */
const TOO_BIG = Symbol('too big');

/** What is left of a conversion's MAX_VALUE_SIZE. */
class Budget {
  private left = MAX_VALUE_SIZE;
  spend(v: Value): void {
    this.left -= typeof v === 'string' ? 1 + v.length : 1;
    if (this.left < 0) throw TOO_BIG;
  }
}

function opaque(v: Value): OpaqueValue {
  return { type: typeName(v), repr: reprCapped(v, REPORT_REPR_CHARS) };
}

/** `convert(v)`, or `v` as `{ type, repr }` when the conversion passes MAX_VALUE_SIZE. */
function bounded<T>(v: Value, convert: (budget: Budget) => T, tooBig: (o: OpaqueValue) => T): T {
  try {
    return convert(new Budget());
  } catch (e) {
    if (e !== TOO_BIG) throw e;
    return tooBig(opaque(v));
  }
}

function jsOf(v: Value, depth: number, budget: Budget): JsValue {
  budget.spend(v);
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof PyFloat) return v.v;
  if (depth >= MAX_DEPTH) return opaque(v);
  if (v instanceof PyList) return v.items.map((x) => jsOf(x, depth + 1, budget));
  if (v instanceof PyTuple) return Object.freeze(v.items.map((x) => jsOf(x, depth + 1, budget)));
  if (v instanceof PyDict) {
    const m = new Map<JsValue, JsValue>();
    for (const [k, x] of v.map.values()) m.set(jsOf(k, depth + 1, budget), jsOf(x, depth + 1, budget));
    return m;
  }
  return opaque(v);
}

/** `v` as a typed JS value (see the table above). Never throws. */
export function toJsValue(v: Value): JsValue {
  return bounded(
    v,
    (budget) => jsOf(v, 0, budget),
    (o) => o,
  );
}

/** Whether a dict with these string keys can be a JSON object (see the JSON form above). */
function objectKeys(keys: readonly string[]): boolean {
  if (keys.length === 1 && keys[0] === 'dict') return false;
  if (keys.length === 2 && keys.includes('type') && keys.includes('repr')) return false;
  return keys.every((k) => !/^(?:0|[1-9][0-9]*)$/.test(k));
}

/** `record[key] = value` as an own property even for `__proto__` (which would set the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function jsonOf(v: Value, depth: number, budget: Budget): JsonValue {
  budget.spend(v);
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof PyFloat) return Number.isFinite(v.v) ? v.v : null;
  if (depth >= MAX_DEPTH) return { ...opaque(v) };
  if (v instanceof PyList || v instanceof PyTuple) return v.items.map((x) => jsonOf(x, depth + 1, budget));
  if (v instanceof PyDict) {
    const entries = [...v.map.values()];
    const keys = entries.map(([k]) => k);
    if (keys.every((k) => typeof k === 'string') && objectKeys(keys as string[])) {
      const o: { [key: string]: JsonValue } = {};
      for (const [k, x] of entries) {
        budget.spend(k);
        setOwn(o, k as string, jsonOf(x, depth + 1, budget));
      }
      return o;
    }
    return { dict: entries.map(([k, x]) => [jsonOf(k, depth + 1, budget), jsonOf(x, depth + 1, budget)]) };
  }
  return { ...opaque(v) };
}

/** `v` as a JSON value (see the JSON form above). Never throws. */
export function toJsonValue(v: Value): JsonValue {
  return bounded(
    v,
    (budget) => jsonOf(v, 0, budget),
    (o) => ({ ...o }),
  );
}
