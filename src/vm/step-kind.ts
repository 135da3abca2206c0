/**
 * What a thread's next step means for synchronization, read off its pending op before it runs.
 * Partial-order reduction needs this beyond the footprint (which says what a step touches):
 *
 *   states   the state of each synchronization object the step touches, as it is before the
 *            step (a lock's owner, a semaphore's value, an event's flag, a thread's life, a
 *            condition's waiting threads);
 *   waits    what the step waits for, with no timeout, before it can run: a free lock, a
 *            positive semaphore, a set event, a finished thread, a notify. A step that waits
 *            for nothing (a timed wait, a try-acquire) has none: its timeout is a step too;
 *   spawns   the thread a START creates (all of that thread's steps happen after it).
 *
 * With `states` and `waits`, the search can tell whether a blocking step could have run in the
 * state some earlier step found its object in (event.ts `readyIn`): a race is reversible
 * exactly when it could. Objects are named as in footprints: `o<id>`.
 */
import { Op } from '../compile/ops.js';
import type { Machine } from './machine.js';
import { acquireArgs, lockOf, waitTimeout } from '../semantics/signatures.js';
import { opArgs } from './sync.js';
import { PyCondition, PyEvent, PyLock, PySemaphore, PyThread, type Value } from '../semantics/values.js';

/**
 * A synchronization object's state: a lock's owner (-1: free), a semaphore's value, an event's
 * flag (0 or 1), a thread's life (0 not started, 1 running, 2 ended), a condition's waiting
 * thread ids (those not notified yet).
 */
export type SyncState = number | readonly number[];

/** What a blocking step needs of one object's state to run. */
export type Need =
  /** a plain Lock with no owner */
  | 'free'
  /** an RLock with no owner, or owned by the waiting thread itself */
  | 'free-or-own'
  /** a semaphore whose value is above 0 */
  | 'positive'
  /** an Event whose flag is set */
  | 'set'
  /** a thread that is not running: ended (or not started, where `join` raises at once) */
  | 'ended'
  /** a condition that no longer lists the thread as waiting (notified, or timed out) */
  | 'notified';

export interface Wait {
  obj: string;
  need: Need;
}

export interface StepKind {
  states: ReadonlyMap<string, SyncState>;
  waits: Wait[];
  spawns: number;
  /**
   * For the step that takes a condition's lock back after a wait *with a timeout*: the
   * condition. Wherever the thread is still among its waiters, it can run all the same (its
   * timeout is a step), whatever `waits` says.
   */
  timesOutOn?: string;
  /** For a notify: the condition, whose waiters it may wake (dpor.ts weighs their timeouts). */
  notifies?: PyCondition;
}

const NO_STATES: ReadonlyMap<string, SyncState> = new Map();
const NONE: StepKind = { states: NO_STATES, waits: [], spawns: -1 };

/** Whether a step of thread `tid` that needs `need` could run with its object in `state`. */
export function satisfied(need: Need, state: SyncState, tid: number): boolean {
  switch (need) {
    case 'free':
      return state === -1;
    case 'free-or-own':
      return state === -1 || state === tid;
    case 'positive':
      return (state as number) > 0;
    case 'set':
      return state === 1;
    case 'ended':
      return state !== 1;
    case 'notified':
      return !(state as readonly number[]).includes(tid);
  }
}

function syncState(o: Value): SyncState | null {
  if (o instanceof PyLock) return o.owner;
  if (o instanceof PySemaphore) return o.value;
  if (o instanceof PyEvent) return o.flag ? 1 : 0;
  if (o instanceof PyThread) return o.state === 'initial' ? 0 : o.state === 'started' ? 1 : 2;
  if (o instanceof PyCondition) return [...o.waiters];
  return null;
}

/** The states of `o` and, for a condition, of its lock. */
function statesOf(o: Value): ReadonlyMap<string, SyncState> {
  const s = syncState(o);
  if (s === null) return NO_STATES;
  const out = new Map<string, SyncState>([[`o${(o as PyLock).id}`, s]]);
  if (o instanceof PyCondition) out.set(`o${o.lock.id}`, o.lock.owner);
  return out;
}

function lockWait(l: PyLock | PySemaphore): Wait {
  const need: Need = l instanceof PySemaphore ? 'positive' : l.reentrant ? 'free-or-own' : 'free';
  return { obj: `o${l.id}`, need };
}

/** The synchronization meaning of thread `tid`'s next step (call before running it). */
export function nextStepKind(machine: Machine, tid: number): StepKind {
  const t = machine.threads[tid];
  if (t === undefined || t.finished) return NONE;
  const f = t.frame;
  const op = f.code.ops[f.pc] as Op;
  if (op === Op.END) return { states: statesOf(t.obj), waits: [], spawns: -1 };
  const argc = op === Op.ENTER_WITH || op === Op.EXIT_WITH ? 0 : f.code.args[f.pc]!;
  const self = f.stack[f.sp - argc - 1] ?? null;
  const states = statesOf(self);
  if (states.size === 0) return NONE;
  /** Whether the blocking op has a timeout (or is a try): it then waits for nothing. */
  const timed = (): boolean => {
    try {
      const { pos, kw } = opArgs(f, argc);
      if (op === Op.ACQUIRE) {
        const { blocking, timeout } = acquireArgs(lockOf(self)!, pos, kw);
        return !blocking || timeout >= 0;
      }
      return waitTimeout(self, op === Op.JOIN ? 'join' : 'wait', pos, kw) >= 0;
    } catch {
      return true; // bad arguments: the op raises instead of blocking
    }
  };
  const kind = (waits: Wait[]): StepKind => ({ states, waits, spawns: -1 });
  switch (op) {
    case Op.ACQUIRE:
    case Op.ENTER_WITH: {
      const l = lockOf(self);
      if (l === null || (op === Op.ACQUIRE && timed())) return kind([]);
      return kind([lockWait(l)]);
    }
    case Op.WAIT: {
      if (self instanceof PyCondition) {
        // First half: release the lock and start waiting (it waits for nothing).
        if (t.condWait === null) return kind([]);
        // Still waiting with a timeout: its only step is the timeout.
        if (t.condWait.phase === 'waiting' && timed()) return kind([]);
        // Taking the lock back after a timeout: only the lock is waited for.
        if (t.condWait.phase === 'timed-out') return kind([lockWait(self.lock)]);
        // Taking the lock back, once notified.
        const back = kind([{ obj: `o${self.id}`, need: 'notified' }, lockWait(self.lock)]);
        return timed() ? { ...back, timesOutOn: `o${self.id}` } : back;
      }
      if (self instanceof PyEvent && !timed()) return kind([{ obj: `o${self.id}`, need: 'set' }]);
      return kind([]);
    }
    case Op.JOIN:
      if (self instanceof PyThread && (self.tid !== tid || self.state === 'initial') && !timed())
        return kind([{ obj: `o${self.id}`, need: 'ended' }]);
      return kind([]);
    case Op.NOTIFY:
    case Op.NOTIFY_ALL:
      return self instanceof PyCondition ? { states, waits: [], spawns: -1, notifies: self } : kind([]);
    case Op.START:
      return self instanceof PyThread && self.state === 'initial'
        ? { states, waits: [], spawns: machine.threads.length }
        : kind([]);
    default:
      return kind([]);
  }
}
