/**
 * The slice of an execution that led to an invariant's failure (session/invariant.ts): the
 * steps, up to the failing one, that changed what the invariants read (a thread entering or
 * leaving a watched function, a store to a global they read) and the loads of those globals
 * (of every global, for an invariant over positions only: how the threads got there),
 * collected by deterministic re-execution of the recorded schedule in a session that checks
 * the same invariants, with a tracer (as lost-update windows are, lost-update-trace.ts). The
 * report (report/text.ts) shows them per thread, in the program's own lines.
 */
import type { Invariant, InvariantViolation } from '../session/invariant.js';
import { Session } from '../session/session.js';
import { PyFloat, PyObject, PyTuple } from '../semantics/values.js';
import type { TraceEvent } from '../vm/machine.js';
import type { RunResult } from './run.js';

/** One step of the slice: the traced op, and the watched functions its thread entered or left. */
export interface SliceStep {
  event: TraceEvent;
  entered: string[];
  left: string[];
}

/** The last steps of the slice, the failing step last. */
export interface ViolationTrace {
  steps: SliceStep[];
  /** Steps of the slice before those kept. */
  earlier: number;
  /** What the slice follows: the globals (null: all of them) and functions the invariants read. */
  globals: string[] | null;
  functions: string[];
}

/** Steps kept of the slice. */
const KEEP_ROWS = 14;

/** Re-execute `result`'s schedule up to `violation` and keep the last steps of its slice. */
export function traceViolation(
  result: RunResult,
  violation: InvariantViolation,
  invariants: readonly Invariant[],
): ViolationTrace {
  const all = invariants.some((i) => i.reads === undefined);
  const globals = all ? null : [...new Set(invariants.flatMap((i) => i.reads ?? []))];
  const functions = [...new Set(invariants.flatMap((i) => i.functions ?? []))];
  const trace: ViolationTrace = { steps: [], earlier: 0, globals, functions };
  const session = new Session(result.program, {
    checkpoints: false,
    footprints: false,
    stepCounts: false,
    machine: { lostUpdates: false, races: false },
    invariants,
  });
  const m = session.machine;
  let last: TraceEvent | null = null;
  m.tracer = (e) => {
    last = e;
  };
  const inside = (tid: number): string[] => {
    const t = m.threads[tid];
    if (t === undefined || t.finished) return [];
    return functions.filter((fn) => t.frames.some((f) => f.code.name === fn));
  };
  const reads = (e: TraceEvent): boolean => {
    if (e.cell === null) return false;
    // Loading a list, a dict, a thread or a lock itself says nothing (its items are the accesses).
    if (e.value instanceof PyObject && !(e.value instanceof PyFloat) && !(e.value instanceof PyTuple))
      return false;
    const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(e.cell)?.[0] ?? e.cell;
    // An invariant over positions only (mutual exclusion): every shared access, for context.
    return globals === null || globals.length === 0 || globals.includes(root);
  };
  const take = (tid: number, choice?: number): boolean => {
    const before = inside(tid);
    last = null;
    const step = session.step(tid, choice);
    if (step === null) return false;
    const event: TraceEvent | null = last;
    if (event === null) return true; // an op that raised is not traced
    const after = inside(tid);
    const entered = after.filter((f) => !before.includes(f));
    const left = before.filter((f) => !after.includes(f));
    if (step.step === violation.step || entered.length > 0 || left.length > 0 || reads(event)) {
      trace.steps.push({ event, entered, left });
      if (trace.steps.length > KEEP_ROWS) {
        trace.steps.shift();
        trace.earlier++;
      }
    }
    return true;
  };
  for (const item of result.execution.schedule.items) {
    const count = item.kind === 'run' ? item.count : 1;
    for (let i = 0; i < count && m.steps <= violation.step; i++)
      if (!take(item.tid, item.kind === 'choice' ? item.option : undefined)) return trace;
    if (m.steps > violation.step) break;
  }
  return trace;
}
