/**
 * Locks, semaphores, conditions, events and joins: when each blocking op can run, and what it
 * does (LANGUAGE.md, "Blocking, time and nondeterminism"; CPython's `threading` for errors).
 *
 * A blocking op is in one of three states for its thread:
 *   enabled  — it can run now;
 *   timeout  — it would block, but it has a timeout, so "time out now" is its transition;
 *   blocked  — it cannot run until another thread acts.
 */
import { Op } from '../compile/ops.js';
import { raise } from './exceptions.js';
import { asIndex } from './builtins.js';
import type { Frame, ThreadState } from './thread.js';
import {
  PyCondition,
  PyEvent,
  PyFloat,
  PyLock,
  PySemaphore,
  PyThread,
  isTruthy,
  typeName,
  type Value,
} from './values.js';

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

function timeoutValue(v: Value): number {
  if (v === null) return -1;
  if (v instanceof PyFloat) return v.v;
  if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
  raise('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer or float`);
}

/** `(blocking, timeout)` of `acquire(blocking=True, timeout=-1)`; timeout < 0 means none. */
export function acquireArgs(
  pos: Value[],
  kw: Map<string, Value> | null,
): { blocking: boolean; timeout: number } {
  const blockingV = kw?.get('blocking') ?? pos[0] ?? true;
  const timeoutV = kw?.get('timeout') ?? pos[1] ?? null;
  const blocking = isTruthy(blockingV);
  const timeout = timeoutValue(timeoutV);
  if (!blocking && timeout >= 0) raise('ValueError', "can't specify a timeout for a non-blocking call");
  return { blocking, timeout };
}

/** Timeout of `wait(timeout=None)` / `join(timeout=None)`; < 0 means none. */
export function waitTimeout(pos: Value[], kw: Map<string, Value> | null): number {
  const v = kw?.get('timeout') ?? pos[0] ?? null;
  const t = timeoutValue(v);
  return v === null ? -1 : Math.max(0, t);
}

/** The lock or semaphore that `acquire` / `with` takes for `obj`. */
export function lockOf(obj: Value): PyLock | PySemaphore | null {
  if (obj instanceof PyLock || obj instanceof PySemaphore) return obj;
  if (obj instanceof PyCondition) return obj.lock;
  return null;
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

/** `release()`: CPython's RuntimeError / ValueError on misuse. */
export function doRelease(l: PyLock | PySemaphore, tid: number): void {
  if (l instanceof PySemaphore) {
    if (l.bound >= 0 && l.value >= l.bound) raise('ValueError', 'Semaphore released too many times');
    l.value++;
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
        const { blocking, timeout } = acquireArgs(pos, kw);
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
        return hasTimeout(frame, argc) ? Readiness.Timeout : Readiness.Blocked;
      }
      if (self instanceof PyEvent && !self.flag)
        return hasTimeout(frame, argc) ? Readiness.Timeout : Readiness.Blocked;
      return Readiness.Enabled;
    }
    case Op.JOIN: {
      const self = frame.stack[frame.sp - argc - 1]!;
      if (!(self instanceof PyThread) || self.state !== 'started' || self.tid === t.tid)
        return Readiness.Enabled;
      const target = threads[self.tid];
      if (target === undefined || target.finished) return Readiness.Enabled;
      return hasTimeout(frame, argc) ? Readiness.Timeout : Readiness.Blocked;
    }
    default:
      return Readiness.Enabled;
  }
}

function hasTimeout(frame: Frame, argc: number): boolean {
  try {
    const { pos, kw } = opArgs(frame, argc);
    return waitTimeout(pos, kw) >= 0;
  } catch {
    return false;
  }
}

/** `Semaphore(n)` argument check used by acquire on a semaphore with a bad timeout. */
export function semaphoreTimeoutArg(v: Value): number {
  return v === null ? -1 : asIndex(v);
}
