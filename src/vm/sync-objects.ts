/**
 * The synchronization objects a run has created (locks, re-entrant locks, semaphores,
 * conditions, events), each with its state as the machine holds it: for the terminal UI's lock
 * pane. The machine registers each one when a `threading` constructor returns it, so the list
 * is in creation order (a condition made without a lock comes right after its own RLock).
 */
import { objectName } from './cells.js';
import type { MachineView } from './machine-view.js';
import { PyCondition, PyEvent, PyLock, PySemaphore, type Value } from '../semantics/values.js';
import { blockingObject } from './wait-for.js';

/** A synchronization object the program can create. */
export type SyncPrimitive = PyLock | PySemaphore | PyCondition | PyEvent;

export type SyncKind = 'Lock' | 'RLock' | 'Semaphore' | 'BoundedSemaphore' | 'Condition' | 'Event';

/** One synchronization object and its state now. */
export interface SyncObject {
  /** Heap id (unique among the objects of a run). */
  id: number;
  kind: SyncKind;
  /** The global that holds it, else `Lock#12`. */
  name: string;
  /** Thread holding it (a lock, or a condition's lock), or -1. */
  holder: number;
  /**
   * A lock's recursion count (1 while a Lock is held; 0 when free), a semaphore's counter, a
   * condition's lock's count, an event's flag as 0 or 1.
   */
  count: number;
  /** A condition's underlying lock (its heap id), else -1. */
  lock: number;
  /** Threads in a condition's wait(), waiting to be notified, in arrival order; else empty. */
  waiters: number[];
  /** Threads blocked now at an op on this object (acquire, with, wait), ascending. */
  blocked: number[];
}

/** Whether `v` is a synchronization object. */
export function isSyncPrimitive(v: Value): v is SyncPrimitive {
  return v instanceof PyLock || v instanceof PySemaphore || v instanceof PyCondition || v instanceof PyEvent;
}

function kindOf(o: SyncPrimitive): SyncKind {
  if (o instanceof PyLock) return o.reentrant ? 'RLock' : 'Lock';
  if (o instanceof PySemaphore) return o.bound >= 0 ? 'BoundedSemaphore' : 'Semaphore';
  return o instanceof PyCondition ? 'Condition' : 'Event';
}

/** The state of each of `objects` (in the order given) in `machine`. */
export function describeSyncObjects(machine: MachineView, objects: readonly SyncPrimitive[]): SyncObject[] {
  const blockedBy = new Map<number, number[]>();
  for (const t of machine.threads) {
    if (t.finished || machine.status(t.tid) !== 'blocked') continue;
    const o = blockingObject(t);
    if (o !== null) blockedBy.set(o.id, [...(blockedBy.get(o.id) ?? []), t.tid]);
  }
  return objects.map((o) => {
    const kind = kindOf(o);
    const lock = o instanceof PyCondition ? o.lock : o instanceof PyLock ? o : null;
    return {
      id: o.id,
      kind,
      name: objectName(machine, o, `${kind}#${o.id}`),
      holder: lock === null ? -1 : lock.owner,
      count: lock !== null ? lock.count : o instanceof PySemaphore ? o.value : (o as PyEvent).flag ? 1 : 0,
      lock: o instanceof PyCondition ? o.lock.id : -1,
      waiters: o instanceof PyCondition ? [...o.waiters] : [],
      blocked: blockedBy.get(o.id) ?? [],
    };
  });
}
