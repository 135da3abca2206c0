/**
 * Argument binding for the methods of threading objects, with CPython 3.11's error messages:
 * the parameters of each method, and the rules for `acquire`'s blocking and timeout, the
 * timeouts of `wait` and `join`, `release(n)` and `notify(n)`, and which object `acquire`,
 * `release` and `with` act on. Both engines (the simulator and the hardware runtime) use them.
 *
 * CPython implements Lock and RLock in C (`_thread`), whose argument errors read
 * "acquire() takes at most 2 arguments (3 given)", and Semaphore, Condition, Event and Thread
 * in Python (Lib/threading.py), whose errors read "Semaphore.acquire() takes from 1 to 3
 * positional arguments but 4 were given". Both shapes are reproduced here so that a program's
 * TypeError reads as it would under python3.
 */
import { raise } from './exceptions.js';
import {
  PyCondition,
  PyEvent,
  PyFloat,
  PyLock,
  PySemaphore,
  PyThread,
  isTruthy,
  typeName,
  type Value,
} from './values.js';

/** A method's parameters after `self`, and how CPython implements it. */
interface Signature {
  /** The qualified name used in messages: `Semaphore.acquire`, `lock.release`, `acquire`. */
  qualname: string;
  params: readonly string[];
  /** Implemented in C (`_thread.lock`, `_thread.RLock`): C-style messages. */
  builtin: boolean;
}

/** Python-level parameters of each method of the Python-implemented classes. */
const PYTHON_METHODS: Record<string, Record<string, readonly string[]>> = {
  Semaphore: { acquire: ['blocking', 'timeout'], release: ['n'] },
  Condition: { wait: ['timeout'], notify: ['n'], notify_all: [] },
  Event: { wait: ['timeout'], set: [], clear: [], is_set: [] },
  Thread: { start: [], join: ['timeout'], is_alive: [] },
};

/** The signature of `self.method`, or null when the object has no such method. */
function signatureOf(self: Value, method: string): Signature | null {
  if (self instanceof PyLock) {
    const owner = self.reentrant ? 'RLock' : 'lock';
    if (method === 'acquire') return { qualname: 'acquire', params: ['blocking', 'timeout'], builtin: true };
    if (method === 'release' || (method === 'locked' && !self.reentrant))
      return { qualname: `${owner}.${method}`, params: [], builtin: true };
    return null;
  }
  if (self instanceof PyCondition && (method === 'acquire' || method === 'release'))
    return signatureOf(self.lock, method); // Condition.acquire is its lock's acquire
  const cls =
    self instanceof PySemaphore
      ? 'Semaphore'
      : self instanceof PyCondition
        ? 'Condition'
        : self instanceof PyEvent
          ? 'Event'
          : self instanceof PyThread
            ? 'Thread'
            : null;
  const params = cls === null ? undefined : PYTHON_METHODS[cls]![method];
  if (params === undefined) return null;
  // BoundedSemaphore overrides release; acquire is inherited from Semaphore.
  const owner =
    self instanceof PySemaphore && self.bound >= 0 && method === 'release' ? 'BoundedSemaphore' : cls;
  return { qualname: `${owner}.${method}`, params, builtin: false };
}

/**
 * Bind the arguments of `self.method(*pos, **kw)` to the method's parameters: one entry per
 * parameter, undefined where not given. Raises AttributeError when `self` has no such method
 * and TypeError, with CPython's message, when the arguments do not fit.
 */
export function bindArgs(
  self: Value,
  method: string,
  pos: readonly Value[],
  kw: ReadonlyMap<string, Value> | null,
): (Value | undefined)[] {
  const sig = signatureOf(self, method);
  if (sig === null) return raise('AttributeError', `'${typeName(self)}' object has no attribute '${method}'`);
  const { qualname, params } = sig;
  const nkw = kw?.size ?? 0;
  if (sig.builtin) {
    if (params.length === 0) {
      if (nkw > 0) raise('TypeError', `${qualname}() takes no keyword arguments`);
      if (pos.length > 0) raise('TypeError', `${qualname}() takes no arguments (${pos.length} given)`);
    } else if (pos.length + nkw > params.length) {
      raise(
        'TypeError',
        `${qualname}() takes at most ${params.length} arguments (${pos.length + nkw} given)`,
      );
    }
  } else if (pos.length > params.length) {
    const takes =
      params.length === 0 ? '1 positional argument' : `from 1 to ${params.length + 1} positional arguments`;
    raise('TypeError', `${qualname}() takes ${takes} but ${pos.length + 1} were given`);
  }
  const bound: (Value | undefined)[] = params.map((_, i) => pos[i]);
  for (const [name, value] of kw ?? []) {
    const i = params.indexOf(name);
    if (i < 0)
      raise(
        'TypeError',
        sig.builtin
          ? `'${name}' is an invalid keyword argument for ${qualname}()`
          : `${qualname}() got an unexpected keyword argument '${name}'`,
      );
    if (i < pos.length) raise('TypeError', `${qualname}() got multiple values for argument '${name}'`);
    bound[i] = value;
  }
  return bound;
}

