/**
 * The runtime of compiled thread programs on real threads: what the generated JavaScript
 * (src/hw/codegen.ts) calls for everything beyond its inline fast paths (the contract:
 * GeneratedCodeRuntime, src/hw/contract.ts). One instance per worker; it runs one Python
 * thread at a time.
 *
 * Python semantics (values, arithmetic, containers, formatting, calls, argument errors,
 * tracebacks, thread targets) are the semantics core's (src/semantics/), shared with the
 * simulator, so a program behaves the same here as there; this runtime supplies only the
 * effects (output, sleep, random choices: the core's Effects and CallEngine) and the memory.
 * What threads share lives in the trial's SharedArrayBuffer (layout and tags:
 * src/hw/memory.ts) and is read through wrappers (src/hw/objects.ts); blocking is built on
 * Atomics (src/hw/sync.ts). Join waits on the thread's state word; sleep on a private cell.
 */
import { COMPARE_OPS, Op, type CompiledProgram, type CodeObject } from '../compile/ops.js';
import { binary, buildString, compare, unary } from '../semantics/arith.js';
import {
  asIndex,
  dictSet,
  getIterator,
  iterate,
  type Args,
  type BuiltinContext,
} from '../semantics/builtins.js';
import { bindArguments, excMatches, formatUncaught, loadAttr } from '../semantics/calls.js';
import { callNonFunction, type CallEngine } from '../semantics/call-rules.js';
import {
  append,
  callMethod,
  clearContainer,
  contains,
  deleteItem,
  getItem,
  inPlace,
  joinStrings,
  listAppend,
  nextItem,
  pop,
  setItem,
} from '../semantics/containers.js';
import { choice, print, randint, sleep } from '../semantics/effects.js';
import { PyRaise, classChain, makeException, raise } from '../semantics/exceptions.js';
import { exceptionLine, formatValue, repr } from '../semantics/format.js';
import { BUILTIN_VALUES, CodeRef, materialize } from '../semantics/program-values.js';
import {
  assertionError,
  handledException,
  startTraceback,
  toException,
  traceEntry,
} from '../semantics/raise.js';
import { targetArguments } from '../semantics/threads.js';
import {
  acquireArgs,
  bindArgs,
  lockFor,
  lockOf,
  notifyCount,
  releaseCount,
  waitTimeout,
} from '../semantics/signatures.js';
import {
  PyBoundMethod,
  PyBuiltin,
  PyCondition,
  PyDict,
  PyEvent,
  PyExcClass,
  PyException,
  PyFloat,
  PyFunction,
  PyList,
  PyLock,
  PyObject,
  PySemaphore,
  PyThread,
  PyTuple,
  isTruthy,
  typeName,
  type Value,
} from '../semantics/values.js';
import {
  Blocked,
  BM_NAME,
  BM_SELF,
  COND_LOCK,
  COND_WORDS,
  EVENT_FLAG,
  EVENT_WORDS,
  EXC_ARGS,
  EXC_CLASS,
  FALSE,
  FN_CODE,
  FN_DEFAULTS,
  FN_NDEFAULTS,
  H,
  HeapKind,
  LIST_DATA,
  LIST_GUARD,
  LIST_LENGTH,
  LIST_WORDS,
  LOCK_OWNER,
  LOCK_REENTRANT,
  LOCK_STATE,
  LOCK_WORDS,
  MAX_THREADS,
  NONE,
  SEM_BOUND,
  SEM_VALUE,
  SEM_WORDS,
  SEQ_ITEMS,
  SEQ_LENGTH,
  SMALL_INT_MAX,
  SMALL_INT_MIN,
  THREADS,
  THREAD_WORDS,
  TRUE,
  T_ARGS,
  T_BLOCKED,
  T_DAEMON,
  T_KWARGS,
  T_KWARGS_DICT,
  T_NAME,
  T_PARKED,
  T_SLEEP,
  T_STARTER,
  T_IN_START,
  T_LAST_START,
  T_STATE,
  T_TARGET,
  T_TID,
  ThreadLife,
  UNBOUND,
  allocate,
  builtinIndex,
  builtinTag,
  floatWords,
  refAddr,
  refOf,
  wordsFloat,
} from './memory.js';
import { HwCondition, HwEvent, HwList, HwLock, HwSemaphore, HwThread, type ItemCodec } from './objects.js';
import { Rng } from '../schedule/rng.js';
import {
  block,
  condNotify,
  condWait,
  eventWait,
  lockAcquire,
  lockRelease,
  mutexLock,
  mutexUnlock,
  semAcquire,
  semRelease,
  unblock,
} from './sync.js';
import { HwUnsupported } from './types.js';
import type { GeneratedCodeRuntime } from './contract.js';

/** A generated function: `(R, M, ...params) => result`. */
export type CompiledFunction = (R: GeneratedCodeRuntime, M: Int32Array, ...args: Value[]) => Value;

/** Messages a worker posts to the controller. */
export type WorkerMessage =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'start'; tid: number }
  | { type: 'exception'; tid: number; thread: string; classes: string[]; text: string }
  | { type: 'ended'; tid: number; trial: number }
  | { type: 'unsupported'; message: string }
  | { type: 'crash'; message: string };

/** How long a thread parked at the start barrier waits for its starter, at most (ms). */
const BARRIER_MS = 50;
const BARRIER_POLL_MS = 50;
/**
 * Threads released together start together: the starter sets a start time this far ahead, and
 * each released thread spins until it (a futex wake takes tens of microseconds, and differently
 * for each thread; a spin on the clock ends within a microsecond of the others).
 */
