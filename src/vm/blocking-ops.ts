/**
 * The blocking ops (ACQUIRE, ENTER_WITH, WAIT, JOIN) once their thread may run them: their
 * effect, their footprint (noted before anything can raise) and their synchronizations (for
 * the race detector, when the op takes effect). Readiness, which decides *when* they may run,
 * is sync.ts.
 */
import { Op } from '../compile/ops.js';
import { noteReads } from './access-events.js';
import { raise } from '../semantics/exceptions.js';
import type { VmContext } from './machine-view.js';
import { acquireArgs, lockFor, waitTimeout } from '../semantics/signatures.js';
import { canAcquire, doAcquire, opArgs, ownsCondition } from './sync.js';
import type { Frame, ThreadState } from './thread.js';
import {
  PyCondition,
  PyEvent,
  PyLock,
  PyShared,
  PyThread,
  typeName,
  type Value,
} from '../semantics/values.js';

/** blockingOp's result when a condition wait has released its lock and now waits at the same pc. */
export const WAITING: unique symbol = Symbol('waiting');

/**
 * ACQUIRE / ENTER_WITH / WAIT / JOIN of thread `t` once readiness allows (or as a timeout,
 * `timedOut`). Returns the op's result (pushed, sp updated), or WAITING when it did not complete.
 */
export function blockingOp(
  vm: VmContext,
  t: ThreadState,
  frame: Frame,
  op: Op,
  timedOut: boolean,
): Value | typeof WAITING {
  const argc = op === Op.ENTER_WITH ? 0 : frame.code.args[frame.pc]!;
  const self = frame.stack[frame.sp - argc - 1]!;
  const { pos, kw } = opArgs(frame, argc);
  const obs = vm.observers;
  // The footprint is noted before anything can raise: an op that raises has still read the
  // state it raised on (a join before start, a wait without the lock). Synchronization for
  // the data-race detector happens only when the op takes effect.
  const touch = (obj: PyShared, write: boolean): void => obs.access(`o${obj.id}`, null, write);
  const sync = (obj: PyShared): void => obs.synchronize(t.tid, `o${obj.id}`);
  // A condition's waiters are one item per thread: joining or leaving them (and learning
  // whether a notify took you out) touches only your own item, so two waiters' steps do not
  // conflict through the condition; a notify writes the whole of it.
  const touchWaiter = (cond: PyCondition, write: boolean): void =>
    obs.access(`o${cond.id}`, `t${t.tid}`, write);
  if (op === Op.WAIT && self instanceof PyCondition && (t.condWait === null || timedOut)) {
    touchWaiter(self, true);
    touch(self.lock, true);
    if (t.condWait === null) {
      // First half of wait(): check ownership, release the lock fully, join the waiters.
      waitTimeout(self, 'wait', pos, kw);
      if (!ownsCondition(self, t.tid)) raise('RuntimeError', 'cannot wait on un-acquired lock');
      const lock = self.lock;
      t.condWait = { cond: self, phase: 'waiting', savedCount: lock.count };
      lock.owner = -1;
      lock.count = 0;
      self.waiters.push(t.tid);
    } else {
      // Timed out: leave the waiters; the lock must still be taken back.
      self.waiters.splice(self.waiters.indexOf(t.tid), 1);
      t.condWait.phase = 'timed-out';
    }
    sync(self);
    sync(self.lock);
    // The op stays at the same pc (its arguments on the stack) until it gets the lock back.
    if (t.condWait.phase === 'waiting' || !canAcquire(self.lock, t.tid)) return WAITING;
  }
  frame.kwnames = null;
  let r: Value;
  switch (op) {
    case Op.ACQUIRE:
    case Op.ENTER_WITH: {
      const l = lockFor(self, 'acquire', op === Op.ENTER_WITH);
      touch(l, true);
      if (op === Op.ACQUIRE) acquireArgs(l, pos, kw, !canAcquire(l, t.tid));
      if (timedOut || !canAcquire(l, t.tid)) r = false;
      else {
        doAcquire(l, t.tid);
        if (l instanceof PyLock) l.acquiredLine = frame.code.spans[frame.pc * 4]!;
        r = true;
      }
      sync(l);
      break;
    }
    case Op.WAIT: {
      if (self instanceof PyCondition) {
        const w = t.condWait!;
        // Notified: the notify enabled this step. Timed out: the timeout step already left.
        if (w.phase === 'notified') touchWaiter(self, false);
        touch(self.lock, true);
        self.lock.owner = t.tid;
        self.lock.count = w.savedCount;
        r = w.phase === 'notified';
        t.condWait = null;
        sync(self);
        sync(self.lock);
        break;
      }
      if (self instanceof PyEvent) {
        touch(self, false);
        waitTimeout(self, 'wait', pos, kw);
        r = self.flag;
        sync(self);
        break;
      }
      return raise('AttributeError', `'${typeName(self)}' object has no attribute 'wait'`);
    }
    case Op.JOIN: {
      if (!(self instanceof PyThread)) {
        if (typeof self === 'string') {
          // `sep.join(items)` reads the list it joins.
          noteReads(vm, pos[0] ?? null);
          r = vm
            .iterateValue(pos[0] ?? null)
            .map((x) =>
              typeof x === 'string'
                ? x
                : raise('TypeError', `sequence item: expected str instance, ${typeName(x)} found`),
            )
            .join(self);
          break;
        }
        raise('AttributeError', `'${typeName(self)}' object has no attribute 'join'`);
      }
      touch(self, false);
      waitTimeout(self, 'join', pos, kw);
      if (self.state === 'initial') raise('RuntimeError', 'cannot join thread before it is started');
      if (self.tid === t.tid) raise('RuntimeError', 'cannot join current thread');
      sync(self);
      r = null;
      break;
    }
    default:
      throw new Error('internal error: not a blocking op');
  }
  frame.sp -= argc + 1;
  if (op !== Op.ENTER_WITH) frame.stack[frame.sp++] = r;
  return r;
}
