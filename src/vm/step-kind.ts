/**
 * What a thread's next step means for synchronization, read off its pending op before it runs.
 * Partial-order reduction needs this beyond the footprint (which says what a step touches):
 *
 *   acquires   a lock or semaphore it takes (lock orderings are explored acquire by acquire);
 *   blocksOn   objects whose state it waits for with no timeout: a race whose earlier event
 *              unblocked it cannot be reversed (the acquire cannot come before the release);
 *   unblocks   objects whose waiters it can wake (release, notify, set, thread end);
 *   spawns     the thread a START creates (all of that thread's steps happen after it).
 *
 * Objects are named as in footprints: `o<id>`.
 */
import { Op } from '../compile/ops.js';
import type { Machine } from './machine.js';
import { acquireArgs, canAcquire, lockOf, opArgs, waitTimeout } from './sync.js';
import { PyCondition, PyEvent, PyLock, PyShared, PyThread } from './values.js';

export interface StepKind {
  acquires: string | null;
  blocksOn: string[];
  unblocks: string[];
  spawns: number;
}

const NONE: StepKind = { acquires: null, blocksOn: [], unblocks: [], spawns: -1 };

function id(o: PyShared): string {
  return `o${o.id}`;
}

/** The synchronization meaning of thread `tid`'s next step (call before running it). */
export function nextStepKind(machine: Machine, tid: number): StepKind {
  const t = machine.threads[tid];
  if (t === undefined || t.finished) return NONE;
  const f = t.frame;
  const op = f.code.ops[f.pc] as Op;
  const argc = op === Op.ENTER_WITH || op === Op.EXIT_WITH || op === Op.END ? 0 : f.code.args[f.pc]!;
  const self = f.stack[f.sp - argc - 1];
  const timed = (): boolean => {
    try {
      const { pos, kw } = opArgs(f, argc);
      if (op === Op.ACQUIRE) {
        const l = lockOf(self ?? null);
        if (l === null) return true;
        const { blocking, timeout } = acquireArgs(l, pos, kw);
        return !blocking || timeout >= 0;
      }
      return waitTimeout(self ?? null, op === Op.JOIN ? 'join' : 'wait', pos, kw) >= 0;
    } catch {
      return true; // bad arguments: the op raises instead of blocking
    }
  };
  switch (op) {
    case Op.ACQUIRE:
    case Op.ENTER_WITH: {
      const l = lockOf(self ?? null);
      if (l === null) return NONE;
      // Re-entering an RLock it owns: no ownership changes hands, nothing to wait for.
      if (l instanceof PyLock && l.reentrant && l.owner === tid) return NONE;
      const lockId = id(l);
      const blocks = op === Op.ENTER_WITH || !timed();
      // A try-acquire (or one with a timeout) of an unavailable lock fails: it takes nothing.
      if (!blocks && !canAcquire(l, tid)) return NONE;
      return { acquires: lockId, blocksOn: blocks ? [lockId] : [], unblocks: [], spawns: -1 };
    }
    case Op.RELEASE:
    case Op.EXIT_WITH: {
      const l = lockOf(self ?? null);
      return l === null ? NONE : { acquires: null, blocksOn: [], unblocks: [id(l)], spawns: -1 };
    }
    case Op.WAIT: {
      if (self instanceof PyCondition) {
        const lockId = id(self.lock);
        // First half: release the lock and start waiting.
        if (t.condWait === null) return { acquires: null, blocksOn: [], unblocks: [lockId], spawns: -1 };
        // Still waiting: its only step is the timeout.
        if (t.condWait.phase === 'waiting') return NONE;
        // Taking the lock back once notified (or timed out): enabled by the notify and the release.
        return { acquires: lockId, blocksOn: [id(self), lockId], unblocks: [], spawns: -1 };
      }
      if (self instanceof PyEvent)
        return { acquires: null, blocksOn: timed() ? [] : [id(self)], unblocks: [], spawns: -1 };
      return NONE;
    }
    case Op.JOIN:
      if (self instanceof PyThread && !timed())
        return { acquires: null, blocksOn: [id(self)], unblocks: [], spawns: -1 };
      return NONE;
    case Op.NOTIFY:
    case Op.NOTIFY_ALL:
    case Op.SET_EVENT:
      return self instanceof PyShared
        ? { acquires: null, blocksOn: [], unblocks: [id(self)], spawns: -1 }
        : NONE;
    case Op.START:
      return self instanceof PyThread && self.state === 'initial'
        ? { acquires: null, blocksOn: [], unblocks: [], spawns: machine.threads.length }
        : NONE;
    case Op.END:
      return { acquires: null, blocksOn: [], unblocks: [id(t.obj)], spawns: -1 };
    default:
      return NONE;
  }
}
