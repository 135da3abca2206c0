/**
 * Blocking on real threads: the futex-based locks, semaphores, conditions and events of the
 * hardware runtime (src/hw/runtime.ts), on the words of the trial's shared memory (layout:
 * src/hw/memory.ts). Each function acts for the running Python thread `me`.
 *
 * - Lock: the three-state futex mutex of Drepper, "Futexes Are Tricky" (2011), mutex 2, with
 *   Atomics.wait/notify; RLock adds an owner and a count.
 * - Semaphore: a compare-exchange loop on the value, waiting while it is 0.
 * - Condition: a FIFO of waiting threads (as CPython's deque of waiter locks); notify(n) wakes
 *   the first n, each on its own wake cell, so there are no spurious wakeups.
 * - Event: a flag. A thread waiting is marked blocked on its object (for the watchdog's report).
 *
 * Timeouts are in seconds, < 0 for none; `line` is the source line of the blocking op.
 */
import { raise } from '../semantics/exceptions.js';
import {
  Blocked,
  COND_COUNT,
  COND_GUARD,
  COND_WAITERS,
  EVENT_FLAG,
  LOCK_COUNT,
  LOCK_LINE,
  LOCK_OWNER,
  LOCK_STATE,
  SEM_BOUND,
  SEM_VALUE,
  THREADS,
  T_BLOCKED,
  T_BLOCKED_ON,
  T_LINE,
  T_TIMED,
  T_WAKE,
  refOf,
} from './memory.js';
import type { HwCondition, HwEvent, HwLock, HwSemaphore } from './objects.js';

/** The running Python thread, as the blocking functions need it. */
export interface ThreadSlot {
  /** The trial's shared memory. */
  readonly M: Int32Array;
  readonly tid: number;
  /** Address of its THREAD object. */
  readonly threadAddr: number;
}

export function block(me: ThreadSlot, kind: Blocked, on: number, line: number, timed: boolean): void {
  const M = me.M;
  const t = me.threadAddr;
  M[t + T_BLOCKED_ON] = on;
  M[t + T_LINE] = line;
  M[t + T_TIMED] = timed ? 1 : 0;
  Atomics.store(M, t + T_BLOCKED, kind);
}

export function unblock(me: ThreadSlot): void {
  Atomics.store(me.M, me.threadAddr + T_BLOCKED, Blocked.Running);
}

/** Futex mutex lock on word `w` (no timeout): for list guards and condition queues. */
export function mutexLock(me: ThreadSlot, w: number): void {
  const M = me.M;
  let c = Atomics.compareExchange(M, w, 0, 1);
  if (c === 0) return;
  do {
    if (c === 2 || Atomics.compareExchange(M, w, 1, 2) !== 0) Atomics.wait(M, w, 2);
  } while ((c = Atomics.compareExchange(M, w, 0, 2)) !== 0);
}

export function mutexUnlock(me: ThreadSlot, w: number): void {
  if (Atomics.sub(me.M, w, 1) !== 1) {
    Atomics.store(me.M, w, 0);
    Atomics.notify(me.M, w, 1);
  }
}

/**
 * Take lock `l` (blocking, with a timeout in seconds, < 0 none). Returns whether it was taken.
 * A thread waiting for it is marked blocked on it (for the watchdog's report).
 */
export function lockAcquire(
  me: ThreadSlot,
  l: HwLock,
  blocking: boolean,
  timeout: number,
  line: number,
): boolean {
  const M = me.M;
  const a = l.addr;
  const s = a + LOCK_STATE;
  if (l.reentrant && Atomics.load(M, a + LOCK_OWNER) === me.tid) {
    Atomics.add(M, a + LOCK_COUNT, 1);
    return true;
  }
  let c = Atomics.compareExchange(M, s, 0, 1);
  if (c !== 0) {
    if (!blocking) return false;
    const end = timeout >= 0 ? performance.now() + timeout * 1000 : Infinity;
    block(me, Blocked.Lock, refOf(a), line, timeout >= 0);
    do {
      if (c === 2 || Atomics.compareExchange(M, s, 1, 2) !== 0) {
        const left = end - performance.now();
        if (left <= 0) {
          unblock(me);
          return false;
        }
        Atomics.wait(M, s, 2, left === Infinity ? undefined : left);
      }
    } while ((c = Atomics.compareExchange(M, s, 0, 2)) !== 0);
    unblock(me);
  }
  Atomics.store(M, a + LOCK_OWNER, me.tid);
  Atomics.store(M, a + LOCK_COUNT, 1);
  M[a + LOCK_LINE] = line;
  return true;
}

export function lockRelease(me: ThreadSlot, l: HwLock): void {
  const M = me.M;
  const a = l.addr;
  if (Atomics.load(M, a + LOCK_STATE) === 0) {
    raise('RuntimeError', l.reentrant ? 'cannot release un-acquired lock' : 'release unlocked lock');
  }
  if (l.reentrant) {
    if (Atomics.load(M, a + LOCK_OWNER) !== me.tid) raise('RuntimeError', 'cannot release un-acquired lock');
    if (Atomics.sub(M, a + LOCK_COUNT, 1) > 1) return;
  }
  Atomics.store(M, a + LOCK_OWNER, -1);
  Atomics.store(M, a + LOCK_COUNT, 0);
  mutexUnlock(me, a + LOCK_STATE);
}