const GO_DELAY_MS = 1;

/** Wall time comparable between threads, ms. */
const clock = (): number => performance.timeOrigin + performance.now();
const RECURSION_LIMIT = 1000;
/** Strings a worker remembers the shared copy of (names, messages), at most. */
const MAX_INTERNED = 4096;

const BUILTIN_INDEX = new Map<Value, number>(BUILTIN_VALUES.map((v, i) => [v, i]));

export class HwRuntime implements GeneratedCodeRuntime, BuiltinContext, CallEngine, ItemCodec {
  /** Generated function of each code object (index = code index). */
  fns: CompiledFunction[] = [];
  readonly consts: Value[][];
  readonly builtins = BUILTIN_VALUES;
  /** First global word. */
  G = 0;
  /** The running Python thread: tid and THREAD object address. */
  tid = -1;
  threadAddr = 0;
  /** Exceptions being handled (except blocks), innermost last. */
  handled: PyException[] = [];
  /** The exception a handler receives (set by unwind). */
  caught: PyException | null = null;
  depth = 0;
  private reraising = false;
  private readonly tracebackStarted = new WeakSet<PyException>();
  /** The exception the last unwind let out of its function (the caller's unwind adds its line). */
  private propagating: PyException | null = null;
  /** Thread kwargs dicts this worker made, by THREAD address: read again at start(). */
  private threadKwargs = new Map<number, PyDict>();
  /** Where a non-Python error first passed through generated code: [code, pc]. */
  internalAt: [number, number] | null = null;
  private cache = new Map<number, Value>();
  private published = new WeakMap<object, number>();
  private strings = new Map<string, number>();
  private nextLocalId = 1 << 30;
  /** THREAD addresses this thread started and still holds at the start barrier. */
  private parked: number[] = [];
  private trial = -1;
  private rng = new Rng(0);
  /** The header's clocks: [0] the start time of released threads (H.GO_AT), [1] the trial's epoch (H.EPOCH). */
  private readonly clocks: Float64Array;

  constructor(
    readonly M: Int32Array,
    readonly program: CompiledProgram,
    private readonly post: (m: WorkerMessage) => void,
  ) {
    this.consts = program.codes.map((c) => c.consts.map(materialize));
    this.clocks = new Float64Array(M.buffer, H.GO_AT * 4, 2);
  }

  // ---------------------------------------------------------------- trials and threads

  /** Forget the previous trial's objects (addresses are reused from one trial to the next). */
  beginTrial(trial: number): void {
    if (trial === this.trial) return;
    this.trial = trial;
    this.cache = new Map();
    this.published = new WeakMap();
    this.strings = new Map();
    this.threadKwargs = new Map();
    this.G = Atomics.load(this.M, H.GLOBALS);
  }

  /** Run thread `tid` (its THREAD object is in the thread table) to its end. */
  runThread(tid: number): void {
    const M = this.M;
    this.beginTrial(Atomics.load(M, H.TRIAL));
    this.tid = tid;
    this.threadAddr = Atomics.load(M, THREADS + tid);
    // Independent streams per thread and trial; on hardware nothing needs replaying.
    this.rng = new Rng(this.trial * 1_048_583 + tid);
    this.handled = [];
    this.propagating = null;
    // The VM counts the module frame (MainThread) or the thread's bootstrap frame too.
    this.depth = 1;
    this.parked = [];
    this.internalAt = null;
    const t = this.threadAddr;
    Atomics.store(M, t + T_STATE, ThreadLife.Started);
    Atomics.notify(M, t + T_STATE);
    if (tid !== 0) this.waitAtBarrier(t);
    let uncaught: PyException | null = null;
    try {
      if (tid === 0) this.fns[0]!(this, M);
      else this.runTarget(t);
    } catch (e) {
      uncaught = this.pythonException(e);
      if (uncaught === null) throw e;
    }
    this.releaseParked();
    if (uncaught !== null) {
      const name = this.threadName(t);
      this.post({
        type: 'output',
        stream: 'stderr',
        text: formatUncaught(this.program.source, uncaught, tid === 0 ? null : name),
      });
      this.post({
        type: 'exception',
        tid,
        thread: name,
        classes: classChain(uncaught.cls),
        text: exceptionLine(uncaught),
      });
    }
    if (tid === 0) this.awaitShutdown();
    Atomics.sub(M, H.LIVE, 1);
    Atomics.store(M, t + T_BLOCKED, Blocked.Running);
    Atomics.store(M, t + T_STATE, ThreadLife.Stopped);
    Atomics.notify(M, t + T_STATE);
    this.post({ type: 'ended', tid, trial: this.trial });
  }

  /** A thread's call of its target (src/semantics/threads.ts), errors as the new thread's. */
  private runTarget(t: number): void {
    const M = this.M;
    const target = this.decode(Atomics.load(M, t + T_TARGET));
    if (target === null) return;
    const args = this.decode(Atomics.load(M, t + T_ARGS));
    let kwargs = this.decode(Atomics.load(M, t + T_KWARGS));
    if (M[t + T_KWARGS_DICT] === 1) {
      // A dict cannot be shared: share() stored its (key, value) pairs.
      const d = this.newDict();
      for (const pair of (kwargs as PyTuple).items) {
        const [k, v] = (pair as PyTuple).items;
        dictSet(d, k!, v!);
      }
      kwargs = d;
    }
    const a = targetArguments(target, args, kwargs);
    this.call(target, a.pos, a.kw);
  }

