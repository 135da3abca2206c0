/**
 * The final globals of a run as outcome data: which globals hold program data (not functions,
 * modules or classes) and their capped reprs. The VM, the hardware runner and the explorer's
 * outcome table all compare outcomes by this, so it lives with the values it reads.
 */
import { REPORT_REPR_CHARS, reprCapped } from '../semantics/format.js';
import { PyBuiltin, PyDict, PyFloat, PyList, PyTuple, type Value } from '../semantics/values.js';

/**
 * `record[key] = value` as an own property even for `__proto__` (a Python name that an
 * assignment would turn into a prototype change, dropping it from the outcome).
 */
function setOwn(record: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

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
export function dataGlobals(values: Map<string, Value>): Record<string, string> {
  const globals: Record<string, string> = {};
  for (const [name, v] of values)
    if (!(v instanceof PyBuiltin) && isDataValue(v)) setOwn(globals, name, reprCapped(v, REPORT_REPR_CHARS));
  return globals;
}
