/**
 * The slice of an execution that led to a failure: an invariant's (session/invariant.ts) or a
 * failed `assert`'s. For an invariant: the
 * steps, up to the failing one, that changed what the invariants read (a thread entering or
 * leaving a watched function, a store to a global they read) and the loads of those globals
 * (of every global, for an invariant over positions only: how the threads got there),
 * collected by deterministic re-execution of the recorded schedule in a session that checks
 * the same invariants, with a tracer (as lost-update windows are, lost-update-trace.ts). The
 * report (report/text.ts) shows them per thread, in the program's own lines. For an `assert`
 * that raised AssertionError: the loads and stores of the globals its line reads, up to the
 * step that raised. Failures after MAX_STEPS steps get no slice.
 */
import type { Invariant, InvariantViolation } from '../session/invariant.js';
import { Session } from '../session/session.js';
import { PyFloat, PyObject, PyTuple } from '../semantics/values.js';
import type { TraceEvent } from '../vm/machine.js';
import { OP_INFO } from '../compile/ops.js';
import type { RunResult } from './run.js';

/**
 * One step of the slice: the traced op, and the watched functions threads entered or left in it
 * (`tid:fn`; usually the stepping thread's own, but a start can put the new thread inside one).
 */
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

/** A failed `assert`'s slice: its thread and line too. */
export type AssertionTrace = ViolationTrace & { thread: number; line: number };

/** Steps kept of the slice. */
const KEEP_ROWS = 14;
/**
 * Steps re-executed at most (one at a time, traced): a failure further into a run of millions
 * of steps gets no slice rather than a long wait.
 */
const MAX_STEPS = 500_000;

/** Re-execute `result`'s schedule up to `violation` and keep the last steps of its slice. */
export function traceViolation(
  result: RunResult,
  violation: InvariantViolation,
  invariants: readonly Invariant[],
): ViolationTrace {
  const all = invariants.some((i) => i.reads === undefined);
  if (violation.step > MAX_STEPS) return { steps: [], earlier: 0, globals: null, functions: [] };
  return traceSlice(result, {
    globals: all ? null : [...new Set(invariants.flatMap((i) => i.reads ?? []))],
    functions: [...new Set(invariants.flatMap((i) => i.functions ?? []))],
    invariants,
    last: (step) => step === violation.step,
  });
}

/**
 * The slice of the first `assert` that failed in `result` (an uncaught AssertionError): the
 * accesses of the globals its line reads, up to the step that raised. Null when no thread
 * ended with an AssertionError or its line reads no global.
 */
export function traceAssertion(
  result: RunResult,
): (ViolationTrace & { thread: number; line: number }) | null {
  const t = result.machine.threads.find(
    (x) => x.uncaught !== null && x.uncaught.cls.name === 'AssertionError',
  );
  if (t === undefined) return null;
  const tb = t.uncaught!.traceback;
  const line = tb[tb.length - 1]?.line ?? 0;
  const globals = globalsReadAt(result, line);
  if (globals.length === 0) return null;
  let raised = false;
  const trace = traceSlice(result, {
    globals,
    functions: [],
    invariants: [],
    last: (_step, session) => {
      raised = session.machine.threads[t.tid]?.uncaught != null;
      return raised;
    },
  });
  return { ...trace, thread: t.tid, line };
}

/** Globals loaded by the ops of line `line` (in any code object of the program), by name. */
function globalsReadAt(result: RunResult, line: number): string[] {
  const names = new Set<string>();
  for (const code of result.program.codes)
    for (let pc = 0; pc < code.ops.length; pc++) {
      if (code.spans[pc * 4] !== line || OP_INFO[code.ops[pc]!]!.mnemonic !== 'LOAD') continue;
      const label = code.labels[pc] ?? '';
      const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(label)?.[0];
      if (root !== undefined && result.program.globalNames.includes(root)) names.add(root);
    }
  return [...names];
}

interface SliceTarget {
  /** Globals whose accesses are kept (null: all; empty: all, for context). */
  globals: string[] | null;
  /** Functions whose entries and exits are kept. */
  functions: string[];
  /** Invariants the re-execution checks (for the session to mark their steps). */
  invariants: readonly Invariant[];
  /** Whether the step just taken is the last of the slice (the failing one). */
  last: (step: number, session: Session) => boolean;
}

/** Re-execute `result`'s schedule until `target.last` and keep the last steps of the slice. */
function traceSlice(result: RunResult, target: SliceTarget): ViolationTrace {
  const { globals, functions } = target;
  const trace: ViolationTrace = { steps: [], earlier: 0, globals, functions };
  const session = new Session(result.program, {
    checkpoints: false,
    footprints: false,
    stepCounts: false,
    machine: { lostUpdates: false, races: false },
    invariants: target.invariants,
  });
  const m = session.machine;
  let last: TraceEvent | null = null;
  m.tracer = (e) => {
    last = e;
  };
  /** `tid:fn` for every thread inside a watched function. */
  const inside = (): string[] =>
    functions.length === 0
      ? []
      : m.threads.flatMap((t) =>
          t.finished
            ? []
            : functions
                .filter((fn) => t.frames.some((f) => f.code.name === fn))
                .map((fn) => `${t.tid}:${fn}`),
        );
  const reads = (e: TraceEvent): boolean => {
    if (e.cell === null) return false;
    // Loading a list, a dict, a thread or a lock itself says nothing (its items are the accesses).
    if (e.value instanceof PyObject && !(e.value instanceof PyFloat) && !(e.value instanceof PyTuple))
      return false;
    const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(e.cell)?.[0] ?? e.cell;
    // An invariant over positions only (mutual exclusion): every shared access, for context.
    return globals === null || globals.length === 0 || globals.includes(root);
  };
  /** One step; whether the slice ends there (the failing step, or the schedule no longer fits). */
  const take = (tid: number, choice?: number): boolean => {
    const before = inside();
    last = null;
    const step = session.step(tid, choice);
    if (step === null) return true;
    const end = target.last(step.step, session);
    const event: TraceEvent | null = last;
    if (event === null) return end; // an op that raised is not traced
    const after = inside();
    const entered = after.filter((f) => !before.includes(f));
    const left = before.filter((f) => !after.includes(f));
    if (end || entered.length > 0 || left.length > 0 || reads(event)) {
      trace.steps.push({ event, entered, left });
      if (trace.steps.length > KEEP_ROWS) {
        trace.steps.shift();
        trace.earlier++;
      }
    }
    return end;
  };
  for (const item of result.execution.schedule.items) {
    const count = item.kind === 'run' ? item.count : 1;
    for (let i = 0; i < count; i++)
      if (take(item.tid, item.kind === 'choice' ? item.option : undefined)) return trace;
  }
  return trace;
}