  /** Wait at the start barrier until the starter releases this thread (or BARRIER_MS pass). */
  private waitAtBarrier(t: number): void {
    const M = this.M;
    const starter = M[t + T_STARTER]!;
    while (Atomics.load(M, t + T_PARKED) === 1) {
      // A starter that is no longer starting threads, yet neither blocks nor prints (a spin
      // loop), would hold its threads forever: past BARRIER_MS of that, they go anyway.
      const starting = Atomics.load(M, starter + T_IN_START) === 1;
      if (!starting && this.sinceEpoch() - Atomics.load(M, starter + T_LAST_START) >= BARRIER_MS) return;
      Atomics.wait(M, t + T_PARKED, 1, BARRIER_POLL_MS);
    }
    const goAt = this.clocks[0]!;
    while (clock() < goAt);
  }

  /** ms since the trial's epoch (H.EPOCH), comparable between threads. */
  private sinceEpoch(): number {
    return Math.floor(clock() - this.clocks[1]!);
  }

  /** Let the threads this thread started run (at its first blocking op, print, or end). */
  releaseParked(): void {
    if (this.parked.length === 0) return;
    // Written before the releasing Atomics.store, so every released thread reads it.
    this.clocks[0] = clock() + GO_DELAY_MS;
    for (const t of this.parked) {
      Atomics.store(this.M, t + T_PARKED, 0);
      Atomics.notify(this.M, t + T_PARKED);
    }
    this.parked = [];
  }

  /** MainThread at the end of the program: wait for every non-daemon thread (threading._shutdown). */
  private awaitShutdown(): void {
    const M = this.M;
    for (let tid = 1; tid < Atomics.load(M, H.STARTED); tid++) {
      const t = Atomics.load(M, THREADS + tid);
      if (t === 0 || Atomics.load(M, t + T_DAEMON) !== 0) continue;
      block(this, Blocked.Shutdown, refOf(t), 0, false);
      for (let s = Atomics.load(M, t + T_STATE); s !== ThreadLife.Stopped; s = Atomics.load(M, t + T_STATE))
        Atomics.wait(M, t + T_STATE, s);
      unblock(this);
    }
  }

  private threadName(t: number): string {
    return this.decode(Atomics.load(this.M, t + T_NAME)) as string;
  }

  /** A Python exception from a caught JS value, or null if it is not one (an internal error). */
  pythonException(e: unknown): PyException | null {
    if (e instanceof PyRaise) return e.exc;
    if (e instanceof RangeError && /call stack/.test(e.message))
      return makeException('RecursionError', 'maximum recursion depth exceeded');
    return null;
  }

  // ---------------------------------------------------------------- exceptions

  /**
   * A generated function caught `e` at `pc` of code `k`: start or extend the traceback, and
   * return the handler's pc (with the exception in `caught`), or rethrow when no handler
   * covers pc (the caller unwinds further). `handledBase` is the handled-stack depth on entry.
   */
  unwind(e: unknown, k: number, pc: number, handledBase: number): number {
    const exc = this.pythonException(e);
    if (exc === null) {
      this.internalAt ??= [k, pc];
      throw e;
    }
    const code = this.program.codes[k]!;
    const entry = traceEntry(this.program.file, code, pc);
    if (this.reraising) this.reraising = false;
    else if (this.propagating === exc) {
      // From a callee: this frame's line goes in front (the raising frame's is there already).
      if (entry !== null) exc.traceback.unshift(entry);
    } else startTraceback(exc, this.tracebackStarted, entry);
    const handler = code.exceptionTable.find((h) => h.start <= pc && pc < h.end);
    if (handler === undefined) {
      this.handled.length = handledBase;
      this.propagating = exc;
      throw e instanceof PyRaise ? e : new PyRaise(exc);
    }
    this.propagating = null;
    this.caught = exc;
    return handler.handler;
  }

  /** `raise` (arg 0): re-raise the exception being handled. */
  reraiseHandled(): never {
    throw new PyRaise(handledException(this.handled));
  }

  /** `raise v`: an exception instance, or a class to instantiate. */
  raiseValue(v: Value): never {
    throw new PyRaise(toException(v, this.tracebackStarted));
  }

  reraise(v: Value): never {
    this.reraising = true;
    throw new PyRaise(v as PyException);
  }

  assertFail(msg: Value | undefined): never {
    throw new PyRaise(assertionError(msg));
  }

  excMatches(exc: Value, cls: Value): boolean {
    return excMatches(exc as PyException, cls);
  }

  unboundLocal(k: number, slot: number): never {
    raise(
      'UnboundLocalError',
      `cannot access local variable '${this.program.codes[k]!.localNames[slot]}' where it is not associated with a value`,
    );
  }

  // ---------------------------------------------------------------- globals

  /** A global whose word is not a small int (or is unbound: NameError). */
  loadGlobalSlow(i: number, w: number): Value {
    if (w === UNBOUND) raise('NameError', `name '${this.program.globalNames[i]}' is not defined`);
    return this.decode(w);
  }

  loadGlobal(i: number): Value {
    return this.loadGlobalSlow(i, Atomics.load(this.M, this.G + i));
  }

  storeGlobal(i: number, v: Value): void {
    const w = this.encode(v, i);
    if (Atomics.load(this.M, H.MODE) === 1) this.M[this.G + i] = w;
    else Atomics.store(this.M, this.G + i, w);
  }

