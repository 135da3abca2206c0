/**
 * The method ops (`lock.release()`, `cond.notify()`, `ev.set()`, `t.start()`, `items.append(x)`,
 * `d.get(k)`, ...): their effect on the object, and what the step reports: its footprint,
 * reads of a dict entry, whole-container accesses, synchronizations.
 */
import { OP_INFO, Op } from '../compile/ops.js';
import { containerAccess, visible } from './access-events.js';
import type { Args } from '../semantics/builtins.js';
import { append, callMethod, clearContainer, itemCellKey, pop } from '../semantics/containers.js';
import { raise } from '../semantics/exceptions.js';
import type { VmContext } from './machine-view.js';
import { bindArgs, lockFor, notifyCount, releaseCount } from '../semantics/signatures.js';
import { doRelease, ownsCondition } from './sync.js';
import type { Frame, ThreadState } from './thread.js';
import {
  PyCondition,
  PyDict,
  PyEvent,
  PyList,
  PyLock,
  PyShared,
  PyThread,
  type Value,
} from '../semantics/values.js';

/** Generic methods that only read their object. */
const READ_METHODS = new Set(['get', 'keys', 'values', 'items', 'index', 'count', 'copy']);

/**
 * Run a non-blocking method op whose `argc` arguments `a` were taken from the stack of `frame`
 * (the object below them); `name` is the method for Op.METHOD. Pushes the result (sp updated).
 */
export function methodOp(
  vm: VmContext,
  t: ThreadState,
  frame: Frame,
  op: Op,
  name: string,
  argc: number,
  a: Args,
  step: number,
): void {
  const stack = frame.stack;
  const code = frame.code;
  const pc = frame.pc;
  const obs = vm.observers;
  const self = stack[frame.sp - argc - 1]!;
  // Releasing or testing a condition acts on its lock.
  const target =
    self instanceof PyCondition && (op === Op.RELEASE || op === Op.EXIT_WITH || op === Op.LOCKED)
      ? self.lock
      : self;
  const obj = target instanceof PyShared ? `o${target.id}` : null;
  const write =
    op !== Op.IS_SET &&
    op !== Op.LOCKED &&
    op !== Op.IS_ALIVE &&
    !(op === Op.METHOD && READ_METHODS.has(name));
  // The footprint is noted before the effect, which can raise on the state it read
  // (`release unlocked lock`, `Semaphore released too many times`). A notify reads the
  // condition's lock too: whether it raises depends on that lock being held. It reads the
  // condition's waiters and writes the items of those it wakes (event.ts): a notify that
  // wakes nobody does not conflict with a waiter already notified taking its lock back.
  const notify = target instanceof PyCondition && (op === Op.NOTIFY || op === Op.NOTIFY_ALL);
  const waiting = notify && obs.footprints ? [...(target as PyCondition).waiters] : null;
  if (obj !== null) {
    obs.access(obj, null, write && !notify);
    if (target instanceof PyCondition) obs.access(`o${target.lock.id}`, null, false);
  }
  const r = vm.methodEffect(t, op, name, self, a.pos, a.kw, step);
  if (waiting !== null) {
    const left = (target as PyCondition).waiters;
    for (const w of waiting) if (!left.includes(w)) obs.access(obj!, `t${w}`, true);
  }
  frame.sp -= argc + 1;
  if (op !== Op.EXIT_WITH) stack[frame.sp++] = r;
  if (self instanceof PyDict && (name === 'get' || name === 'setdefault') && a.pos.length > 0) {
    // Reading one entry: the same cell as d[k], for lost updates and races.
    const cell = itemCellKey(self, a.pos[0]!);
    if (cell !== null && obs.items) obs.loadItem(t, cell, self, a.pos[0]!, step, code, frame.codeIndex, pc);
  } else if (self instanceof PyList || self instanceof PyDict) containerAccess(vm, self, write);
  else if (obj !== null) {
    obs.synchronize(t.tid, obj);
    if (self instanceof PyCondition) obs.synchronize(t.tid, `o${self.lock.id}`);
  }
  visible(vm, step, t, code, pc, r, null, null, null, write);
}

/**
 * The effect of a method op on `self`; raises AttributeError when `self` has no such method.
 * `start` starts a thread object (Thread.start()).
 */
export function applyMethod(
  vm: VmContext,
  t: ThreadState,
  op: Op,
  name: string,
  self: Value,
  pos: Value[],
  kw: Map<string, Value> | null,
  start: (thread: PyThread) => void,
): Value {
  const noKw = (method: string): void => {
    if (kw !== null && kw.size > 0) raise('TypeError', `${method}() takes no keyword arguments`);
  };
  switch (op) {
    case Op.RELEASE:
    case Op.EXIT_WITH: {
      const l = lockFor(self, 'release', op === Op.EXIT_WITH);
      let n = 1;
      if (op === Op.RELEASE) {
        const [nv] = bindArgs(self, 'release', pos, kw);
        if (nv !== undefined) n = releaseCount(nv);
      }
      doRelease(l, t.tid, n);
      return null;
    }
    case Op.NOTIFY:
    case Op.NOTIFY_ALL: {
      const [nv] = bindArgs(self, op === Op.NOTIFY ? 'notify' : 'notify_all', pos, kw);
      if (!ownsCondition(self as PyCondition, t.tid))
        raise('RuntimeError', 'cannot notify on un-acquired lock');
      const waiters = (self as PyCondition).waiters;
      const count = op === Op.NOTIFY ? notifyCount(nv ?? 1, waiters.length) : waiters.length;
      const woken = waiters.splice(0, Math.max(0, count));
      for (const tid of woken) {
        const w = vm.threads[tid]!.condWait;
        if (w !== null) w.phase = 'notified';
      }
      return null;
    }
    case Op.SET_EVENT:
      bindArgs(self, 'set', pos, kw);
      (self as PyEvent).flag = true;
      return null;
    case Op.CLEAR:
      if (self instanceof PyEvent) {
        bindArgs(self, 'clear', pos, kw);
        self.flag = false;
        return null;
      }
      return clearContainer(self);
    case Op.IS_SET:
      bindArgs(self, 'is_set', pos, kw);
      return (self as PyEvent).flag;
    case Op.LOCKED:
      bindArgs(self, 'locked', pos, kw);
      return (self as PyLock).owner >= 0;
    case Op.START:
      bindArgs(self, 'start', pos, kw);
      start(self as PyThread);
      return null;
    case Op.IS_ALIVE:
      bindArgs(self, 'is_alive', pos, kw);
      return (self as PyThread).state === 'started' && !vm.threads[(self as PyThread).tid]!.finished;
    case Op.APPEND:
      noKw('append');
      return append(self, pos);
    case Op.POP_ITEM:
      noKw('pop');
      return pop(self, pos);
    case Op.METHOD:
      noKw(name);
      return callMethod(
        self,
        name,
        pos,
        (items) => vm.newList(items),
        () => vm.newDict(),
      );
    default:
      throw new Error(`internal error: ${OP_INFO[op]!.mnemonic} is not a method op`);
  }
}
