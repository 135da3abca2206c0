/**
 * Which op a method call compiles to. A method's name decides its op (the subset has no
 * classes, so `x.acquire()` can only be a lock, semaphore or condition); the receiver's type
 * is checked when the op runs, with CPython's AttributeError when it has no such method.
 */
import { Op } from './ops.js';

/** Methods with an op of their own, so `dis` reads `ACQUIRE lock`, `START t`, `APPEND items`. */
export const METHOD_OPS: Readonly<Record<string, Op>> = {
  acquire: Op.ACQUIRE,
  release: Op.RELEASE,
  wait: Op.WAIT,
  notify: Op.NOTIFY,
  notify_all: Op.NOTIFY_ALL,
  set: Op.SET_EVENT,
  clear: Op.CLEAR,
  is_set: Op.IS_SET,
  locked: Op.LOCKED,
  start: Op.START,
  join: Op.JOIN,
  is_alive: Op.IS_ALIVE,
  append: Op.APPEND,
  pop: Op.POP_ITEM,
};

/** Other methods of lists and dicts, run by the generic METHOD op (one atomic step each). */
export const GENERIC_METHODS: readonly string[] = [
  'get',
  'keys',
  'values',
  'items',
  'setdefault',
  'update',
  'extend',
  'insert',
  'remove',
  'index',
  'count',
  'copy',
];

/** Attributes that can be read without a call. */
export const READABLE_ATTRIBUTES: readonly string[] = ['name', 'daemon', 'ident', 'args'];