  clearGlobal(i: number): void {
    Atomics.store(this.M, this.G + i, UNBOUND);
  }

  // ---------------------------------------------------------------- codec

  decode(w: number): Value {
    if ((w & 1) === 0) return w >> 1;
    if ((w & 3) === 1) {
      if (w === NONE) return null;
      if (w === FALSE) return false;
      if (w === TRUE) return true;
      return this.builtins[builtinIndex(w)]!;
    }
    const a = refAddr(w);
    const hit = this.cache.get(a);
    if (hit !== undefined) return hit;
    const v = this.build(a);
    // Objects with an identity are kept (one wrapper per address); strings, floats and big
    // ints are rebuilt at each load, so a loop storing millions of them keeps no map growing.
    if (v instanceof PyObject && !(v instanceof PyFloat)) {
      this.cache.set(a, v);
      this.published.set(v, a);
    }
    return v;
  }

  private build(a: number): Value {
    const M = this.M;
    const kind = Atomics.load(M, a) as HeapKind;
    switch (kind) {
      case HeapKind.List:
        return new HwList(a, this);
      case HeapKind.Tuple: {
        const n = M[a + SEQ_LENGTH]!;
        const items: Value[] = [];
        for (let i = 0; i < n; i++) items.push(this.decode(M[a + SEQ_ITEMS + i]!));
        return new PyTuple(items);
      }
      case HeapKind.Str: {
        const n = M[a + SEQ_LENGTH]!;
        let s = '';
        for (let i = 0; i < n; i += 4096)
          s += String.fromCharCode(...M.subarray(a + SEQ_ITEMS + i, a + SEQ_ITEMS + Math.min(n, i + 4096)));
        return s;
      }
      case HeapKind.Float:
        return new PyFloat(wordsFloat(M[a + 1]!, M[a + 2]!));
      case HeapKind.Int:
        return wordsFloat(M[a + 1]!, M[a + 2]!);
      case HeapKind.Function: {
        const k = M[a + FN_CODE]!;
        const defaults: Value[] = [];
        for (let i = 0; i < M[a + FN_NDEFAULTS]!; i++) defaults.push(this.decode(M[a + FN_DEFAULTS + i]!));
        const code = this.program.codes[k]!;
        return new PyFunction(code.name, code, k, defaults);
      }
      case HeapKind.Lock:
        return new HwLock(a, M[a + LOCK_REENTRANT] === 1, M);
      case HeapKind.Semaphore:
        return new HwSemaphore(a, M[a + SEM_BOUND]!, M);
      case HeapKind.Condition:
        return new HwCondition(a, this.decode(M[a + COND_LOCK]!) as HwLock);
      case HeapKind.Event:
        return new HwEvent(a, M);
      case HeapKind.Thread:
        return new HwThread(
          a,
          this.decode(M[a + T_NAME]!) as string,
          this.decode(M[a + T_TARGET]!),
          this.decode(M[a + T_ARGS]!),
          this.decode(M[a + T_KWARGS]!),
          M,
        );
      case HeapKind.BoundMethod:
        return new PyBoundMethod(this.decode(M[a + BM_SELF]!), this.decode(M[a + BM_NAME]!) as string);
      case HeapKind.Exception: {
        const args = this.decode(M[a + EXC_ARGS]!) as PyTuple;
        return new PyException(this.decode(M[a + EXC_CLASS]!) as PyExcClass, [...args.items]);
      }
      default:
        throw new Error(`internal error: heap object of kind ${kind as number} at ${a}`);
    }
  }

  private alloc(n: number): number {
    const a = allocate(this.M, n);
    if (a < 0) {
      const mb = Math.round((this.M.length * 4) / 2 ** 20);
      throw new HwUnsupported(
        `the hardware runner's shared memory (${mb} MiB) is full: it keeps every float, string and int beyond ±2^30 that threads store into shared cells, and lists never shrink, until the trial ends`,
      );
    }
    return a;
  }

  /** The word for `v`, publishing it to shared memory if it is not there yet. `global` names the cell for errors. */
  encode(v: Value, global = -1): number {
    try {
      return this.encodeValue(v, global);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const where = global >= 0 ? ` (global '${this.program.globalNames[global]}')` : '';
      throw new HwUnsupported(`the hardware runner cannot publish a value nested this deeply${where}`);
    }
  }