export function semAcquire(
  me: ThreadSlot,
  sem: HwSemaphore,
  blocking: boolean,
  timeout: number,
  line: number,
): boolean {
  const M = me.M;
  const w = sem.addr + SEM_VALUE;
  const end = timeout >= 0 ? performance.now() + timeout * 1000 : Infinity;
  let blocked = false;
  for (;;) {
    const v = Atomics.load(M, w);
    if (v > 0) {
      if (Atomics.compareExchange(M, w, v, v - 1) === v) break;
      continue;
    }
    if (!blocking) return false;
    const left = end - performance.now();
    if (left <= 0) {
      if (blocked) unblock(me);
      return false;
    }
    if (!blocked) block(me, Blocked.Semaphore, refOf(sem.addr), line, timeout >= 0);
    blocked = true;
    Atomics.wait(M, w, 0, left === Infinity ? undefined : left);
  }
  if (blocked) unblock(me);
  return true;
}

export function semRelease(me: ThreadSlot, sem: HwSemaphore, n: number): void {
  const M = me.M;
  const w = sem.addr + SEM_VALUE;
  const bound = M[sem.addr + SEM_BOUND]!;
  for (;;) {
    const v = Atomics.load(M, w);
    if (bound >= 0 && v + n > bound) raise('ValueError', 'Semaphore released too many times');
    if (Atomics.compareExchange(M, w, v, v + n) === v) break;
  }
  Atomics.notify(M, w, n);
}

export function owns(me: ThreadSlot, l: HwLock): boolean {
  const M = me.M;
  return (
    Atomics.load(M, l.addr + LOCK_STATE) !== 0 &&
    (!l.reentrant || Atomics.load(M, l.addr + LOCK_OWNER) === me.tid)
  );
}

export function condWait(me: ThreadSlot, c: HwCondition, timeout: number, line: number): boolean {
  const M = me.M;
  const lock = c.lock as HwLock;
  if (!owns(me, lock)) raise('RuntimeError', 'cannot wait on un-acquired lock');
  const self = me.threadAddr;
  const q = c.addr;
  mutexLock(me, q + COND_GUARD);
  const n = M[q + COND_COUNT]!;
  M[q + COND_WAITERS + n] = me.tid;
  M[q + COND_COUNT] = n + 1;
  Atomics.store(M, self + T_WAKE, 0);
  mutexUnlock(me, q + COND_GUARD);
  // Release the lock fully (an RLock's count is restored after).
  const saved = Atomics.load(M, lock.addr + LOCK_COUNT);
  if (lock.reentrant) Atomics.store(M, lock.addr + LOCK_COUNT, 1);
  lockRelease(me, lock);
  block(me, Blocked.Condition, refOf(q), line, timeout >= 0);
  const end = timeout >= 0 ? performance.now() + timeout * 1000 : Infinity;
  while (Atomics.load(M, self + T_WAKE) === 0) {
    const left = end - performance.now();
    if (left <= 0) break;
    Atomics.wait(M, self + T_WAKE, 0, left === Infinity ? undefined : left);
  }
  unblock(me);
  let notified = Atomics.load(M, self + T_WAKE) === 1;
  if (!notified) {
    // Timed out: leave the queue, unless a notify took this thread out meanwhile.
    mutexLock(me, q + COND_GUARD);
    const count = M[q + COND_COUNT]!;
    let found = -1;
    for (let i = 0; i < count; i++) if (M[q + COND_WAITERS + i] === me.tid) found = i;
    if (found >= 0) {
      M.copyWithin(q + COND_WAITERS + found, q + COND_WAITERS + found + 1, q + COND_WAITERS + count);
      M[q + COND_COUNT] = count - 1;
    } else notified = true;
    mutexUnlock(me, q + COND_GUARD);
  }
  lockAcquire(me, lock, true, -1, line);
  if (lock.reentrant) Atomics.store(M, lock.addr + LOCK_COUNT, saved);
  return notified;
}

export function condNotify(me: ThreadSlot, c: HwCondition, n: number | null): void {
  const M = me.M;
  if (!owns(me, c.lock as HwLock)) raise('RuntimeError', 'cannot notify on un-acquired lock');
  const q = c.addr;
  mutexLock(me, q + COND_GUARD);
  const count = M[q + COND_COUNT]!;
  const k = n === null ? count : Math.max(0, Math.min(n, count));
  for (let i = 0; i < k; i++) {
    const t = Atomics.load(M, THREADS + M[q + COND_WAITERS + i]!);
    Atomics.store(M, t + T_WAKE, 1);
    Atomics.notify(M, t + T_WAKE);
  }
  M.copyWithin(q + COND_WAITERS, q + COND_WAITERS + k, q + COND_WAITERS + count);
  M[q + COND_COUNT] = count - k;
  mutexUnlock(me, q + COND_GUARD);
}

export function eventWait(me: ThreadSlot, e: HwEvent, timeout: number, line: number): boolean {
  const M = me.M;
  const w = e.addr + EVENT_FLAG;
  if (Atomics.load(M, w) !== 0) return true;
  const end = timeout >= 0 ? performance.now() + timeout * 1000 : Infinity;
  block(me, Blocked.Event, refOf(e.addr), line, timeout >= 0);
  while (Atomics.load(M, w) === 0) {
    const left = end - performance.now();
    if (left <= 0) break;
    Atomics.wait(M, w, 0, left === Infinity ? undefined : left);
  }
  unblock(me);
  return Atomics.load(M, w) !== 0;
}
