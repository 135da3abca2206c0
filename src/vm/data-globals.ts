/**
 * The final globals of a run as outcome data: which globals hold program data (not functions,
 * modules or classes), their capped reprs, and the same globals as typed JS values and as JSON
 * values (src/semantics/js-value.ts). The VM, the hardware runner and the explorer's outcome
 * table all compare outcomes by the reprs, so it lives with the values it reads.
 *
 * Every record here has the data globals as own properties (even `__proto__`, a Python name
 * that an assignment would turn into a prototype change, dropping it from the outcome), in the
 * order of the `values` map: definition order.
 */
import { REPORT_REPR_CHARS, reprCapped } from '../semantics/format.js';
import { setOwn, toJsValue, toJsonValue, type JsonValue, type JsValue } from '../semantics/js-value.js';
import { PyBuiltin, PyDict, PyFloat, PyList, PyTuple, type Value } from '../semantics/values.js';

/** Whether a global holds program data (shown in outcomes), not a function, module or class. */
export function isDataValue(v: Value, depth = 0): boolean {
  if (
    v === null ||
    typeof v === 'number' ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    v instanceof PyFloat
  )
    return true;
  if (depth > 3) return true;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.every((x) => isDataValue(x, depth + 1));
  if (v instanceof PyDict)
    return [...v.map.values()].every(([k, x]) => isDataValue(k, depth + 1) && isDataValue(x, depth + 1));
  return false;
}

/**
 * The repr (capped at REPORT_REPR_CHARS) of each global that holds program data, by name, in
 * the order of `values`: what outcomes show and compare (functions, modules, classes left out).
 */
export function dataGlobals(values: ReadonlyMap<string, Value>): Record<string, string> {
  return mapData(values, (v) => reprCapped(v, REPORT_REPR_CHARS));
}

/** The globals of `dataGlobals(values)`, same names and order, as typed JS values (toJsValue). */
export function dataGlobalValues(values: ReadonlyMap<string, Value>): Record<string, JsValue> {
  return mapData(values, toJsValue);
}

/** The globals of `dataGlobals(values)`, same names and order, as JSON values (toJsonValue). */
export function dataGlobalsJson(values: ReadonlyMap<string, Value>): Record<string, JsonValue> {
  return mapData(values, toJsonValue);
}

/** `f` of each global that holds program data, by name, in the order of `values`. */
function mapData<T>(values: ReadonlyMap<string, Value>, f: (v: Value) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, v] of values) if (!(v instanceof PyBuiltin) && isDataValue(v)) setOwn(out, name, f(v));
  return out;
}
