/**
 * The window of the interleaving that lost an update: from the storing thread's LOAD to its
 * STORE, every step of that thread and every step of other threads that touched the cell.
 *
 * Collected by deterministic re-execution of the recorded schedule with a tracer, so the first
 * run carries no trace cost. Only the ends of a long window are traced (EDGE steps after the
 * LOAD and before the STORE); the steps in between run untraced and are summarized.
 */
import { runProgram, type RunResult } from '../api/run.js';
import { OP_INFO } from '../compile/ops.js';
import { reprCapped } from '../semantics/format.js';
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
  /** How many of `rows` come before the gap (the rest are the window's last rows). */
  head: number;
  /** Rows left out between the first and the last ones kept, or null when not counted (a long window). */
  omitted: number | null;
}

/** Rows kept at each end of a window. */
const KEEP = 6;
/** Steps traced at each end of a long window. */
const EDGE = 200;

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

/** Re-execute `result`'s schedule and collect the window of each of the first lost updates. */
export function collectWindows(result: RunResult, outcome: Outcome): LostUpdateWindow[] {
  const updates = outcome.lostUpdates.first;
  if (updates.length === 0) return [];
  const windows = updates.map((u, index) => ({
    index,
    head: [] as TraceEvent[],
    tail: [] as TraceEvent[],
    total: 0,
    whole: u.storeStep - u.loadStep <= 2 * EDGE,
  }));
  // Trace the whole of a short window, the two ends of a long one; merge what overlaps.
  const wanted: [number, number][] = [];
  for (const [i, u] of updates.entries()) {
    if (windows[i]!.whole) wanted.push([u.loadStep, u.storeStep]);
    else wanted.push([u.loadStep, u.loadStep + EDGE], [u.storeStep - EDGE, u.storeStep]);
  }
  const ranges: [number, number][] = [];
  for (const [from, to] of wanted.sort((a, b) => a[0] - b[0])) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  runProgram(result.program, {
    schedule: result.execution.schedule,
    stopAtStep: Math.max(...updates.map((u) => u.storeStep)) + 1,
    traceRanges: ranges,
    tracer: (e) => {
      for (const w of windows) {
        const u = updates[w.index]!;
        if (e.step < u.loadStep || e.step > u.storeStep) continue;
        if (e.tid !== u.thread && e.cell !== u.cell) continue;
        w.total++;
        // Keep the first rows and a rolling tail: the window's LOAD and STORE are always kept.
        if (w.head.length < KEEP && (w.whole || e.step <= u.loadStep + EDGE)) w.head.push(e);
        else {
          w.tail.push(e);
          if (w.tail.length > KEEP) w.tail.shift();
        }
      }
    },
  });
  const row = (e: TraceEvent): WindowRow => ({ step: e.step, tid: e.tid, text: describeEvent(e) });
  return windows.map((w) => ({
    index: w.index,
    rows: [...w.head, ...w.tail].map(row),
    head: w.head.length,
    omitted: w.whole ? w.total - w.head.length - w.tail.length : null,
  }));
}