  private encodeValue(v: Value, global: number): number {
    if (typeof v === 'number') {
      if ((v | 0) === v && v >= SMALL_INT_MIN && v <= SMALL_INT_MAX) return v << 1;
      return this.boxNumber(HeapKind.Int, v);
    }
    if (v === null) return NONE;
    if (v === true) return TRUE;
    if (v === false) return FALSE;
    if (typeof v === 'string') return this.encodeString(v);
    const known = this.published.get(v);
    if (known !== undefined) return refOf(known);
    const b = BUILTIN_INDEX.get(v);
    if (b !== undefined) return builtinTag(b);
    let a: number;
    if (v instanceof PyFloat) return this.boxNumber(HeapKind.Float, v.v);
    if (v instanceof PyTuple && !(v instanceof CodeRef)) {
      const words = v.items.map((x) => this.encodeValue(x, global));
      a = this.alloc(SEQ_ITEMS + words.length);
      this.M[a + SEQ_LENGTH] = words.length;
      this.M.set(words, a + SEQ_ITEMS);
      Atomics.store(this.M, a, HeapKind.Tuple);
    } else if (v instanceof PyList) a = this.publishList(v, global);
    else if (v instanceof PyFunction) {
      const words = v.defaults.map((x) => this.encodeValue(x, global));
      a = this.alloc(FN_DEFAULTS + words.length);
      this.M[a + FN_CODE] = v.codeIndex;
      this.M[a + FN_NDEFAULTS] = words.length;
      this.M.set(words, a + FN_DEFAULTS);
      Atomics.store(this.M, a, HeapKind.Function);
    } else if (v instanceof PyBoundMethod) {
      const words = [this.encodeValue(v.self, global), this.encodeValue(v.name, global)];
      a = this.alloc(3);
      this.M[a + BM_SELF] = words[0]!;
      this.M[a + BM_NAME] = words[1]!;
      Atomics.store(this.M, a, HeapKind.BoundMethod);
    } else if (v instanceof PyException) {
      const words = [this.encodeValue(v.cls, global), this.encodeValue(new PyTuple(v.args), global)];
      a = this.alloc(3);
      this.M[a + EXC_CLASS] = words[0]!;
      this.M[a + EXC_ARGS] = words[1]!;
      Atomics.store(this.M, a, HeapKind.Exception);
    } else {
      const where = global >= 0 ? ` (global '${this.program.globalNames[global]}')` : '';
      throw new HwUnsupported(
        `the hardware runner cannot hold a ${typeName(v)} in shared memory${where}: only ints, floats, strings, None, bools, tuples, lists, functions, exceptions and threading objects can be shared between its threads; interleave run simulates this program`,
      );
    }
    this.published.set(v, a);
    this.cache.set(a, v);
    return refOf(a);
  }

  private boxNumber(kind: HeapKind, x: number): number {
    const a = this.alloc(3);
    const [lo, hi] = floatWords(x);
    this.M[a + 1] = lo;
    this.M[a + 2] = hi;
    Atomics.store(this.M, a, kind);
    return refOf(a);
  }

  private encodeString(s: string): number {
    const known = this.strings.get(s);
    if (known !== undefined) return refOf(known);
    const a = this.alloc(SEQ_ITEMS + s.length);
    this.M[a + SEQ_LENGTH] = s.length;
    for (let i = 0; i < s.length; i++) this.M[a + SEQ_ITEMS + i] = s.charCodeAt(i);
    Atomics.store(this.M, a, HeapKind.Str);
    if (s.length <= 256) {
      if (this.strings.size >= MAX_INTERNED) this.strings.clear();
      this.strings.set(s, a);
    }
    return refOf(a);
  }

  /** Move a thread-local list into shared memory; the same PyList object now reads the shared items. */
  private publishList(list: PyList, global: number): number {
    const items = list.items.map((x) => this.encodeValue(x, global));
    const cap = Math.max(4, items.length * 2);
    const a = this.alloc(LIST_WORDS);
    const data = this.alloc(1 + cap);
    this.M[data] = cap;
    this.M.set(items, data + 1);
    this.M[a + LIST_LENGTH] = items.length;
    this.M[a + LIST_DATA] = data;
    Atomics.store(this.M, a, HeapKind.List);
    list.items = new HwList(a, this).items;
    return a;
  }

  /** Grow the list at `addr` to hold `n` items (the caller holds its guard). */
  reserve(addr: number, n: number): void {
    const M = this.M;
    const data = Atomics.load(M, addr + LIST_DATA);
    const cap = Atomics.load(M, data);
    if (n <= cap) return;
    const newCap = Math.max(n, cap * 2);
    const fresh = this.alloc(1 + newCap);
    M[fresh] = newCap;
    for (let i = 0; i < cap; i++) M[fresh + 1 + i] = Atomics.load(M, data + 1 + i);
    Atomics.store(M, addr + LIST_DATA, fresh);
  }

  /** Run `f` holding the guard of every shared list among `vs` (CPython's list ops are atomic). */
  private guarded<T>(v: Value, f: () => T): T {
    const a = v instanceof PyList ? this.published.get(v) : undefined;
    if (a === undefined) return f();
    mutexLock(this, a + LIST_GUARD);
    try {
      return f();
    } finally {
      mutexUnlock(this, a + LIST_GUARD);
    }
  }

  // ---------------------------------------------------------------- BuiltinContext

  newId(): number {
    return this.nextLocalId++;
  }
  newList(items: Value[]): PyList {
    return new PyList(this.newId(), items);
  }
  newDict(): PyDict {
    return new PyDict(this.newId());
  }
  currentThread(): PyThread {
    return this.decode(refOf(this.threadAddr)) as PyThread;
  }
  mainThread(): PyThread {
    return this.decode(refOf(Atomics.load(this.M, THREADS))) as PyThread;
  }
  activeCount(): number {
    return Atomics.load(this.M, H.LIVE);
  }
  nextThreadName(target: Value): string {
    const n = Atomics.add(this.M, H.NAME_COUNTER, 1) + 1;
    const name =
      target instanceof PyFunction ? target.name : target instanceof PyBuiltin ? target.shortName : null;
    return name === null ? `Thread-${n}` : `Thread-${n} (${name})`;
  }

  // ---------------------------------------------------------------- ops

