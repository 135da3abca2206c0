/**
 * The wait-for graph of a stuck machine: for each blocked thread, what it waits for and who
 * holds it; the cycle, if there is one; and locks held by threads that already died (the
 * lesson's faulty lock handler: an exception between acquire() and release()).
 *
 * Edges: T → U when T waits for a lock U holds, or joins U. Semaphores, conditions and events
 * have no owner, so they add no edge (their waiters are still listed).
 */
import { Op } from '../compile/ops.js';
import { exceptionLine } from '../semantics/format.js';
import { PyCondition, PyEvent, PyLock, PySemaphore, PyShared, PyThread } from '../semantics/values.js';
import { objectName } from './cells.js';
import type { MachineView } from './machine-view.js';
import type { ThreadState } from './thread.js';

export type WaitKind = 'lock' | 'semaphore' | 'notify' | 'event' | 'join';

export interface BlockedThread {
  tid: number;
  /** Source line of the op it is stuck at. */
  line: number;
  kind: WaitKind;
  /** What it waits for, as the program names it (`lock`, `a`, `t`). */
  object: string;
  /** Thread holding the lock or being joined, or -1. */
  holder: number;
}

export interface DeadHolder {
  /** The lock, as the program names it. */
  object: string;
  holder: number;
  /** Where the lock was acquired. */
  acquiredLine: number;
  /** How the holder died: `TypeError: ...` and the line, or null if it just returned. */
  exception: string | null;
  exceptionLine: number;
}

export interface WaitForGraph {
  blocked: BlockedThread[];
  /** Thread ids around a cycle (first repeated at the end), or null. */
  cycle: number[] | null;
  deadHolders: DeadHolder[];
}

/** The object of the op thread `t` is paused at, if it is a blocking op on a shared object. */
export function blockingObject(t: ThreadState): PyShared | null {
  const f = t.frame;
  const op = f.code.ops[f.pc] as Op;
  if (op !== Op.ACQUIRE && op !== Op.ENTER_WITH && op !== Op.WAIT && op !== Op.JOIN) return null;
  const self = f.stack[f.sp - (op === Op.ENTER_WITH ? 0 : f.code.args[f.pc]!) - 1];
  return self instanceof PyShared ? self : null;
}

/** What thread `t` (at a blocking op) waits for and who holds it; null if its op does not block. */
export function blockedOn(machine: MachineView, t: ThreadState): BlockedThread | null {
  const f = t.frame;
  const op = f.code.ops[f.pc] as Op;
  const argc = op === Op.ENTER_WITH ? 0 : f.code.args[f.pc]!;
  const self = f.stack[f.sp - argc - 1]!;
  const line = f.code.spans[f.pc * 4]!;
  const label = f.code.labels[f.pc] ?? '';
  const name = objectName(machine, self, label);
  if (
    op === Op.ACQUIRE ||
    op === Op.ENTER_WITH ||
    (op === Op.WAIT && self instanceof PyCondition && t.condWait?.phase !== 'waiting')
  ) {
    const lock = self instanceof PyCondition ? self.lock : self;
    if (lock instanceof PyLock) return { tid: t.tid, line, kind: 'lock', object: name, holder: lock.owner };
    if (lock instanceof PySemaphore) return { tid: t.tid, line, kind: 'semaphore', object: name, holder: -1 };
  }
  if (op === Op.WAIT && self instanceof PyCondition)
    return { tid: t.tid, line, kind: 'notify', object: name, holder: -1 };
  if (op === Op.WAIT && self instanceof PyEvent)
    return { tid: t.tid, line, kind: 'event', object: name, holder: -1 };
  if (op === Op.JOIN && self instanceof PyThread)
    return { tid: t.tid, line, kind: 'join', object: name, holder: self.tid };
  return null;
}

/** Build the wait-for graph of the threads that are blocked now. */
export function waitForGraph(machine: MachineView): WaitForGraph {
  const blocked: BlockedThread[] = [];
  for (const t of machine.threads) {
    if (t.finished || machine.status(t.tid) !== 'blocked') continue;
    const b = blockedOn(machine, t);
    if (b !== null) blocked.push(b);
  }
  // Follow holder edges from each blocked thread; a revisited thread closes a cycle.
  const next = new Map<number, number>();
  for (const b of blocked) if (b.holder >= 0) next.set(b.tid, b.holder);
  let cycle: number[] | null = null;
  for (const b of blocked) {
    const path: number[] = [];
    let cur: number | undefined = b.tid;
    while (cur !== undefined && !path.includes(cur)) {
      path.push(cur);
      cur = next.get(cur);
    }
    if (cur !== undefined) {
      const from = path.indexOf(cur);
      cycle = [...path.slice(from), cur];
      break;
    }
  }
  const deadHolders: DeadHolder[] = [];
  const seen = new Set<PyLock>();
  const consider = (lock: PyLock, name: string): void => {
    if (seen.has(lock) || lock.owner < 0) return;
    seen.add(lock);
    const holder = machine.threads[lock.owner];
    if (holder === undefined || !holder.finished) return;
    const exc = holder.uncaught;
    const last = exc?.traceback[exc.traceback.length - 1];
    deadHolders.push({
      object: name,
      holder: holder.tid,
      acquiredLine: lock.acquiredLine,
      exception: exc === null ? null : exceptionLine(exc),
      exceptionLine: last?.line ?? 0,
    });
  };
  for (const t of machine.threads) {
    if (t.finished) continue;
    const f = t.frame;
    const argc = f.code.ops[f.pc] === Op.ENTER_WITH ? 0 : f.code.args[f.pc]!;
    const self = f.stack[f.sp - argc - 1];
    const lock = self instanceof PyCondition ? self.lock : self;
    if (lock instanceof PyLock) consider(lock, objectName(machine, self!, f.code.labels[f.pc] ?? ''));
  }
  machine.program.globalNames.forEach((name, i) => {
    const v = machine.globals[i];
    if (v instanceof PyLock) consider(v, name);
  });
  return { blocked, cycle, deadHolders };
}
