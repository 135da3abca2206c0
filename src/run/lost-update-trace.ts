/**
 * The traced steps of each lost update's window: from the storing thread's LOAD to its STORE,
 * every step of that thread and every step of other threads that touched the cell.
 *
 * Collected by deterministic re-execution of the recorded schedule with a tracer, so the first
 * run carries no trace cost. Only the ends of a long window are traced (EDGE steps after the
 * LOAD and before the STORE); the steps in between run untraced and are only counted when the
 * whole window was traced. The report (report/lost-update-window.ts) turns these into rows.
 */
import type { LostUpdate } from '../vm/lost-updates.js';
import type { TraceEvent } from '../vm/machine.js';
import { runProgram, type RunResult } from './run.js';

/** The steps kept of one window, in step order: its first rows, then its last ones. */
export interface WindowTrace {
  /** Index into the `updates` given to traceLostUpdateWindows. */
  index: number;
  /** The window's first steps (at most KEEP_ROWS), the LOAD first. */
  head: TraceEvent[];
  /** Its last steps (at most KEEP_ROWS), the STORE last. */
  tail: TraceEvent[];
  /** Steps of the window seen by the tracer (all of them when `whole`). */
  total: number;
  /** Whether the whole window was traced (at most 2 × EDGE steps long), not only its ends. */
  whole: boolean;
}

/** Steps kept at each end of a window. */
const KEEP_ROWS = 6;
/** Steps traced at each end of a long window. */
const EDGE = 200;

/** The part of a lost update that locates its window. */
export type WindowSpan = Pick<LostUpdate, 'cell' | 'thread' | 'loadStep' | 'storeStep'>;

/** Re-execute `result`'s schedule and keep the ends of the window of each of `updates`. */
export function traceLostUpdateWindows(result: RunResult, updates: readonly WindowSpan[]): WindowTrace[] {
  if (updates.length === 0) return [];
  const windows: WindowTrace[] = updates.map((u, index) => ({
    index,
    head: [],
    tail: [],
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
        if (w.head.length < KEEP_ROWS && (w.whole || e.step <= u.loadStep + EDGE)) w.head.push(e);
        else {
          w.tail.push(e);
          if (w.tail.length > KEEP_ROWS) w.tail.shift();
        }
      }
    },
  });
  return windows;
}