  binary(op: Op, a: Value, b: Value, inplace: number): Value {
    if (inplace === 1 && a instanceof PyList && this.guarded(a, () => inPlace(op, a, b))) return a;
    return binary(op, a, b, (items) => this.newList(items), inplace === 1);
  }
  unary(op: Op.NEG | Op.POS, v: Value): Value {
    return unary(op, v);
  }
  compare(op: number, a: Value, b: Value): boolean {
    return compare(COMPARE_OPS[op]!, a, b);
  }
  truthy(v: Value): boolean {
    return isTruthy(v);
  }
  contains(item: Value, container: Value): boolean {
    return contains(container, item);
  }
  loadAttr(v: Value, k: number, i: number): Value {
    return loadAttr(v, this.program.codes[k]!.names[i]!, this.builtins);
  }
  loadItem(container: Value, key: Value): Value {
    return this.guarded(container, () => getItem(container, key));
  }
  storeItem(value: Value, container: Value, key: Value): void {
    this.guarded(container, () => setItem(container, key, value));
  }
  deleteItem(container: Value, key: Value): void {
    this.guarded(container, () => deleteItem(container, key));
  }
  tuple(items: Value[]): Value {
    return new PyTuple(items);
  }
  list(items: Value[]): Value {
    return this.newList(items);
  }
  dict(kv: Value[]): Value {
    const d = this.newDict();
    for (let i = 0; i < kv.length; i += 2) dictSet(d, kv[i]!, kv[i + 1]!);
    return d;
  }
  unpack(v: Value, n: number): Value[] {
    const items = this.guarded(v, () =>
      v instanceof PyTuple || v instanceof PyList ? [...v.items] : iterate(v),
    );
    if (items.length !== n) {
      if (items.length > n) raise('ValueError', `too many values to unpack (expected ${n})`);
      raise('ValueError', `not enough values to unpack (expected ${n}, got ${items.length})`);
    }
    return items;
  }
  format(v: Value, spec: Value): string {
    return formatValue(v, spec as string);
  }
  repr(v: Value): string {
    return repr(v);
  }
  iter(v: Value): Value {
    return getIterator(v);
  }
  next(it: Value): Value | undefined {
    return nextItem(it);
  }
  index(v: Value): number {
    return asIndex(v);
  }
  rangeStep(v: Value): number {
    const s = asIndex(v);
    if (s === 0) raise('ValueError', 'range() arg 3 must not be zero');
    return s;
  }
  listAppend(list: Value, v: Value): void {
    listAppend(list as PyList, v);
  }
  buildString(pieces: string[]): string {
    return buildString(pieces);
  }
  makeFunction(ref: Value, defaults: Value[]): Value {
    const k = (ref as CodeRef).index;
    const code = this.program.codes[k]!;
    return new PyFunction(code.name, code, k, defaults);
  }

  /** Split the arguments of a call op: the last `kwnames.length` are keywords. */
  args(values: Value[], kwnames: readonly Value[] | null): Args {
    if (kwnames === null || kwnames.length === 0) return { pos: values, kw: null };
    const npos = values.length - kwnames.length;
    const kw = new Map<string, Value>();
    kwnames.forEach((n, i) => kw.set(n as string, values[npos + i]!));
    return { pos: values.slice(0, npos), kw };
  }

  /** `CALL`: callee(*values) with keyword names `kwnames`. */
  callOp(callee: Value, values: Value[], kwnames: readonly Value[] | null): Value {
    const a = this.args(values, kwnames);
    return this.call(callee, a.pos, a.kw);
  }

  call(callee: Value, pos: Value[], kw: Map<string, Value> | null): Value {
    if (callee instanceof PyFunction) {
      const values =
        kw === null && pos.length === callee.code.paramCount ? pos : bindArguments(callee, pos, kw);
      if (this.depth >= RECURSION_LIMIT) raise('RecursionError', 'maximum recursion depth exceeded');
      this.depth++;
      try {
        return this.fns[callee.codeIndex]!(this, this.M, ...values);
      } finally {
        this.depth--;
      }
    }
    // Threading objects a builtin makes are moved into shared memory at once.
    return this.share(callNonFunction(this, this, callee, { pos, kw }));
  }

  // ---------------------------------------------------------------- CallEngine

  runMethod(op: Op, name: string, self: Value, a: Args): Value {
    return this.method(op, self, a.pos, a.kw, -1, -1, name);
  }

  tryAcquire(l: PyLock | PySemaphore): boolean {
    return l instanceof HwSemaphore
      ? semAcquire(this, l, false, -1, 0)
      : lockAcquire(this, l as HwLock, false, -1, 0);
  }

