/**
 * How the VM names what it reports on: an item cell as the program wrote it (`d['a']`,
 * `items[0]`) and a shared object by the global that holds it. Reports, the race detector and
 * the lost-update tracker all name cells this way.
 */
import type { CodeObject } from '../compile/ops.js';
import { repr } from '../semantics/format.js';
import { PyList, type Value } from '../semantics/values.js';

/** The globals of a running program, by index (the machine, or a view of it). */
export interface GlobalsView {
  readonly program: { readonly globalNames: readonly string[] };
  readonly globals: readonly (Value | undefined)[];
}

/** A display name for a shared object: the global that holds it, else `fallback` (else `object`). */
export function objectName(view: GlobalsView, obj: Value, fallback: string): string {
  const names = view.program.globalNames;
  for (let i = 0; i < names.length; i++) if (view.globals[i] === obj) return names[i]!;
  return fallback || 'object';
}

/** `d['a']` / `items[0]`: the cell an item op touched, from the op's source label and the actual key. */
export function itemCellName(code: CodeObject, pc: number, container: Value, key: Value): string {
  const label = code.labels[pc] || 'item';
  const bracket = label.lastIndexOf('[');
  const base = bracket > 0 ? label.slice(0, bracket) : label.replace(/\.(get|setdefault)$/, '');
  return `${base}[${repr(container instanceof PyList ? Number(key) : key)}]`;
}
