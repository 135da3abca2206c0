/**
 * Locks, semaphores, conditions, events and joins: when each blocking op can run, and what it
 * does (docs/LANGUAGE.md, "Blocking, time and nondeterminism"; CPython's `threading` for errors).
 *
 * A blocking op is in one of three states for its thread:
 *   enabled  — it can run now;
 *   timeout  — it would block, but it has a timeout, so "time out now" is its transition;
 *   blocked  — it cannot run until another thread acts.
 */
import { Op } from '../compile/ops.js';
import { raise } from '../semantics/exceptions.js';
import { asIndex } from '../semantics/builtins.js';
import { acquireArgs, lockOf, waitTimeout } from '../semantics/signatures.js';
import type { Frame, ThreadState } from './thread.js';
import { PyCondition, PyEvent, PyLock, PySemaphore, PyThread, type Value } from '../semantics/values.js';

export const enum Readiness {
  Enabled,
  Timeout,
  Blocked,
}

/** Positional arguments and keywords of the call-like op at the top of `frame`. */
export function opArgs(
  frame: Frame,
  argc: number,
): { self: Value; pos: Value[]; kw: Map<string, Value> | null } {
  const base = frame.sp - argc;
  const all = frame.stack.slice(base, frame.sp);
  const names = frame.kwnames;
  const npos = argc - (names?.length ?? 0);
  let kw: Map<string, Value> | null = null;
  if (names !== null) {
    kw = new Map();
    names.forEach((n, i) => kw!.set(n, all[npos + i]!));
  }
  return { self: frame.stack[base - 1]!, pos: all.slice(0, npos), kw };
}

export function canAcquire(l: PyLock | PySemaphore, tid: number): boolean {
  if (l instanceof PySemaphore) return l.value > 0;
  return l.owner < 0 || (l.reentrant && l.owner === tid);
}

export function doAcquire(l: PyLock | PySemaphore, tid: number): void {
  if (l instanceof PySemaphore) l.value--;
  else {
    l.owner = tid;
    l.count++;
  }
}

/** `release()` (`release(n)` for a semaphore): CPython's RuntimeError / ValueError on misuse. */
export function doRelease(l: PyLock | PySemaphore, tid: number, n = 1): void {
  if (l instanceof PySemaphore) {
    if (l.bound >= 0 && l.value + n > l.bound) raise('ValueError', 'Semaphore released too many times');
    l.value += n;
    return;
  }
  if (l.reentrant) {
    if (l.owner !== tid) raise('RuntimeError', 'cannot release un-acquired lock');
    if (--l.count === 0) l.owner = -1;
    return;
  }
  if (l.owner < 0) raise('RuntimeError', 'release unlocked lock');
  l.owner = -1;
  l.count = 0;
}

/** Whether thread `tid` owns the condition's lock (a plain Lock counts as owned when locked, as in CPython). */
export function ownsCondition(c: PyCondition, tid: number): boolean {
  return c.lock.reentrant ? c.lock.owner === tid : c.lock.owner >= 0;
}

/** Readiness of the blocking op at the top of `t`'s frame (non-blocking ops are always enabled). */
export function readiness(t: ThreadState, threads: readonly ThreadState[]): Readiness {
  const frame = t.frame;
  const op = frame.code.ops[frame.pc] as Op;
  const argc = frame.code.args[frame.pc]!;
  switch (op) {
    case Op.ACQUIRE:
    case Op.ENTER_WITH: {
      const n = op === Op.ENTER_WITH ? 0 : argc;
      const self = frame.stack[frame.sp - n - 1]!;
      const l = lockOf(self);
      if (l === null || canAcquire(l, t.tid)) return Readiness.Enabled;
      if (op === Op.ENTER_WITH) return Readiness.Blocked;
      try {
        const { pos, kw } = opArgs(frame, n);
        const { blocking, timeout } = acquireArgs(l, pos, kw);
        if (!blocking) return Readiness.Enabled;
        return timeout >= 0 ? Readiness.Timeout : Readiness.Blocked;
      } catch {
        return Readiness.Enabled; // bad arguments: running the op raises the error
      }
    }
    case Op.WAIT: {
      const self = frame.stack[frame.sp - argc - 1]!;
      const w = t.condWait;
      if (self instanceof PyCondition && w !== null) {
        if (w.phase !== 'waiting')
          return canAcquire(w.cond.lock, t.tid) ? Readiness.Enabled : Readiness.Blocked;
        return timedReadiness(self, 'wait', frame, argc);
      }
      if (self instanceof PyEvent && !self.flag) return timedReadiness(self, 'wait', frame, argc);
      return Readiness.Enabled;
    }
    case Op.JOIN: {
      const self = frame.stack[frame.sp - argc - 1]!;
      if (!(self instanceof PyThread) || self.state !== 'started' || self.tid === t.tid)
        return Readiness.Enabled;
      const target = threads[self.tid];
      if (target === undefined || target.finished) return Readiness.Enabled;
      return timedReadiness(self, 'join', frame, argc);
    }
    default:
      return Readiness.Enabled;
  }
}

/** A wait or join that would block: Timeout with a timeout, else Blocked; Enabled when its arguments are bad (it raises). */
function timedReadiness(self: Value, method: 'wait' | 'join', frame: Frame, argc: number): Readiness {
  try {
    const { pos, kw } = opArgs(frame, argc);
    return waitTimeout(self, method, pos, kw) >= 0 ? Readiness.Timeout : Readiness.Blocked;
  } catch {
    return Readiness.Enabled;
  }
}

/** `Semaphore(n)` argument check used by acquire on a semaphore with a bad timeout. */
export function semaphoreTimeoutArg(v: Value): number {
  return v === null ? -1 : asIndex(v);
}