  /** A threading object made by callBuiltin, moved into shared memory. */
  private share(v: Value): Value {
    if (!(v instanceof PyObject) || this.published.has(v)) return v;
    const M = this.M;
    let a: number;
    if (v instanceof PyLock) {
      a = this.alloc(LOCK_WORDS);
      M[a + LOCK_OWNER] = -1;
      M[a + LOCK_REENTRANT] = v.reentrant ? 1 : 0;
      Atomics.store(M, a, HeapKind.Lock);
    } else if (v instanceof PySemaphore) {
      a = this.alloc(SEM_WORDS);
      M[a + SEM_VALUE] = v.value;
      M[a + SEM_BOUND] = v.bound;
      Atomics.store(M, a, HeapKind.Semaphore);
    } else if (v instanceof PyCondition) {
      const lock = this.share(v.lock);
      a = this.alloc(COND_WORDS);
      M[a + COND_LOCK] = this.encode(lock);
      Atomics.store(M, a, HeapKind.Condition);
    } else if (v instanceof PyEvent) {
      a = this.alloc(EVENT_WORDS);
      Atomics.store(M, a, HeapKind.Event);
    } else if (v instanceof PyThread) {
      const isDict = v.kwargs instanceof PyDict;
      const kwargs = isDict ? kwargPairs(v.kwargs as PyDict) : v.kwargs;
      const words = [this.encode(v.name), this.encode(v.target), this.encode(v.args), this.encode(kwargs)];
      a = this.alloc(THREAD_WORDS);
      M[a + T_NAME] = words[0]!;
      M[a + T_TARGET] = words[1]!;
      M[a + T_ARGS] = words[2]!;
      M[a + T_KWARGS] = words[3]!;
      M[a + T_KWARGS_DICT] = isDict ? 1 : 0;
      // As the simulator, the new thread reads its kwargs when it starts (if this worker starts it).
      if (isDict) this.threadKwargs.set(a, v.kwargs as PyDict);
      M[a + T_DAEMON] = v.daemon ? 1 : 0;
      M[a + T_TID] = -1;
      Atomics.store(M, a, HeapKind.Thread);
    } else return v;
    // The shared wrapper replaces the VM object: decode builds it from the shared words.
    const w = this.decode(refOf(a));
    this.published.set(w as PyObject, a);
    return w;
  }

  // ---------------------------------------------------------------- Effects

  write(stream: 'stdout' | 'stderr', text: string): void {
    this.releaseParked();
    this.post({ type: 'output', stream, text });
  }

  sleep(seconds: number): void {
    this.releaseParked();
    const t = this.threadAddr;
    block(this, Blocked.Sleep, NONE, 0, true);
    Atomics.wait(this.M, t + T_SLEEP, 0, seconds * 1000);
    unblock(this);
  }

  /** A uniform integer in [0, n) from this thread's generator (seeded by trial and tid). */
  choose(n: number): number {
    return this.rng.below(n);
  }

  /** Reads need no note: the hardware runner keeps no footprint. */
  reads(): void {}

  private start(th: HwThread): void {
    const M = this.M;
    const a = th.addr;
    if (
      Atomics.compareExchange(M, a + T_STATE, ThreadLife.Initial, ThreadLife.Starting) !== ThreadLife.Initial
    )
      raise('RuntimeError', 'threads can only be started once');
    // Take the next tid only while there is one (the thread table has MAX_THREADS entries).
    let tid = Atomics.load(M, H.STARTED);
    for (;;) {
      if (tid >= MAX_THREADS) {
        // A limit of the runner, not of Python: the trial would not be comparable.
        throw new HwUnsupported(
          `the program starts more than ${MAX_THREADS} threads, the most the hardware runner holds`,
        );
      }
      const seen = Atomics.compareExchange(M, H.STARTED, tid, tid + 1);
      if (seen === tid) break;
      tid = seen;
    }
    const kwargs = this.threadKwargs.get(a);
    if (kwargs !== undefined) M[a + T_KWARGS] = this.encode(kwargPairs(kwargs));
    M[a + T_TID] = tid;
    M[a + T_PARKED] = 1;
    M[a + T_STARTER] = this.threadAddr;
    Atomics.store(M, this.threadAddr + T_IN_START, 1);
    Atomics.store(M, THREADS + tid, a);
    Atomics.add(M, H.LIVE, 1);
    this.post({ type: 'start', tid });
    // As CPython's start(): return once the new thread runs (it then waits at the barrier).
    for (let s = Atomics.load(M, a + T_STATE); s === ThreadLife.Starting; s = Atomics.load(M, a + T_STATE))
      Atomics.wait(M, a + T_STATE, s);
    this.parked.push(a);
    Atomics.store(M, this.threadAddr + T_LAST_START, this.sinceEpoch());
    Atomics.store(M, this.threadAddr + T_IN_START, 0);
  }

  private join(th: HwThread, timeout: number, line: number): void {
    const M = this.M;
    const a = th.addr;
    const s0 = Atomics.load(M, a + T_STATE);
    if (s0 === ThreadLife.Initial) raise('RuntimeError', 'cannot join thread before it is started');
    if (a === this.threadAddr) raise('RuntimeError', 'cannot join current thread');
    const end = timeout >= 0 ? performance.now() + timeout * 1000 : Infinity;
    block(this, Blocked.Join, refOf(a), line, timeout >= 0);
    for (let s = s0; s !== ThreadLife.Stopped; s = Atomics.load(M, a + T_STATE)) {
      const left = end - performance.now();
      if (left <= 0) break;
      Atomics.wait(M, a + T_STATE, s, left === Infinity ? undefined : left);
    }
    unblock(this);
  }

  private lineOf(k: number, pc: number): number {
    return k < 0 ? 0 : this.program.codes[k]!.spans[pc * 4]!;
  }

