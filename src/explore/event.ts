/**
 * Events of an explored execution and the dependency relation that partial-order reduction
 * is built on, for every primitive of the language: this comment is where it is stated.
 *
 * An event is one step of one thread. Two events are *dependent* when they belong to the same
 * thread, when one starts the other's thread, or when their footprints conflict: they touch the
 * same object (and the same item of it, or the whole object) and at least one writes. Two
 * executions that order dependent events the same way are the same Mazurkiewicz trace: they
 * reach the same state. For that, independent steps must commute *and* never enable or disable
 * each other (Godefroid, "Partial-Order Methods for the Verification of Concurrent Systems",
 * 1996, def. 3.3): every step that can change whether another can run writes what that one reads.
 *
 * Footprints (vm/machine.ts records them, before anything can raise: an op that raises has read
 * the state it raised on):
 *   globals, list/dict items   read or write of `g<n>` / `o<id>[key]`; a length, an append, a pop,
 *                              iterating, `len`: the whole list or dict; `d.get(k)`: item k
 *   Lock, RLock                acquire (taken, failed try, timed out) and release write the lock;
 *                              `locked()` reads it
 *   Semaphore, BoundedSemaphore acquire and release write it (a release can enable an acquire, and
 *                              a bounded one raises on the count)
 *   Condition                  its waiters are one item per thread (`t<tid>`): a wait's first
 *                              half and its timeout write the waiter's own item and the lock; taking
 *                              the lock back writes the lock and, after a notify, reads the waiter's
 *                              item (the notify enabled it; after a timeout, the timeout did and the
 *                              item is not read); notify/notify_all read the whole condition
 *                              (who waits, in order) and the lock (they raise when it is not
 *                              held), and write the items of the waiters they wake. Two waiters' steps
 *                              meet only through the lock, so a notified waiter can take the lock
 *                              back before another waiter's wait, as it could in the program
 *   Event                      set and clear write it; wait (passing or timing out) and is_set read it
 *   Thread                     start writes the thread object (and spawns the thread: every step
 *                              of it depends on the start) and the counter of thread ids (`tids`:
 *                              ids go in start order); the thread's end writes it; join and
 *                              is_alive read it (a join before start raises on what it read)
 *   program end                the end of every non-daemon thread writes `exit` (its own item);
 *                              every step of a daemon thread reads all of it: the last such end
 *                              drops the daemon threads (explore/execution.ts)
 *   a method called through a method value: a write of its object (coarser, never finer)
 *   random choices             no footprint; each option is a branch of its own (dpor.ts)
 *   invariants                 a step that changes what the invariants read (session/invariant.ts)
 *                              writes INVARIANT_STATE: such steps are ordered the same way in
 *                              every execution of a trace, so each checks the same states
 *
 * Blocking. A race "a before b" is reversible when b could have run right before a (`readyIn`):
 * step-kind.ts records the state a step found each synchronization object in, and what a blocking
 * step waits for. So a release of a Semaphore(2) with a permit left did not enable the acquire
 * after it, and a `set` of an Event already set did not enable the wait: those races reverse.
 * A blocking step that could not have moved before the write it waited for also races with the
 * latest earlier write of the object right before which it could have run (races.ts `disabler`):
 * the acquire that took the lock, the `clear` after a `set`. A step with a timeout waits for
 * nothing: its timeout is a step of its own, which reads what it waited on.
 */
import type { Access } from '../vm/machine.js';
import { satisfied, type StepKind, type SyncState } from '../vm/step-kind.js';

/** A process as DPOR sees it: a thread, and the option of a `random` call made in the step (-1: none). */
export interface Proc {
  tid: number;
  option: number;
}

/**
 * A pseudo-object for what the invariants read (session/invariant.ts): a step that changes it
 * writes it, so all such steps are dependent and every execution of a trace checks the same
 * sequence of projections. It never enables or disables a step, so the race of a blocking step
 * with its disabler looks through it (races.ts `beforeIgnoring`).
 */
export const INVARIANT_STATE = 'invariant';

export interface Event extends Proc {
  accesses: Access[];
  kind: StepKind;
  /** Options of the `random` call made in this step (0 when there was none). */
  choices: number;
  /** Whether this step was a timeout transition. */
  timeout: boolean;
  /** A notify: the threads it woke from a wait with a timeout (which could have timed out first). */
  wokeTimed?: number[];
}

export function sameProc(a: Proc, b: Proc): boolean {
  return a.tid === b.tid && a.option === b.option;
}

/** Two accesses conflict: the same object, the same item of it (or the whole), one a write. */
export function conflict(x: Access, y: Access): boolean {
  return x.obj === y.obj && (x.write || y.write) && (x.key === null || y.key === null || x.key === y.key);
}

function accessesConflict(a: Access[], b: Access[]): boolean {
  return a.some((x) => b.some((y) => conflict(x, y)));
}

/** The dependency relation (symmetric). */
export function dependent(a: Event, b: Event): boolean {
  if (a.tid === b.tid) return true;
  if (a.kind.spawns === b.tid || b.kind.spawns === a.tid) return true;
  return accessesConflict(a.accesses, b.accesses);
}

/**
 * The state of `obj` just before event `e`, if `e` touched it as a synchronization object
 * (step-kind.ts records it); undefined otherwise.
 */
export function stateBefore(e: Event, obj: string): SyncState | undefined {
  return e.kind.states.get(obj);
}

/**
 * Whether `b` could run in the state event `a` found the objects `b` waits for in, that is,
 * whether `b` could have been scheduled right before `a` (Godefroid's enabledness part of the
 * dependency relation, evaluated on recorded states instead of assumed from the kinds of ops):
 * a release of a Semaphore(2) that still had a permit left did not enable the acquire after
 * it, a `set` of an Event that was already set did not enable the `wait`, a `clear` disabled
 * the `wait` that came before it.
 *
 * For an object `a` did not touch, `b`'s own state of it is used: every earlier write of it is
 * ordered before `b`, and when one is ordered after `a` too, the race is not immediate and
 * this is never asked. A state that was not recorded counts as ready (coarser, never finer).
 */
export function readyIn(a: Event, b: Event): boolean {
  const cond = b.kind.timesOutOn;
  if (cond !== undefined) {
    // A timed condition wait not notified yet can always time out.
    const waiting = stateBefore(a, cond) ?? stateBefore(b, cond);
    if (waiting === undefined || (waiting as readonly number[]).includes(b.tid)) return true;
  }
  for (const w of b.kind.waits) {
    const state = stateBefore(a, w.obj) ?? stateBefore(b, w.obj);
    if (state !== undefined && !satisfied(w.need, state, b.tid)) return false;
  }
  return true;
}

/** Whether the race "a before b" can be reversed: b could have run right before a. */
export function reversible(a: Event, b: Event): boolean {
  return readyIn(a, b);
}