/** A timeout argument as seconds, or null when it is not a number (bool counts, as in Python). */
export function seconds(v: Value): number | null {
  if (v instanceof PyFloat) return v.v;
  if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
  return null;
}

/** `n` of `Semaphore.release(n)`: an int of at least 1 (CPython: ValueError "n must be one or more"). */
export function releaseCount(n: Value): number {
  if (typeof n === 'boolean') n = Number(n);
  if (typeof n !== 'number') {
    if (n instanceof PyFloat) raise('TypeError', "'float' object cannot be interpreted as an integer");
    raise('TypeError', `'<' not supported between instances of '${typeName(n)}' and 'int'`);
  }
  if (n < 1) raise('ValueError', 'n must be one or more');
  return n;
}

/** Threads woken by `Condition.notify(n)` out of `waiting` (CPython slices the waiters with islice). */
export function notifyCount(n: Value, waiting: number): number {
  if (n === null) return waiting;
  if (typeof n === 'boolean') n = Number(n);
  if (typeof n !== 'number' || n < 0)
    raise('ValueError', 'Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.');
  return n;
}

/**
 * `(blocking, timeout)` of `acquire(...)` on lock or semaphore `l`, in seconds; timeout < 0
 * means none. Errors as CPython 3.11:
 * - Lock/RLock (`acquire(blocking=True, timeout=-1)`, C): -1 is "no timeout", any other
 *   negative is ValueError "timeout value must be positive"; a timeout with blocking=False is
 *   ValueError; a non-number is TypeError.
 * - Semaphore (`acquire(blocking=True, timeout=None)`, Python): a negative timeout times out at
 *   once (0); the timeout is only looked at when the acquire would block (`wouldBlock`).
 */
export function acquireArgs(
  l: PyLock | PySemaphore,
  pos: Value[],
  kw: Map<string, Value> | null,
  wouldBlock = true,
): { blocking: boolean; timeout: number } {
  const [blockingV, timeoutV] = bindArgs(l, 'acquire', pos, kw);
  const blocking = blockingV === undefined || isTruthy(blockingV);
  if (l instanceof PySemaphore) {
    const given = timeoutV !== undefined && timeoutV !== null;
    if (!blocking && given) raise('ValueError', "can't specify timeout for non-blocking acquire");
    if (!given || !wouldBlock) return { blocking, timeout: -1 };
    const s = seconds(timeoutV);
    if (s === null)
      raise('TypeError', `unsupported operand type(s) for +: 'float' and '${typeName(timeoutV)}'`);
    return { blocking, timeout: Math.max(0, s) };
  }
  let timeout = -1;
  if (timeoutV !== undefined) {
    const s = seconds(timeoutV);
    if (s === null) raise('TypeError', `'${typeName(timeoutV)}' object cannot be interpreted as an integer`);
    timeout = s;
  }
  if (!blocking && timeout !== -1) raise('ValueError', "can't specify a timeout for a non-blocking call");
  if (timeout < 0 && timeout !== -1) raise('ValueError', 'timeout value must be positive');
  return { blocking, timeout };
}

/**
 * Timeout of `Condition.wait`, `Event.wait` or `Thread.join` (`method`), in seconds; < 0 means
 * none, a negative one times out at once (0). TypeError as CPython for a non-number.
 */
export function waitTimeout(
  self: Value,
  method: 'wait' | 'join',
  pos: Value[],
  kw: Map<string, Value> | null,
): number {
  const [v] = bindArgs(self, method, pos, kw);
  if (v === undefined || v === null) return -1;
  const s = seconds(v);
  if (s === null) {
    // CPython compares `timeout > 0` (wait) or takes `max(timeout, 0)` (join).
    const [a, b] = method === 'wait' ? [typeName(v), 'int'] : ['int', typeName(v)];
    raise('TypeError', `'>' not supported between instances of '${a}' and '${b}'`);
  }
  return Math.max(0, s);
}

/** The lock or semaphore that `acquire` / `with` takes for `obj`. */
export function lockOf(obj: Value): PyLock | PySemaphore | null {
  if (obj instanceof PyLock || obj instanceof PySemaphore) return obj;
  if (obj instanceof PyCondition) return obj.lock;
  return null;
}

/**
 * The lock or semaphore of `obj.acquire()` / `obj.release()` (`withStatement` false) or of
 * `with obj:` (true); raises CPython's AttributeError or TypeError when `obj` has none.
 */
export function lockFor(
  obj: Value,
  method: 'acquire' | 'release',
  withStatement: boolean,
): PyLock | PySemaphore {
  const l = lockOf(obj);
  if (l !== null) return l;
  if (withStatement)
    raise('TypeError', `'${typeName(obj)}' object does not support the context manager protocol`);
  return raise('AttributeError', `'${typeName(obj)}' object has no attribute '${method}'`);
}
