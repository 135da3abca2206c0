/**
 * The shared memory of a hardware trial: one SharedArrayBuffer seen as an Int32Array `M`
 * by the controller and by every worker.
 *
 * Layout (indices into M, int32 words):
 *
 *   0 .. HEADER            header words (heap top, counters, barrier, program end)
 *   MAILBOX .. +MAX_WORKERS  one word per worker: tid + 1 to run, 0 while idle
 *   THREADS .. +MAX_THREADS  address of each started thread's THREAD object, by tid
 *   globals .. +nglobals     one tagged word per module-level name
 *   heap                     objects, bump-allocated (never freed within a trial)
 *
 * A tagged word holds a Python value:
 *
 *   ...x0   an int in [-2^30, 2^30): value << 1
 *   ...01   a constant: None 1, False 5, True 9, unbound 13; builtin i: ((16 + i) << 2) | 1
 *   ...11   a heap object at address a: (a << 2) | 3
 *
 * Heap objects start with their kind; their fields follow (see the *_ offsets below). Mutable
 * state that threads share (a lock's state, a list's items) is only read and written with
 * Atomics; immutable objects (strings, tuples, floats, functions) are written once before
 * their address is published.
 */

/** Header words. */
export const H = {
  /** Next free heap word. */
  TOP: 0,
  /** Threads created so far (CPython's `Thread-N` counter). */
  NAME_COUNTER: 1,
  /** Threads started so far, MainThread included (the next tid). */
  STARTED: 2,
  /** Started threads that have not ended. */
  LIVE: 3,
  /** Trial number the memory was set up for. */
  TRIAL: 4,
  /** Memory mode: 0 sc, 1 plain. */
  MODE: 5,
  /** Start of the globals. */
  GLOBALS: 6,
  /** First word of the heap. */
  HEAP: 7,
  /** Size of M in words. */
  SIZE: 8,
  /** Tests only: tid + 1 of a thread whose worker dies of an internal error (0: none). */
  CRASH_TID: 9,
  /** Words 10-11: a float64, the time (performance.timeOrigin + now, ms) released threads start at. */
  GO_AT: 10,
  /** Words 12-13: a float64, the trial's epoch (same clock as GO_AT). */
  EPOCH: 12,
} as const;
export const HEADER = 16;

export const MAX_WORKERS = 1024;
export const MAX_THREADS = 1024;
export const MAILBOX = HEADER;
export const THREADS = MAILBOX + MAX_WORKERS;
const GLOBALS_START = THREADS + MAX_THREADS;

/**
 * Words of shared memory per trial (256 MiB, committed by the OS only as it is touched). The
 * heap is never collected within a trial: each store of a float, a string or an int beyond
 * ±2^30 into a shared cell copies it there.
 */
export const DEFAULT_WORDS = 64 * 1024 * 1024;

export const NONE = 1;
export const FALSE = 5;
export const TRUE = 9;
export const UNBOUND = 13;
export const SMALL_INT_MIN = -(2 ** 30);
export const SMALL_INT_MAX = 2 ** 30 - 1;

/** Kinds of heap objects (word 0 of each). */
export const enum HeapKind {
  List = 1,
  Tuple,
  Str,
  Float,
  Int,
  Function,
  Lock,
  Semaphore,
  Condition,
  Event,
  Thread,
  Exception,
  BoundMethod,
}

// LIST: [kind, guard, length, dataAddr]; data block: [capacity, items...] (a reader takes the
// block and its capacity together; a full list moves to a larger block under the guard).
export const LIST_GUARD = 1;
export const LIST_LENGTH = 2;
export const LIST_DATA = 3;
export const LIST_WORDS = 4;

// TUPLE: [kind, n, items...]; STR: [kind, n, utf16 units...]; FLOAT / INT: [kind, lo, hi] (float64 bits).
export const SEQ_LENGTH = 1;
export const SEQ_ITEMS = 2;

// EXCEPTION: [kind, class (builtin tag), args (tagged tuple)]; the traceback stays with the thread.
export const EXC_CLASS = 1;
export const EXC_ARGS = 2;

// BOUND METHOD: [kind, self (tagged), name (tagged str)]
export const BM_SELF = 1;
export const BM_NAME = 2;

// FUNCTION: [kind, codeIndex, ndefaults, defaults...]
export const FN_CODE = 1;
export const FN_NDEFAULTS = 2;
export const FN_DEFAULTS = 3;