  /**
   * A method op (ACQUIRE, RELEASE, WAIT, START, APPEND, METHOD, ...) on `self`, at pc of code k.
   * `name` is the method name for METHOD. Argument rules and errors are the semantics core's
   * (src/semantics/signatures.ts, containers.ts), as in the simulator's method ops.
   */
  method(
    op: Op,
    self: Value,
    pos: Value[],
    kw: Map<string, Value> | null,
    k: number,
    pc: number,
    name = '',
  ): Value {
    const line = this.lineOf(k, pc);
    const attr = (m: string): never =>
      raise('AttributeError', `'${typeName(self)}' object has no attribute '${m}'`);
    const noKw = (m: string): void => {
      if (kw !== null && kw.size > 0) raise('TypeError', `${m}() takes no keyword arguments`);
    };
    switch (op) {
      case Op.ACQUIRE:
      case Op.ENTER_WITH: {
        const l = lockFor(self, 'acquire', op === Op.ENTER_WITH);
        this.releaseParked();
        const { blocking, timeout } =
          op === Op.ACQUIRE ? acquireArgs(l, pos, kw, true) : { blocking: true, timeout: -1 };
        return l instanceof HwSemaphore
          ? semAcquire(this, l, blocking, timeout, line)
          : lockAcquire(this, l as HwLock, blocking, timeout, line);
      }
      case Op.RELEASE:
      case Op.EXIT_WITH: {
        const l = lockFor(self, 'release', op === Op.EXIT_WITH);
        let n = 1;
        if (op === Op.RELEASE) {
          const [nv] = bindArgs(self, 'release', pos, kw);
          if (nv !== undefined) n = releaseCount(nv);
        }
        if (l instanceof HwSemaphore) semRelease(this, l, n);
        else lockRelease(this, l as HwLock);
        return null;
      }
      case Op.WAIT: {
        if (self instanceof HwCondition) {
          const t = waitTimeout(self, 'wait', pos, kw);
          this.releaseParked();
          return condWait(this, self, t, line);
        }
        if (self instanceof HwEvent) {
          const t = waitTimeout(self, 'wait', pos, kw);
          this.releaseParked();
          return eventWait(this, self, t, line);
        }
        return attr('wait');
      }
      case Op.NOTIFY:
      case Op.NOTIFY_ALL: {
        if (!(self instanceof HwCondition)) return attr(op === Op.NOTIFY ? 'notify' : 'notify_all');
        const [nv] = bindArgs(self, op === Op.NOTIFY ? 'notify' : 'notify_all', pos, kw);
        condNotify(this, self, op === Op.NOTIFY ? notifyCount(nv ?? 1, MAX_THREADS) : null);
        return null;
      }
      case Op.SET_EVENT:
        if (!(self instanceof HwEvent)) return attr('set');
        bindArgs(self, 'set', pos, kw);
        Atomics.store(this.M, self.addr + EVENT_FLAG, 1);
        Atomics.notify(this.M, self.addr + EVENT_FLAG);
        return null;
      case Op.CLEAR:
        if (self instanceof HwEvent) {
          bindArgs(self, 'clear', pos, kw);
          Atomics.store(this.M, self.addr + EVENT_FLAG, 0);
          return null;
        }
        return this.guarded(self, () => clearContainer(self));
      case Op.IS_SET:
        if (!(self instanceof HwEvent)) return attr('is_set');
        bindArgs(self, 'is_set', pos, kw);
        return Atomics.load(this.M, self.addr + EVENT_FLAG) !== 0;
      case Op.LOCKED: {
        const l = lockOf(self);
        if (!(l instanceof HwLock)) return attr('locked');
        bindArgs(self, 'locked', pos, kw);
        return Atomics.load(this.M, l.addr + LOCK_STATE) !== 0;
      }
      case Op.START:
        if (!(self instanceof HwThread)) return attr('start');
        bindArgs(self, 'start', pos, kw);
        this.start(self);
        return null;
      case Op.JOIN: {
        // `sep.join(items)` compiles to the JOIN op too.
        if (typeof self === 'string')
          return this.guarded(pos[0] ?? null, () => joinStrings(self, pos[0] ?? null));
        if (!(self instanceof HwThread)) return attr('join');
        const t = waitTimeout(self, 'join', pos, kw);
        this.releaseParked();
        this.join(self, t, line);
        return null;
      }
      case Op.IS_ALIVE: {
        if (!(self instanceof HwThread)) return attr('is_alive');
        bindArgs(self, 'is_alive', pos, kw);
        const s = Atomics.load(this.M, self.addr + T_STATE);
        return s === ThreadLife.Started || s === ThreadLife.Starting;
      }
      case Op.APPEND:
        noKw('append');
        return this.guarded(self, () => append(self, pos));
      case Op.POP_ITEM:
        noKw('pop');
        return this.guarded(self, () => pop(self, pos));
      default:
        noKw(name);
        return this.guarded(self, () =>
          callMethod(
            self,
            name,
            pos,
            (items) => this.newList(items),
            () => this.newDict(),
          ),
        );
    }
  }

  /** A method op from generated code: receiver, argument values and keyword names. */
  methodOp(
    op: Op,
    self: Value,
    values: Value[],
    kwnames: readonly Value[] | null,
    k: number,
    pc: number,
  ): Value {
    const a = this.args(values, kwnames);
    const code: CodeObject = this.program.codes[k]!;
    const name = op === Op.METHOD ? code.names[code.args[pc]! >> 8]! : '';
    return this.method(op, self, a.pos, a.kw, k, pc, name);
  }

  /** PRINT / SLEEP / RANDINT / CHOICE from generated code. */
  builtinOp(op: Op, values: Value[], kwnames: readonly Value[] | null): Value {
    const a = this.args(values, kwnames);
    switch (op) {
      case Op.PRINT:
        return print(a, this);
      case Op.SLEEP:
        return sleep(a, this);
      case Op.RANDINT:
        return randint(a, this);
      default:
        return choice(a, this);
    }
  }
}

/** A kwargs dict as a tuple of (key, value) pairs, in order: the form shared memory holds. */
function kwargPairs(d: PyDict): PyTuple {
  return new PyTuple([...d.map.values()].map(([k, x]) => new PyTuple([k, x])));
}
