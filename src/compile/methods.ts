/**
 * Which op a method call compiles to. A method's name decides its op (the subset has no
 * classes, so `x.acquire()` can only be a lock, semaphore or condition); the receiver's type
 * is checked when the op runs, with CPython's AttributeError when it has no such method.
 */
import { OP_INFO, type Op } from './ops.js';

/**
 * Methods with an op of their own, so `dis` reads `ACQUIRE lock`, `START t`, `APPEND items`:
 * each op's `method` in the op table, in op order.
 */
export const METHOD_OPS: Readonly<Record<string, Op>> = Object.fromEntries(
  OP_INFO.flatMap((info, op) => (info.method === null ? [] : [[info.method, op as Op]])),
);

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
