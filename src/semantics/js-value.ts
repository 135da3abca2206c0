/**
 * Python values as plain, typed JS values: what the library API hands to user code (invariants,
 * execution records) and what `--json` prints, with the Python `repr` kept beside them.
 *
 *   int    → number (the language's ints stay within ±2^53: beyond it is an OverflowError,
 *            semantics/values.ts, so no int needs a bigint)
 *   float  → number (nan, inf → NaN, Infinity; in JSON: null, with the repr telling which)
 *   bool   → boolean          str → string          None → null
 *   list   → array            tuple → frozen array (`Object.isFrozen` tells it from a list)
 *   dict   → Map (keys as converted values; insertion order)
 *   other  → { type, repr }   (a Lock, a Thread, a function: no JS counterpart)
 *
 * JSON form (`toJsonValue`): the same, except that a dict whose keys are all strings is an
 * object, any other dict is `{ "dict": [[key, value], ...] }`, and a tuple is an array.
 */
import { repr } from './format.js';
import { PyDict, PyFloat, PyList, PyTuple, type Value } from './values.js';

/** A Python value with no JS counterpart: its Python type name and repr. */
export interface OpaqueValue {
  readonly type: string;
  readonly repr: string;
}

export type JsValue =
  | number
  | string
  | boolean
  | null
  | readonly JsValue[]
  | ReadonlyMap<JsValue, JsValue>
  | OpaqueValue;

export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Nesting past which values are given as their repr (a list that contains itself). */
const MAX_DEPTH = 32;

function opaque(v: Value): OpaqueValue {
  const name = v !== null && typeof v === 'object' ? v.constructor.name.replace(/^Py/, '') : typeof v;
  return { type: name, repr: repr(v) };
}

/** `v` as a typed JS value (see the table above). Never throws. */
export function toJsValue(v: Value, depth = 0): JsValue {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof PyFloat) return v.v;
  if (depth >= MAX_DEPTH) return opaque(v);
  if (v instanceof PyList) return v.items.map((x) => toJsValue(x, depth + 1));
  if (v instanceof PyTuple) return Object.freeze(v.items.map((x) => toJsValue(x, depth + 1)));
  if (v instanceof PyDict) {
    const m = new Map<JsValue, JsValue>();
    for (const [k, x] of v.map.values()) m.set(toJsValue(k, depth + 1), toJsValue(x, depth + 1));
    return m;
  }
  return opaque(v);
}

/** `v` as a JSON value (see the JSON form above). Never throws. */
export function toJsonValue(v: Value, depth = 0): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return Number.isFinite(v.v) ? v.v : null;
  if (depth >= MAX_DEPTH) return { ...opaque(v) };
  if (v instanceof PyList || v instanceof PyTuple) return v.items.map((x) => toJsonValue(x, depth + 1));
  if (v instanceof PyDict) {
    const entries = [...v.map.values()];
    if (entries.every(([k]) => typeof k === 'string')) {
      const o: { [key: string]: JsonValue } = {};
      for (const [k, x] of entries)
        Object.defineProperty(o, k as string, {
          value: toJsonValue(x, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return o;
    }
    return { dict: entries.map(([k, x]) => [toJsonValue(k, depth + 1), toJsonValue(x, depth + 1)]) };
  }
  return { ...opaque(v) };
}
