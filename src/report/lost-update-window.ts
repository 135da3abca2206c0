/**
 * The window of the interleaving that lost an update, as rows to show: from the storing
 * thread's LOAD to its STORE, every step of that thread and every step of other threads that
 * touched the cell. Pure over the traced steps that run/lost-update-trace.ts collects.
 */
import type { WindowTrace } from '../run/lost-update-trace.js';
import { OP_INFO } from '../compile/ops.js';
import { reprCapped } from '../semantics/format.js';
import type { TraceEvent } from '../vm/machine.js';

export interface WindowRow {
  step: number;
  tid: number;
  /** `LOAD counter → 5`, `STORE counter ← 6`, `ACQUIRE lock`. */
  text: string;
}

export interface LostUpdateWindow {
  /** Index into outcome.lostUpdates.first. */
  index: number;
  rows: WindowRow[];
  /** How many of `rows` come before the gap (the rest are the window's last rows). */
  head: number;
  /** Rows left out between the first and the last ones kept, or null when not counted (a long window). */
  omitted: number | null;
}

/** One line for a visible op: mnemonic, cell or label, value read (→) or written (←). */
export function describeEvent(e: TraceEvent): string {
  const op = e.code.ops[e.pc]!;
  const mnemonic = OP_INFO[op]!.mnemonic;
  const what = e.cell ?? e.code.labels[e.pc] ?? '';
  let text = what !== '' ? `${mnemonic} ${what}` : mnemonic;
  if (e.value !== undefined) {
    if (mnemonic === 'LOAD') text += ` → ${reprCapped(e.value, 60)}`;
    else if (mnemonic === 'STORE') text += ` ← ${reprCapped(e.value, 60)}`;
    else if (e.value !== null) text += ` → ${reprCapped(e.value, 60)}`;
  }
  if (e.note !== '') text += ` (${e.note})`;
  return text;
}

/** The rows of each traced window (run/lost-update-trace.ts), each step described in one line. */
export function windowRows(traces: readonly WindowTrace[]): LostUpdateWindow[] {
  const row = (e: TraceEvent): WindowRow => ({ step: e.step, tid: e.tid, text: describeEvent(e) });
  return traces.map((w) => ({
    index: w.index,
    rows: [...w.head, ...w.tail].map(row),
    head: w.head.length,
    omitted: w.whole ? w.total - w.head.length - w.tail.length : null,
  }));
}
