/**
 * The window of the interleaving that lost an update: from the storing thread's LOAD to its
 * STORE, every step of that thread and every step of other threads that touched the cell.
 *
 * Collected by deterministic re-execution of the recorded schedule with a tracer, up to the
 * last window's STORE, so the hot loop of the first run carries no trace cost. Long windows
 * keep their first and last rows and count the rest.
 */
import { runProgram, type RunResult } from '../api/run.js';
import { OP_INFO } from '../compile/ops.js';
import { repr } from '../vm/format.js';
import type { TraceEvent } from '../vm/machine.js';
import type { Outcome } from './outcome.js';

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
  /** Rows left out between the first and the last ones kept. */
  omitted: number;
  /** Writes to the cell by other threads inside the window. */
  foreignWrites: number;
}

/** Rows kept at each end of a long window. */
const KEEP = 6;

/** One line for a visible op: mnemonic, cell or label, value read (→) or written (←). */
export function describeEvent(e: TraceEvent): string {
  const op = e.code.ops[e.pc]!;
  const mnemonic = OP_INFO[op]!.mnemonic;
  const what = e.cell ?? e.code.labels[e.pc] ?? '';
  let text = what !== '' ? `${mnemonic} ${what}` : mnemonic;
  if (e.value !== undefined) {
    if (mnemonic === 'LOAD') text += ` → ${repr(e.value)}`;
    else if (mnemonic === 'STORE') text += ` ← ${repr(e.value)}`;
    else if (e.value !== null) text += ` → ${repr(e.value)}`;
  }
  if (e.note !== '') text += ` (${e.note})`;
  return text;
}

/** Re-execute `result`'s schedule and collect the window of each of the first lost updates. */
export function collectWindows(result: RunResult, outcome: Outcome): LostUpdateWindow[] {
  const updates = outcome.lostUpdates.first;
  if (updates.length === 0) return [];
  const windows = updates.map((_, index) => ({
    index,
    head: [] as WindowRow[],
    tail: [] as WindowRow[],
    total: 0,
    foreignWrites: 0,
  }));
  const last = Math.max(...updates.map((u) => u.storeStep));
  runProgram(result.program, {
    schedule: result.execution.schedule,
    stopAtStep: last + 1,
    tracer: (e) => {
      for (const w of windows) {
        const u = updates[w.index]!;
        if (e.step < u.loadStep || e.step > u.storeStep) continue;
        if (e.tid !== u.thread && e.cell !== u.cell) continue;
        const row = { step: e.step, tid: e.tid, text: describeEvent(e) };
        if (e.tid !== u.thread && OP_INFO[e.code.ops[e.pc]!]!.mnemonic === 'STORE') w.foreignWrites++;
        w.total++;
        // Keep the first rows, a rolling tail, and always the two ends (the LOAD and the STORE).
        if (w.head.length < KEEP) w.head.push(row);
        else {
          w.tail.push(row);
          if (w.tail.length > KEEP) w.tail.shift();
        }
      }
    },
  });
  return windows.map((w) => ({
    index: w.index,
    rows: [...w.head, ...w.tail],
    omitted: w.total - w.head.length - w.tail.length,
    foreignWrites: w.foreignWrites,
  }));
}