// LOCK (Lock and RLock): [kind, state, owner, reentrant, count, line]
// state: 0 free, 1 held, 2 held with waiters (Drepper, "Futexes Are Tricky", mutex 2).
export const LOCK_STATE = 1;
export const LOCK_OWNER = 2;
export const LOCK_REENTRANT = 3;
export const LOCK_COUNT = 4;
export const LOCK_LINE = 5;
export const LOCK_WORDS = 6;

// SEMAPHORE: [kind, value, bound (-1 unbounded)]
export const SEM_VALUE = 1;
export const SEM_BOUND = 2;
export const SEM_WORDS = 3;

// CONDITION: [kind, lockRef, guard, count, waiters[MAX_THREADS]] (FIFO of waiting tids, as CPython's deque)
export const COND_LOCK = 1;
export const COND_GUARD = 2;
export const COND_COUNT = 3;
export const COND_WAITERS = 4;
export const COND_WORDS = COND_WAITERS + MAX_THREADS;

// EVENT: [kind, flag]
export const EVENT_FLAG = 1;
export const EVENT_WORDS = 2;

// THREAD: see the fields below.
export const T_STATE = 1; // ThreadState below
export const T_TID = 2;
export const T_DAEMON = 3;
export const T_NAME = 4; // tagged str
export const T_TARGET = 5; // tagged
export const T_ARGS = 6; // tagged
export const T_KWARGS = 7; // tagged (a dict is refused; None or an empty tuple of names)
export const T_BLOCKED = 8; // Blocked below
export const T_BLOCKED_ON = 9; // tagged object it waits for
export const T_LINE = 10; // source line of the blocking op
export const T_TIMED = 11; // 1 if the blocking op has a timeout
export const T_PARKED = 12; // 1 while held at the start barrier
export const T_WAKE = 13; // condition wake cell: 0 waiting, 1 notified
export const T_SLEEP = 14; // private cell for sleep()
export const T_STARTER = 15; // THREAD address of the thread that started this one
export const T_IN_START = 16; // 1 while this thread is inside start()
export const T_LAST_START = 17; // when its last start() returned, ms since the trial's epoch
export const T_KWARGS_DICT = 18; // 1 if kwargs was a dict (T_KWARGS then holds its (key, value) pairs)
export const THREAD_WORDS = 19;

export const enum ThreadLife {
  Initial = 0,
  Starting = 1,
  Started = 2,
  Stopped = 3,
}

export const enum Blocked {
  Running = 0,
  Lock,
  Semaphore,
  Condition,
  Event,
  Join,
  Sleep,
  /** MainThread at the end of the program, waiting for the non-daemon threads. */
  Shutdown,
}

/** A fresh Int32Array over a new SharedArrayBuffer of `words` words. */
export function newMemory(words = DEFAULT_WORDS): Int32Array {
  return new Int32Array(new SharedArrayBuffer(words * 4));
}

/** Clear the memory for a new trial: header, mailboxes kept (workers are idle), globals unbound. */
export function resetMemory(M: Int32Array, globals: number, trial: number, plain: boolean): void {
  const mailboxes = M.slice(MAILBOX, MAILBOX + MAX_WORKERS);
  const top = Atomics.load(M, H.TOP);
  M.fill(0, 0, Math.max(top, GLOBALS_START + globals));
  M.set(mailboxes, MAILBOX);
  M[H.GLOBALS] = GLOBALS_START;
  M.fill(UNBOUND, GLOBALS_START, GLOBALS_START + globals);
  M[H.HEAP] = GLOBALS_START + globals;
  M[H.TOP] = GLOBALS_START + globals;
  M[H.SIZE] = M.length;
  M[H.TRIAL] = trial;
  M[H.MODE] = plain ? 1 : 0;
}

export const isSmallInt = (w: number): boolean => (w & 1) === 0;
export const isRef = (w: number): boolean => (w & 3) === 3;
export const refAddr = (w: number): number => w >>> 2;
export const refOf = (addr: number): number => (addr << 2) | 3;
export const builtinTag = (i: number): number => ((16 + i) << 2) | 1;
export const builtinIndex = (w: number): number => (w >> 2) - 16;

/** Allocate `n` zeroed words; returns the address, or -1 when the shared memory is full. */
export function allocate(M: Int32Array, n: number): number {
  const a = Atomics.add(M, H.TOP, n);
  if (a + n > M.length) return -1;
  return a;
}

const f64 = new Float64Array(1);
const f64words = new Int32Array(f64.buffer);

/** The two words of a float64. */
export function floatWords(x: number): [number, number] {
  f64[0] = x;
  return [f64words[0]!, f64words[1]!];
}

/** The float64 of two words. */
export function wordsFloat(lo: number, hi: number): number {
  f64words[0] = lo;
  f64words[1] = hi;
  return f64[0]!;
}
