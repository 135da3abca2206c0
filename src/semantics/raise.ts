/**
 * Raising and tracebacks, as both engines build them. A traceback starts at the frame where
 * its exception is first raised and gains a line for each frame it then leaves, outermost
 * first (CPython's order when printed). `raise e` of an exception already raised starts a new
 * one; a bare `raise` and the re-raise at the end of a `finally` keep the traceback as it is.
 * A thread's bootstrap frame (code `<thread>`, the simulator's call of the target) has no line.
 */
import type { CodeObject } from '../compile/ops.js';
import { EXC, makeException, raise } from './exceptions.js';
import { PyExcClass, PyException, type TraceEntry, type Value } from './values.js';

/** Name of the code of a thread's bootstrap frame (no traceback line). */
export const BOOTSTRAP_CODE_NAME = '<thread>';

/** The traceback line of `pc` in `code` of the program in `file`, or null for a bootstrap frame. */
export function traceEntry(file: string, code: CodeObject, pc: number): TraceEntry | null {
  if (code.name === BOOTSTRAP_CODE_NAME) return null;
  return { file, line: code.spans[pc * 4]!, func: code.name };
}

/**
 * The exception `raise v` raises: `v` itself, or an instance of class `v`; TypeError for
 * anything else. `started` holds the exceptions whose traceback has begun: raising `v` again
 * begins a new one.
 */
export function toException(v: Value, started: WeakSet<PyException> | null): PyException {
  if (v instanceof PyException) {
    started?.delete(v);
    return v;
  }
  if (v instanceof PyExcClass) return new PyException(v, []);
  return makeException('TypeError', 'exceptions must derive from BaseException');
}

/** Begin `exc`'s traceback at `entry` (the raising frame) unless it has begun already. */
export function startTraceback(
  exc: PyException,
  started: WeakSet<PyException>,
  entry: TraceEntry | null,
): void {
  if (started.has(exc)) return;
  exc.traceback = entry === null ? [] : [entry];
  started.add(exc);
}

/** A bare `raise`: the exception being handled (innermost last in `handled`), or RuntimeError. */
export function handledException(handled: readonly PyException[]): PyException {
  const exc = handled[handled.length - 1];
  if (exc === undefined) raise('RuntimeError', 'No active exception to reraise');
  return exc;
}

/** `assert` failing, with its message if it has one. */
export function assertionError(msg: Value | undefined): PyException {
  return msg !== undefined ? new PyException(EXC.AssertionError!, [msg]) : makeException('AssertionError');
}
