/**
 * The deterministic VM. It knows nothing of schedulers; it offers what every strategy needs:
 *
 *   status(tid) / enabled()   which threads can take a step (and whether only as a timeout)
 *   run(tid, n, timeout)      n steps of one thread (one step = one visible op and the
 *                             invisible ops after it, up to the next visible op)
 *   footprint                 what a step read, wrote or synchronized on (for DPOR, races)
 *   tracer                    every visible op with its value (for --trace and reports)
 *
 * Getting back to an earlier step is deterministic re-execution: same program, same
 * schedule, same execution, byte for byte (no clock readings, no unseeded randomness, insertion-ordered maps).
 *
 * Semantics: docs/LANGUAGE.md. A step is atomic; a thread switch happens only before a visible op.
 * Ops marked `shared-operand` become visible at run time when they read a list or a dict.
 */
import { getHeapStatistics } from 'node:v8';
import { COMPARE_OPS, Op, OP_INFO, type CodeObject, type CompiledProgram } from '../compile/ops.js';
import { binary, checkListLength, compare, equals, strTooLong, unary } from '../semantics/arith.js';
import {
  READS_ARGUMENTS,
  VISIBLE_BUILTINS,
  asIndex,
  dictSet,
  getIterator,
  type Args,
  type BuiltinContext,
} from '../semantics/builtins.js';
import {
  append,
  callMethod,
  clearContainer,
  contains,
  deleteItem,
  getItem,
  inPlace,
  itemCellKey,
  iteratorIsShared,
  nextItem,
  pop,
  setItem,
} from '../semantics/containers.js';
import { EXC, PyRaise, makeException, raise } from '../semantics/exceptions.js';
import { exceptionLine, formatValue, repr } from '../semantics/format.js';
import { LostUpdateTracker } from './lost-updates.js';
import { RaceDetector } from './race-detector.js';
import { objectName } from './wait-for.js';
import { Readiness, canAcquire, doAcquire, doRelease, opArgs, ownsCondition, readiness } from './sync.js';
import {
  acquireArgs,
  bindArgs,
  lockFor,
  notifyCount,
  releaseCount,
  waitTimeout,
} from '../semantics/signatures.js';
import { bindArguments, excMatches, formatUncaught, loadAttr } from '../semantics/calls.js';
import { callNonFunction, type CallEngine } from '../semantics/call-rules.js';
import { choice, print, randint, sleep } from '../semantics/effects.js';
import { BUILTIN_VALUES, CodeRef, materialize } from '../semantics/program-values.js';
import { BOOTSTRAP_CODE_NAME, startTraceback, toException, traceEntry } from '../semantics/raise.js';
import { targetArguments } from '../semantics/threads.js';
import { Copier, StateHasher } from './state.js';
import { Frame, ThreadState } from './thread.js';
import {
  MAX_INT,
  MAX_STR_LENGTH,
  PyBoundMethod,
  PyDictIter,
  PyDictView,
  PyEnumerateIter,
  PySeqIter,
  PyBuiltin,
  PyCondition,
  PyDict,
  PyEvent,
  PyException,
  PyFunction,
  PyList,
  PyLock,
  PyShared,
  PyThread,
  PyTuple,
  isTruthy,
  touchesShared,
  typeName,
  type Value,
} from '../semantics/values.js';

export type ThreadStatus = 'enabled' | 'timeout' | 'blocked' | 'finished';

/** A saved machine state (see Machine.snapshot). */
export interface MachineSnapshot {
  globals: (Value | undefined)[];
  threads: ThreadState[];
  nextId: number;
  threadNameCounter: number;
  liveNonDaemon: number;
  halt: Halt | null;
  /**
   * What the run's report depends on beyond the state: counters and the analyses, each with
   * its own copy (so that a run restored here reports exactly what the straight run reports).
   */
  run: RunCounters;
}

/** The path-dependent part of a snapshot (steps, work done, the analyses' own state). */
interface RunCounters {
  steps: number;
  microOps: number;
  allocated: number;
  coldOps: number;
  lastTimedOut: boolean;
  globalDepth: Float64Array;
  itemDepth: Map<string, number>;
  lost: LostUpdateTracker | null;
  races: RaceDetector | null;
}

/** One access of a step: `obj` names a global (`g3`), a heap object (`o17`) or the output (`io`). */
export interface Access {
  obj: string;
  /** The item within the object (list index, dict key), or null for the whole object. */
  key: string | null;
  write: boolean;
}

/** A visible op as it ran: for --trace, lost-update windows, and the terminal UI. */
export interface TraceEvent {
  step: number;
  tid: number;
  /** The thread's name (`MainThread`, `Thread-1 (increment)`). */
  thread: string;
  code: CodeObject;
  pc: number;
  /** Value read or written, or the op's result; undefined when there is none. */
  value: Value | undefined;
  /** The cell a LOAD/STORE touched, as the user wrote it (`counter`, `d['a']`). */
  cell: string | null;
  /** Extra words (`timed out`, `waiting`, `blocked`). */
  note: string;
}

export type OutputSink = (stream: 'stdout' | 'stderr', text: string) => void;

export interface MachineOptions {
  /** Where the program's print() and tracebacks go; default: discarded. */
  output?: OutputSink;
  /** Picks an index in [0, n) for random.randint/choice at step `step`; default: always 0. */
  chooser?: (n: number, step: number) => number;
  /** Keep the lost-update analysis (default true). */
  lostUpdates?: boolean;
  /** Keep the happens-before data-race analysis (default true). */
  races?: boolean;
  /** Maximum call depth before RecursionError (default 1000, CPython's recursion limit). */
  maxDepth?: number;
  /**
   * Bound on the total work of the run, in micro-ops, where each element a list, tuple or
   * string operation creates also counts as one (default DEFAULT_MAX_OPS). Past it the run
   * stops with `halt` set: steps alone do not bound time, since one step may run a long local
   * loop or build a huge list.
   */
  maxOps?: number;
  /**
   * Loop iterations (backward jumps) a thread may make without a visible op before the run
   * stops (default maxOps / 20): a local spin loop is reported long before maxOps is spent.
   */
  spinLimit?: number;
}

/**
 * Default work bound (micro-ops): about 5-10 s of simulation, 14 times the full-size locked
 * counter of the lesson (70 million micro-ops).
 */
export const DEFAULT_MAX_OPS = 1_000_000_000;

/** Work charged per element of a large result: building one costs about as much as 4 micro-ops. */
const ELEMENT_COST = 4;

/** Heap checks happen when the cold-op count has these low bits clear (every 65,536 cold ops). */
const HEAP_CHECK_INTERVAL = 0xffff;
/** Fraction of V8's heap limit past which a run stops (see Machine.heapExhausted). */
const HEAP_FULL = 0.75;
/** ... and past 2 GB in any case: no thread lesson needs more, and V8 slows down near its limit. */
const HEAP_MAX = 2 ** 31;

/** Results at least this long are charged to the work bound by their length. */
const CHARGED_LENGTH = 256;

/** Why a run stopped early, beyond the scheduler's step bound. */
export interface Halt {
  /** What was exceeded, with the option that raises it. */
  reason: string;
  tid: number;
}

/** cold() result: the thread must stop before this op. */
const PAUSE = -1;

const BOOT_CACHE = new Map<number, CodeObject>();

/** A thread's bottom frame: call the target with the prepared arguments, then end (argc −1: just end). */
function bootstrapCode(argc: number): CodeObject {
  let code = BOOT_CACHE.get(argc);
  if (code === undefined) {
    const ops = argc < 0 ? [Op.END] : [Op.CALL, Op.POP, Op.END];
    code = {
      name: BOOTSTRAP_CODE_NAME,
      ops: Uint8Array.from(ops),
      args: Int32Array.from(ops.map((op) => (op === Op.CALL ? argc : 0))),
      spans: new Int32Array(4 * ops.length),
      labels: ops.map((op) => (op === Op.CALL ? 'target' : '')),
      consts: [],
      names: [],
      localNames: [],
      paramCount: 0,
      exceptionTable: [],
      maxStack: Math.max(argc, 0) + 2,
      depths: Int16Array.from(argc < 0 ? [0] : [argc + 1, 1, 0]),
      firstLine: 0,
    };
    BOOT_CACHE.set(argc, code);
  }
  return code;
}

const CONSTS = new WeakMap<CompiledProgram, Value[][]>();

export class Machine implements BuiltinContext {
  threads: ThreadState[] = [];
  /** Threads started and not finished, in thread-id order. */
  live: ThreadState[] = [];
  globals: (Value | undefined)[];
  /** Steps taken so far (visible ops executed). */
  steps = 0;
  /** Micro-ops executed so far (visible and invisible). */
  microOps = 0;
  halt: Halt | null = null;
  /** When non-null, each access of a step is appended (callers reset it between steps). */
  footprint: Access[] | null = null;
  tracer: ((e: TraceEvent) => void) | null = null;
  /** The analyses (null when off); a restore replaces them with the snapshot's copies. */
  lost: LostUpdateTracker | null;
  races: RaceDetector | null;
  output: OutputSink;
  chooser: (n: number, step: number) => number;
  /** Whether the last run() took a timeout transition. */
  lastTimedOut = false;
  /** Index of the step whose visible op is running (valid during choices). */
  currentStep = 0;

  private readonly consts: Value[][];
  private readonly builtinValues: readonly Value[];
  /** Per global: length of the chain of read-modify-writes behind its value (lost-update analysis). */
  private globalDepth: Float64Array;
  private itemDepth = new Map<string, number>();
  private timeoutPending = false;
  /** Set when a cold visible op has taken its step (see `gate` in cold()). */
  private gated = false;
  /** Set by a step that ends the current run early (see `yieldAfterStart`). */
  private yieldRequested = false;
  /**
   * End a run() right after a START step, so a scheduler can model CPython's Thread.start(),
   * which waits until the new thread has begun running.
   */
  yieldAfterStart = false;
  private readonly maxDepth: number;
  private readonly maxOps: number;
  private readonly spinLimit: number;
  /** Work charged beyond micro-ops: elements of large results (see CHARGED_LENGTH). */
  private allocated = 0;
  /** Cold ops run so far (paces the heap check). */
  private coldOps = 0;
  private nextId = 1;
  private threadNameCounter = 0;
  private liveNonDaemon = 0;
  private current!: ThreadState;

  constructor(
    readonly program: CompiledProgram,
    options: MachineOptions = {},
  ) {
    this.output = options.output ?? (() => {});
    this.chooser = options.chooser ?? (() => 0);
    this.lost = options.lostUpdates === false ? null : new LostUpdateTracker();
    this.races =
      options.races === false ? null : new RaceDetector(program.globalNames.length, program.globalNames);
    this.maxDepth = options.maxDepth ?? 1000;
    this.maxOps = options.maxOps ?? DEFAULT_MAX_OPS;
    this.spinLimit = options.spinLimit ?? Math.max(1, Math.floor(this.maxOps / 20));
    // Constants and builtins are immutable: every machine of a program shares them (explorers
    // create thousands of machines).
    let consts = CONSTS.get(program);
    if (consts === undefined) {
      consts = program.codes.map((c) => c.consts.map(materialize));
      CONSTS.set(program, consts);
    }
    this.consts = consts;
    this.builtinValues = BUILTIN_VALUES;
    this.globals = new Array<Value | undefined>(program.globalNames.length).fill(undefined);
    this.globalDepth = new Float64Array(program.globalNames.length);
    const mainObj = new PyThread(this.newId(), 'MainThread', null, new PyTuple([]), null, false);
    mainObj.tid = 0;
    mainObj.state = 'started';
    const main = new ThreadState(0, mainObj, this.lost === null ? 0 : program.globalNames.length);
    main.frames.push(new Frame(program.codes[0]!, this.consts[0]!, 0));
    this.threads.push(main);
    this.live.push(main);
    this.liveNonDaemon = 1;
    this.settle(main);
  }

  // ---------------------------------------------------------------- BuiltinContext

  newId(): number {
    return this.nextId++;
  }
  newList(items: Value[]): PyList {
    return new PyList(this.newId(), items);
  }
  newDict(): PyDict {
    return new PyDict(this.newId());
  }
  currentThread(): PyThread {
    return this.current.obj;
  }
  mainThread(): PyThread {
    return this.threads[0]!.obj;
  }
  activeCount(): number {
    return this.threads.filter((t) => !t.finished).length;
  }
  nextThreadName(target: Value): string {
    this.threadNameCounter++;
    const name =
      target instanceof PyFunction ? target.name : target instanceof PyBuiltin ? target.shortName : null;
    return name === null ? `Thread-${this.threadNameCounter}` : `Thread-${this.threadNameCounter} (${name})`;
  }

  // ---------------------------------------------------------------- scheduling interface

  /** Whether the program has ended: the main thread and every non-daemon thread finished. */
  get finished(): boolean {
    return this.liveNonDaemon === 0;
  }

  status(tid: number): ThreadStatus {
    const t = this.threads[tid];
    if (t === undefined || t.finished) return 'finished';
    const r = readiness(t, this.threads);
    return r === Readiness.Enabled ? 'enabled' : r === Readiness.Timeout ? 'timeout' : 'blocked';
  }

  /** Thread ids that can take a step (including those whose only step is a timeout), ascending. */
  enabled(): number[] {
    const out: number[] = [];
    if (this.finished || this.halt !== null) return out;
    for (const t of this.live) if (readiness(t, this.threads) !== Readiness.Blocked) out.push(t.tid);
    return out;
  }

  /** Whether thread `tid` can take a step now (possibly only its timeout). */
  isEnabled(tid: number): boolean {
    const t = this.threads[tid];
    return t !== undefined && !t.finished && readiness(t, this.threads) !== Readiness.Blocked;
  }

  /** The op a live thread will run at its next step. */
  nextOp(tid: number): { code: CodeObject; pc: number; op: Op } | null {
    const t = this.threads[tid];
    if (t === undefined || t.finished) return null;
    const f = t.frame;
    return { code: f.code, pc: f.pc, op: f.code.ops[f.pc] as Op };
  }

  /**
   * A copy of the machine's state (state.ts) and of everything its report depends on (step and
   * micro-op counts, the lost-update and race analyses); `restore` puts it back, leaving the
   * snapshot intact so that it can be restored again. Printed output is not part of it: it has
   * gone to the output sink (a session keeps its own record of it).
   */
  snapshot(): MachineSnapshot {
    const c = new Copier();
    return {
      globals: this.globals.map((v) => c.value(v)),
      threads: this.threads.map((t) => c.thread(t, new ThreadState(t.tid, c.value(t.obj), 0))),
      nextId: this.nextId,
      threadNameCounter: this.threadNameCounter,
      liveNonDaemon: this.liveNonDaemon,
      halt: this.halt,
      run: this.copyCounters(this.counters()),
    };
  }

  private counters(): RunCounters {
    return {
      steps: this.steps,
      microOps: this.microOps,
      allocated: this.allocated,
      coldOps: this.coldOps,
      lastTimedOut: this.lastTimedOut,
      globalDepth: this.globalDepth,
      itemDepth: this.itemDepth,
      lost: this.lost,
      races: this.races,
    };
  }

  private copyCounters(r: RunCounters): RunCounters {
    return {
      ...r,
      globalDepth: r.lost === null ? r.globalDepth : r.globalDepth.slice(),
      itemDepth: r.itemDepth.size === 0 ? new Map() : new Map(r.itemDepth),
      lost: r.lost?.copy() ?? null,
      races: r.races?.copy() ?? null,
    };
  }

  /**
   * The current state as a snapshot, without copying: the machine gives it up and must be
   * restored before it runs again. (The stateful search keeps each new state this way.)
   */
  detach(): MachineSnapshot {
    return {
      globals: this.globals,
      threads: this.threads,
      nextId: this.nextId,
      threadNameCounter: this.threadNameCounter,
      liveNonDaemon: this.liveNonDaemon,
      halt: this.halt,
      run: this.counters(),
    };
  }

  restore(s: MachineSnapshot): void {
    const c = new Copier();
    this.globals = s.globals.map((v) => c.value(v));
    this.threads = s.threads.map((t) => c.thread(t, new ThreadState(t.tid, c.value(t.obj), 0)));
    this.live = this.threads.filter((t) => !t.finished);
    this.nextId = s.nextId;
    this.threadNameCounter = s.threadNameCounter;
    this.liveNonDaemon = s.liveNonDaemon;
    this.halt = s.halt;
    const r = this.copyCounters(s.run);
    this.steps = r.steps;
    this.microOps = r.microOps;
    this.allocated = r.allocated;
    this.coldOps = r.coldOps;
    this.lastTimedOut = r.lastTimedOut;
    this.globalDepth = r.globalDepth;
    this.itemDepth = r.itemDepth;
    this.lost = r.lost;
    this.races = r.races;
  }

  /** A canonical 64-bit hash of the state (state.ts), as two unsigned 32-bit halves. */
  stateHash(): [number, number] {
    const h = new StateHasher();
    for (const v of this.globals) h.value(v);
    h.word(this.threadNameCounter);
    h.word(this.threads.length);
    for (const t of this.threads) h.thread(t);
    return h.digest();
  }

  /** Final value of every bound global, by name (definitions included). */
  finalGlobals(): Map<string, Value> {
    const out = new Map<string, Value>();
    this.program.globalNames.forEach((name, i) => {
      const v = this.globals[i];
      if (v !== undefined) out.set(name, v);
    });
    return out;
  }

  // ---------------------------------------------------------------- running

  /** Run invisible ops of a fresh thread up to its first visible op. */
  private settle(t: ThreadState): void {
    this.run(t.tid, 0);
  }

  /**
   * Run up to `budget` steps of thread `tid`; returns the number taken. It stops early when the
   * thread blocks or ends. With `timeout`, the first step must be the thread's timeout
   * transition (its status is 'timeout'), and 0 is returned otherwise.
   *
   * The loop handles the hot ops inline (locals, globals, int arithmetic, jumps, range loops,
   * calls of user functions); everything else goes through `cold()`, which keeps this function
   * small enough for V8 to optimize well.
   */
  run(tid: number, budget: number, timeout = false): number {
    const t = this.threads[tid]!;
    this.lastTimedOut = false;
    this.yieldRequested = false;
    if (t.finished) return 0;
    if (timeout && readiness(t, this.threads) !== Readiness.Timeout) return 0;
    this.current = t;
    this.timeoutPending = timeout;
    const globals = this.globals;
    const lost = this.lost !== null;
    const depth = this.globalDepth;
    const loadDepth = t.loadDepth;
    const loadStep = t.loadStep;
    const loadEpoch = t.loadEpoch;
    const slow = this.tracer !== null || this.footprint !== null;
    const spinLimit = this.spinLimit;
    const races = this.races;
    const raceTracked = races?.tracked;
    let frame = t.frame;
    let code = frame.code;
    let ops = code.ops;
    let args = code.args;
    let consts = frame.consts;
    let stack = frame.stack;
    let locals = frame.locals;
    let pc = frame.pc;
    let sp = frame.sp;
    let taken = 0;
    let n = 0;
    let spin = spinLimit;
    // Micro-ops this call may still run before the work bound (re-read after cold ops charge work).
    let opRoom = this.maxOps - this.microOps - this.allocated;
    const base = this.steps;

    outer: for (;;) {
      try {
        for (;;) {
          n++;
          switch (ops[pc]) {
            case Op.CONST:
              stack[sp++] = consts[args[pc]!]!;
              pc++;
              continue;
            case Op.LOAD_LOCAL: {
              const v = locals[args[pc]!];
              if (v === undefined) break;
              stack[sp++] = v;
              pc++;
              continue;
            }
            case Op.STORE_LOCAL:
              locals[args[pc]!] = stack[--sp]!;
              pc++;
              continue;
            case Op.LOAD_GLOBAL: {
              const g = args[pc]!;
              const v = globals[g];
              if (v === undefined || slow) break;
              if (taken === budget) {
                n--; // paused before it: it runs in a later step
                break outer;
              }
              taken++;
              spin = spinLimit;
              if (lost) {
                loadDepth[g] = depth[g]!;
                loadStep[g] = base + taken - 1;
                loadEpoch[g] = t.epoch;
              }
              if (races !== null && raceTracked![g] === 1) races.readGlobal(t.tid, g, frame.codeIndex, pc);
              stack[sp++] = v;
              pc++;
              continue;
            }
            case Op.STORE_GLOBAL: {
              if (slow) break;
              if (taken === budget) {
                n--; // paused before it: it runs in a later step
                break outer;
              }
              taken++;
              spin = spinLimit;
              const g = args[pc]!;
              if (lost) {
                const loaded = loadDepth[g]!;
                if (loaded >= 0 && loadEpoch[g] === t.epoch) {
                  const now = depth[g]!;
                  const rebind = sameObject(globals[g], stack[sp - 1]);
                  if (now !== loaded && !rebind)
                    this.globalLost(t, g, loaded, now, base + taken - 1, code, pc);
                  depth[g] = rebind ? now : loaded + 1;
                  loadDepth[g] = -1;
                } else depth[g]!++; // a plain write continues the chain: a stale store after it loses it
              }
              if (races !== null && raceTracked![g] === 1) races.writeGlobal(t.tid, g, frame.codeIndex, pc);
              globals[g] = stack[--sp]!;
              pc++;
              continue;
            }
            case Op.LOAD_DEF: {
              const v = globals[args[pc]!];
              if (v === undefined) break;
              stack[sp++] = v;
              pc++;
              continue;
            }
            case Op.STORE_DEF:
              globals[args[pc]!] = stack[--sp]!;
              pc++;
              continue;
            case Op.BUILTIN:
              stack[sp++] = this.builtinValues[args[pc]!]!;
              pc++;
              continue;
            case Op.ADD: {
              const b = stack[sp - 1];
              const a = stack[sp - 2];
              if (typeof a !== 'number' || typeof b !== 'number') break;
              const r = a + b;
              if (r >= MAX_INT || r <= -MAX_INT) break;
              stack[sp - 2] = r;
              sp--;
              pc++;
              continue;
            }
            case Op.SUB: {
              const b = stack[sp - 1];
              const a = stack[sp - 2];
              if (typeof a !== 'number' || typeof b !== 'number') break;
              const r = a - b;
              if (r >= MAX_INT || r <= -MAX_INT) break;
              stack[sp - 2] = r;
              sp--;
              pc++;
              continue;
            }
            case Op.COMPARE: {
              const b = stack[sp - 1];
              const a = stack[sp - 2];
              if (typeof a !== 'number' || typeof b !== 'number') break;
              const which = args[pc]!;
              stack[sp - 2] =
                which === 0
                  ? a < b
                  : which === 1
                    ? a <= b
                    : which === 2
                      ? a > b
                      : which === 3
                        ? a >= b
                        : which === 4
                          ? a === b
                          : a !== b;
              sp--;
              pc++;
              continue;
            }
            case Op.JUMP: {
              const target = args[pc]!;
              if (target <= pc) {
                t.epoch++;
                // Every loop iteration passes a backward jump: the one place to check the bounds.
                if (--spin === 0 || n > opRoom) {
                  this.halt = this.boundHalt(t, spin === 0);
                  break outer;
                }
              }
              pc = target;
              continue;
            }
            case Op.POP_JUMP_IF_FALSE: {
              const v = stack[sp - 1];
              if (typeof v !== 'boolean') break;
              sp--;
              pc = v ? pc + 1 : args[pc]!;
              continue;
            }
            case Op.POP_JUMP_IF_TRUE: {
              const v = stack[sp - 1];
              if (typeof v !== 'boolean') break;
              sp--;
              pc = v ? args[pc]! : pc + 1;
              continue;
            }
            case Op.FOR_RANGE: {
              const cur = stack[sp - 3] as number;
              const step = stack[sp - 1] as number;
              if (step > 0 ? cur < (stack[sp - 2] as number) : cur > (stack[sp - 2] as number)) {
                stack[sp - 3] = cur + step;
                stack[sp++] = cur;
                pc++;
              } else {
                sp -= 3;
                pc = args[pc]!;
              }
              continue;
            }
            case Op.POP:
              sp--;
              pc++;
              continue;
            case Op.DUP:
              stack[sp] = stack[sp - 1]!;
              sp++;
              pc++;
              continue;
            case Op.CALL: {
              const argc = args[pc]!;
              const callee = stack[sp - argc - 1];
              if (
                !(callee instanceof PyFunction) ||
                frame.kwnames !== null ||
                argc !== callee.code.paramCount
              )
                break;
              if (t.frames.length >= this.maxDepth) break;
              // A user function called with exactly its positional parameters: push a frame.
              const f = new Frame(callee.code, this.consts[callee.codeIndex]!, callee.codeIndex);
              for (let i = 0; i < argc; i++) f.locals[i] = stack[sp - argc + i]!;
              sp -= argc + 1;
              frame.pc = pc + 1;
              frame.sp = sp;
              f.handledBase = t.handled.length;
              t.frames.push(f);
              frame = f;
              code = f.code;
              ops = code.ops;
              args = code.args;
              consts = f.consts;
              stack = f.stack;
              locals = f.locals;
              pc = 0;
              sp = 0;
              continue;
            }
            case Op.RETURN: {
              const v = stack[sp - 1]!;
              t.frames.pop();
              t.handled.length = frame.handledBase;
              frame = t.frames[t.frames.length - 1]!;
              code = frame.code;
              ops = code.ops;
              args = code.args;
              consts = frame.consts;
              stack = frame.stack;
              locals = frame.locals;
              pc = frame.pc;
              sp = frame.sp;
              stack[sp++] = v;
              continue;
            }
            default:
              break;
          }
          // Everything else, and the uncommon cases of the ops above.
          frame.pc = pc;
          frame.sp = sp;
          this.gated = false;
          const coldOp = ops[pc];
          const coldArg = args[pc];
          const r = this.cold(t, frame, budget - taken, base + taken);
          if (r === PAUSE) {
            n--;
            break outer;
          }

          if (r === 1) {
            taken++;
            spin = spinLimit;
          }
          frame = t.frames[t.frames.length - 1]!;
          code = frame.code;
          ops = code.ops;
          args = code.args;
          consts = frame.consts;
          stack = frame.stack;
          locals = frame.locals;
          pc = frame.pc;
          sp = frame.sp;
          if (t.finished || this.yieldRequested) break outer;
          // Ops that may build a large value: charge it (the frame locals are reloaded above).
          // (Not an in-place `+=`: it returns the list it extended, already charged.)
          if (
            ((coldOp === Op.ADD || coldOp === Op.MUL) && coldArg === 0) || coldOp === Op.CALL
              ? this.chargeResult(t, frame)
              : (++this.coldOps & HEAP_CHECK_INTERVAL) === 0 && this.heapExhausted(t)
          )
            break outer;
          opRoom = this.maxOps - this.microOps - this.allocated;
        }
      } catch (err) {
        if (!(err instanceof PyRaise)) throw err;
        if (this.gated) {
          // The visible op that raised was this step.
          this.gated = false;
          taken++;
          spin = spinLimit;
        }
        frame.pc = pc;
        frame.sp = sp;
        this.unwind(t, err.exc);
        frame = t.frames[t.frames.length - 1]!;
        code = frame.code;
        ops = code.ops;
        args = code.args;
        consts = frame.consts;
        stack = frame.stack;
        locals = frame.locals;
        pc = frame.pc;
        sp = frame.sp;
      }
    }
    frame.pc = pc;
    frame.sp = sp;
    this.steps = base + taken;
    this.microOps += n;
    return taken;
  }

  /** The halt for a thread past the spin limit (`spun`) or past the work bound. */
  private boundHalt(t: ThreadState, spun: boolean): Halt {
    const reason = spun
      ? `${t.name} ran ${this.spinLimit.toLocaleString('en-US')} loop iterations without a visible operation`
      : `work bound of ${this.maxOps.toLocaleString('en-US')} micro-ops reached`;
    return { reason: `${reason} (raise it with --max-ops)`, tid: t.tid };
  }

  /**
   * Charge a large result the cold op just pushed (a list, tuple or string of at least
   * CHARGED_LENGTH elements) to the work bound, so that a loop building big values stops in
   * bounded time. Returns true, with `halt` set, once the bound is exceeded.
   */
  private chargeResult(t: ThreadState, frame: Frame): boolean {
    if (frame.sp === 0) return false;
    const top = frame.stack[frame.sp - 1];
    let length = 0;
    if (typeof top === 'string') length = top.length;
    else if (top instanceof PyList || top instanceof PyTuple) length = top.items.length;
    if (length < CHARGED_LENGTH) return false;
    this.allocated += length * ELEMENT_COST;
    if (this.microOps + this.allocated <= this.maxOps) return false;
    this.halt = this.boundHalt(t, false);
    return true;
  }

  /**
   * Whether the V8 heap is nearly full, checked every HEAP_CHECK_INTERVAL + 1 cold ops; if so
   * `halt` is set. The one bound that is not deterministic (it depends on the garbage
   * collector), and a safety net only: a program holding millions of objects (a comprehension
   * of dicts, say) stops with a report instead of crashing Node.js with "heap out of memory".
   */
  private heapExhausted(t: ThreadState): boolean {
    const heap = getHeapStatistics();
    if (heap.used_heap_size < Math.min(HEAP_FULL * heap.heap_size_limit, HEAP_MAX)) return false;
    const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;
    this.halt = {
      reason: `memory bound reached: the program's objects fill ${mb(heap.used_heap_size)} of the ${mb(heap.heap_size_limit)} heap`,
      tid: t.tid,
    };
    return true;
  }

  /** Lost-update bookkeeping of a STORE to global `g` whose thread loaded it at depth `loaded`. */
  private globalLost(
    t: ThreadState,
    g: number,
    loaded: number,
    now: number,
    step: number,
    code: CodeObject,
    pc: number,
  ): void {
    const loadStep = t.loadStep[g]!;
    this.lost!.record(now - loaded, () => ({
      cell: this.program.globalNames[g]!,
      thread: t.tid,
      loadStep,
      storeStep: step,
      code,
      pc,
    }));
  }

  /**
   * Propagate a raised exception from the thread's current frame (pc at the raising op) to the
   * innermost handler, adding traceback lines on the way out; uncaught, it sends the thread
   * to its END step.
   */
  private unwind(t: ThreadState, exc: PyException): void {
    let frame = t.frame;
    if (this.reraising) this.reraising = false;
    else startTraceback(exc, this.tracebackStarted, traceEntry(this.program.file, frame.code, frame.pc));
    frame.kwnames = null;
    for (;;) {
      const pc = frame.pc;
      const entry = frame.code.exceptionTable.find((e) => e.start <= pc && pc < e.end);
      if (entry !== undefined) {
        frame.sp = entry.depth;
        frame.stack[frame.sp++] = exc;
        frame.pc = entry.handler;
        return;
      }
      if (t.frames.length === 1) {
        // Uncaught: the thread goes to its END step.
        t.uncaught = exc;
        t.handled.length = 0;
        frame.sp = 0;
        frame.pc = frame.code.ops.length - 1;
        return;
      }
      t.frames.pop();
      t.handled.length = frame.handledBase;
      frame = t.frame;
      frame.pc -= 1; // back to the CALL that is unwinding
      frame.kwnames = null;
      const line = traceEntry(this.program.file, frame.code, frame.pc);
      if (line !== null) exc.traceback.unshift(line);
    }
  }

  /**
   * One op that `run` does not handle inline. Returns 1 if it took a step, 0 if it was
   * invisible, PAUSE if the thread must stop before it (out of budget, or blocked). On
   * return the frame (or a new top frame) holds the updated pc and sp.
   */
  private cold(t: ThreadState, frame: Frame, remaining: number, step: number): number {
    const code = frame.code;
    const pc = frame.pc;
    const op = code.ops[pc] as Op;
    const arg = code.args[pc]!;
    const stack = frame.stack;
    const sp = frame.sp;
    /** A visible op (static, or dynamic because it reads a list or dict): take the step, or pause. */
    const gate = (): boolean => {
      if (remaining <= 0) return false;
      // The step counts even if the op raises: `run` reads this flag when it catches the exception.
      this.gated = true;
      return true;
    };
    this.currentStep = step;
    switch (op) {
      case Op.NOP:
        frame.pc++;
        return 0;
      case Op.LOAD_LOCAL:
        return raise(
          'UnboundLocalError',
          `cannot access local variable '${code.localNames[arg]}' where it is not associated with a value`,
        );
      case Op.CLEAR_LOCAL:
        frame.locals[arg] = undefined;
        frame.pc++;
        return 0;
      case Op.CLEAR_GLOBAL:
        this.globals[arg] = undefined;
        frame.pc++;
        return 0;
      case Op.LOAD_DEF:
        return raise('NameError', `name '${this.program.globalNames[arg]}' is not defined`);
      case Op.LOAD_GLOBAL: {
        if (!gate()) return PAUSE;
        const v = this.globals[arg];
        if (v === undefined) {
          // Raising on a name not bound yet still read it (another thread may bind it first).
          this.footprint?.push({ obj: `g${arg}`, key: null, write: false });
          raise('NameError', `name '${this.program.globalNames[arg]}' is not defined`);
        }
        if (this.lost !== null) {
          t.loadDepth[arg] = this.globalDepth[arg]!;
          t.loadStep[arg] = step;
          t.loadEpoch[arg] = t.epoch;
        }
        if (this.races?.tracked[arg] === 1) this.races.readGlobal(t.tid, arg, frame.codeIndex, pc);
        stack[frame.sp++] = v;
        this.visible(step, t, code, pc, v, this.program.globalNames[arg]!, `g${arg}`, null, false);
        frame.pc++;
        return 1;
      }
      case Op.STORE_GLOBAL: {
        if (!gate()) return PAUSE;
        const v = stack[--frame.sp]!;
        if (this.lost !== null) {
          const loaded = t.loadDepth[arg]!;
          if (loaded >= 0 && t.loadEpoch[arg] === t.epoch) {
            const now = this.globalDepth[arg]!;
            const rebind = sameObject(this.globals[arg], v);
            if (now !== loaded && !rebind) this.globalLost(t, arg, loaded, now, step, code, pc);
            this.globalDepth[arg] = rebind ? now : loaded + 1;
            t.loadDepth[arg] = -1;
          } else this.globalDepth[arg]!++;
        }
        if (this.races?.tracked[arg] === 1) this.races.writeGlobal(t.tid, arg, frame.codeIndex, pc);
        this.globals[arg] = v;
        this.visible(step, t, code, pc, v, this.program.globalNames[arg]!, `g${arg}`, null, true);
        frame.pc++;
        return 1;
      }
      case Op.ADD:
      case Op.SUB:
      case Op.MUL:
      case Op.TRUEDIV:
      case Op.FLOORDIV:
      case Op.MOD: {
        const b = stack[sp - 1]!;
        const a = stack[sp - 2]!;
        const shared = touchesShared(a) || touchesShared(b);
        if (shared && !gate()) return PAUSE;
        if (shared) this.readShared(step, t, code, pc, [a, b]);
        if (arg === 1 && a instanceof PyList && inPlace(op, a, b)) {
          // `list += x` / `list *= n` change the list itself (as list.extend): a write of it.
          this.containerAccess(a, true);
          this.footprint?.push({ obj: `o${a.id}`, key: null, write: true });
        } else stack[sp - 2] = binary(op, a, b, (items) => this.newList(items), arg === 1);
        frame.sp--;
        frame.pc++;
        return shared ? 1 : 0;
      }
      case Op.NEG:
      case Op.POS:
        stack[sp - 1] = unary(op, stack[sp - 1]!);
        frame.pc++;
        return 0;
      case Op.NOT:
      case Op.POP_JUMP_IF_FALSE:
      case Op.POP_JUMP_IF_TRUE:
      case Op.JUMP_IF_FALSE_OR_POP:
      case Op.JUMP_IF_TRUE_OR_POP: {
        const v = stack[sp - 1]!;
        const shared = touchesShared(v);
        if (shared && !gate()) return PAUSE;
        if (shared) this.readShared(step, t, code, pc, [v]);
        const truth = isTruthy(v);
        if (op === Op.NOT) {
          stack[sp - 1] = !truth;
          frame.pc++;
        } else if (op === Op.POP_JUMP_IF_FALSE || op === Op.POP_JUMP_IF_TRUE) {
          frame.sp--;
          frame.pc = truth === (op === Op.POP_JUMP_IF_TRUE) ? arg : pc + 1;
        } else if (truth === (op === Op.JUMP_IF_TRUE_OR_POP)) frame.pc = arg;
        else {
          frame.sp--;
          frame.pc++;
        }
        return shared ? 1 : 0;
      }
      case Op.COMPARE:
      case Op.CONTAINS: {
        const b = stack[sp - 1]!;
        const a = stack[sp - 2]!;
        const shared = touchesShared(a) || touchesShared(b);
        if (shared && !gate()) return PAUSE;
        if (shared) this.readShared(step, t, code, pc, [a, b]);
        if (op === Op.COMPARE) stack[sp - 2] = compare(COMPARE_OPS[arg]!, a, b);
        else {
          const r = contains(b, a);
          stack[sp - 2] = arg === 0 ? r : !r;
        }
        frame.sp--;
        frame.pc++;
        return shared ? 1 : 0;
      }
      case Op.IS: {
        const b = stack[sp - 1]!;
        const a = stack[sp - 2]!;
        const same = a === b;
        stack[sp - 2] = arg === 0 ? same : !same;
        frame.sp--;
        frame.pc++;
        return 0;
      }
      case Op.DUP2:
        stack[sp] = stack[sp - 2]!;
        stack[sp + 1] = stack[sp - 1]!;
        frame.sp += 2;
        frame.pc++;
        return 0;
      case Op.ROT2: {
        const top = stack[sp - 1]!;
        stack[sp - 1] = stack[sp - 2]!;
        stack[sp - 2] = top;
        frame.pc++;
        return 0;
      }
      case Op.ROT3: {
        const top = stack[sp - 1]!;
        stack[sp - 1] = stack[sp - 2]!;
        stack[sp - 2] = stack[sp - 3]!;
        stack[sp - 3] = top;
        frame.pc++;
        return 0;
      }
      case Op.BUILD_TUPLE:
      case Op.BUILD_LIST: {
        const items = stack.slice(sp - arg, sp);
        frame.sp -= arg;
        stack[frame.sp++] = op === Op.BUILD_TUPLE ? new PyTuple(items) : this.newList(items);
        frame.pc++;
        return 0;
      }
      case Op.BUILD_DICT: {
        const d = this.newDict();
        for (let i = sp - 2 * arg; i < sp; i += 2) dictSet(d, stack[i]!, stack[i + 1]!);
        frame.sp -= 2 * arg;
        stack[frame.sp++] = d;
        frame.pc++;
        return 0;
      }
      case Op.UNPACK: {
        const v = stack[sp - 1]!;
        const shared = touchesShared(v);
        if (shared && !gate()) return PAUSE;
        if (shared) this.readShared(step, t, code, pc, [v]);
        const items = v instanceof PyTuple || v instanceof PyList ? v.items : this.iterateValue(v);
        if (items.length !== arg) {
          if (items.length > arg) raise('ValueError', `too many values to unpack (expected ${arg})`);
          raise('ValueError', `not enough values to unpack (expected ${arg}, got ${items.length})`);
        }
        frame.sp--;
        for (let i = arg - 1; i >= 0; i--) stack[frame.sp++] = items[i]!;
        frame.pc++;
        return shared ? 1 : 0;
      }
      case Op.FORMAT:
      case Op.CONVERT_REPR: {
        const v = stack[sp - 1]!;
        const shared = touchesShared(v);
        if (shared && !gate()) return PAUSE;
        if (shared) this.readShared(step, t, code, pc, [v]);
        stack[sp - 1] = op === Op.FORMAT ? formatValue(v, frame.consts[arg] as string) : repr(v);
        frame.pc++;
        return shared ? 1 : 0;
      }
      case Op.BUILD_STRING: {
        let s = '';
        for (let i = sp - arg; i < sp; i++) {
          s += stack[i] as string;
          if (s.length > MAX_STR_LENGTH) strTooLong('f-string');
        }
        frame.sp -= arg;
        stack[frame.sp++] = s;
        frame.pc++;
        return 0;
      }
      case Op.GET_ITER: {
        const v = stack[sp - 1]!;
        // Iterating a dict snapshots its keys: a read of the whole dict.
        const shared = v instanceof PyDict || v instanceof PyDictView;
        if (shared && !gate()) return PAUSE;
        if (shared) this.readShared(step, t, code, pc, [v]);
        stack[sp - 1] = getIterator(v);
        frame.pc++;
        return shared ? 1 : 0;
      }
      case Op.FOR_ITER: {
        const it = stack[sp - 1]!;
        const shared = iteratorIsShared(it);
        if (shared && !gate()) return PAUSE;
        if (shared) this.readIterator(step, t, code, pc, it);
        const v = nextItem(it);
        if (v === undefined) {
          frame.sp--;
          frame.pc = arg;
        } else {
          stack[frame.sp++] = v;
          frame.pc++;
        }
        return shared ? 1 : 0;
      }
      case Op.SETUP_RANGE: {
        for (let i = sp - 3; i < sp; i++) stack[i] = asIndex(stack[i]!);
        if (stack[sp - 1] === 0) raise('ValueError', 'range() arg 3 must not be zero');
        frame.pc++;
        return 0;
      }
      case Op.LIST_APPEND: {
        const v = stack[--frame.sp]!;
        const items = (stack[frame.sp - arg] as PyList).items;
        checkListLength(items.length + 1);
        items.push(v);
        frame.pc++;
        return 0;
      }
      case Op.KW_NAMES:
        frame.kwnames = (frame.consts[arg] as PyTuple).items as string[];
        frame.pc++;
        return 0;
      case Op.CALL: {
        const callee = stack[sp - arg - 1]!;
        const visible = this.callIsVisible(callee, stack, sp, arg);
        if (visible && !gate()) return PAUSE;
        if (callee instanceof PyBoundMethod && this.footprint !== null)
          this.boundMethodFootprint(callee.self);
        const pushed = this.callSlow(t, frame, callee, arg);
        frame.sp -= arg + 1;
        frame.pc++;
        if (pushed !== null) {
          t.frames.push(pushed);
          return 0;
        }
        stack[frame.sp++] = this.result;
        if (visible) this.visible(step, t, code, pc, this.result, null, null, null, false);
        return visible ? 1 : 0;
      }
      case Op.MAKE_FUNCTION: {
        const ref = stack[sp - 1] as unknown as CodeRef;
        const defaults = stack.slice(sp - 1 - arg, sp - 1);
        frame.sp -= arg + 1;
        const fnCode = this.program.codes[ref.index]!;
        stack[frame.sp++] = new PyFunction(fnCode.name, fnCode, ref.index, defaults);
        frame.pc++;
        return 0;
      }
      case Op.LOAD_ATTR:
        stack[sp - 1] = loadAttr(stack[sp - 1]!, code.names[arg]!, this.builtinValues);
        frame.pc++;
        return 0;
      case Op.RAISE: {
        if (arg === 0) {
          const exc = t.handled[t.handled.length - 1];
          if (exc === undefined) raise('RuntimeError', 'No active exception to reraise');
          throw new PyRaise(exc);
        }
        const v = stack[--frame.sp]!;
        throw new PyRaise(this.toException(v, true));
      }
      case Op.RERAISE: {
        const exc = stack[--frame.sp] as PyException;
        this.reraising = true;
        throw new PyRaise(exc);
      }
      case Op.CHECK_EXC_MATCH:
        stack[sp - 1] = excMatches(stack[sp - 2] as PyException, stack[sp - 1]!);
        frame.pc++;
        return 0;
      case Op.PUSH_EXC_INFO:
        t.handled.push(stack[sp - 1] as PyException);
        frame.pc++;
        return 0;
      case Op.POP_EXCEPT:
        t.handled.pop();
        frame.pc++;
        return 0;
      case Op.ASSERT_FAIL:
        throw new PyRaise(
          arg === 1
            ? new PyException(EXC.AssertionError!, [stack[--frame.sp]!])
            : makeException('AssertionError'),
        );
      case Op.ACQUIRE:
      case Op.ENTER_WITH:
      case Op.WAIT:
      case Op.JOIN: {
        const r = readiness(t, this.threads);
        let timedOut = false;
        if (r !== Readiness.Enabled) {
          if (!(this.timeoutPending && r === Readiness.Timeout && step === this.steps)) return PAUSE;
          timedOut = true;
        }
        if (!gate()) return PAUSE;
        this.timeoutPending = false;
        if (timedOut) this.lastTimedOut = true;
        const done = this.blockingOp(t, frame, op, timedOut);
        this.visible(
          step,
          t,
          code,
          pc,
          this.result,
          null,
          null,
          null,
          false,
          timedOut ? 'timed out' : done ? '' : 'waiting',
        );
        if (done) frame.pc++;
        return 1;
      }
      case Op.END:
        if (!gate()) return PAUSE;
        this.endThread(t);
        this.races?.sync(t.tid, `o${t.obj.id}`);
        this.visible(
          step,
          t,
          code,
          pc,
          undefined,
          null,
          `o${t.obj.id}`,
          null,
          true,
          t.uncaught === null ? 'thread ends' : `dies: ${exceptionLine(t.uncaught)}`,
        );
        return 1;
      default: {
        if (OP_INFO[op]?.visibility !== 'always')
          throw new Error(`internal error: unknown op ${op} at ${code.name}:${pc}`);
        if (!gate()) return PAUSE;
        this.visibleOp(t, frame, op, arg, step);
        frame.pc++;
        return 1;
      }
    }
  }

  /** Result of the last slow-path call or op. */
  private result: Value = null;
  private reraising = false;
  private readonly tracebackStarted = new WeakSet<PyException>();

  /** `raise v`: an exception instance, or a class to instantiate. */
  private toException(v: Value, fresh: boolean): PyException {
    return toException(v, fresh ? this.tracebackStarted : null);
  }

  // ---------------------------------------------------------------- visible-op helpers

  /** Record a visible op for the tracer and the footprint. */
  private visible(
    step: number,
    t: ThreadState,
    code: CodeObject,
    pc: number,
    value: Value | undefined,
    cell: string | null,
    obj: string | null,
    key: string | null,
    write: boolean,
    note = '',
  ): void {
    if (this.footprint !== null && obj !== null) this.footprint.push({ obj, key, write });
    if (this.tracer !== null) this.tracer({ step, tid: t.tid, thread: t.name, code, pc, value, cell, note });
  }

  /** A dynamic visible op read these values' shared contents. */
  private readShared(step: number, t: ThreadState, code: CodeObject, pc: number, values: Value[]): void {
    if (this.footprint === null && this.tracer === null && this.races === null) return;
    for (const v of values) this.noteReads(v);
    if (this.tracer !== null)
      this.tracer({
        step,
        tid: t.tid,
        thread: t.name,
        code,
        pc,
        value: undefined,
        cell: null,
        note: 'reads shared',
      });
  }

  /** A read of the whole of `v`'s shared containers (length, iteration, printing, ...). */
  private noteReads(v: Value): void {
    // A dict view (`d.keys()`) reads its dict.
    if (v instanceof PyDictView) v = v.dict;
    if (v instanceof PyList || v instanceof PyDict) {
      if (this.footprint !== null) this.deepFootprint(v, new Set());
      this.containerAccess(v, false);
    } else if (v instanceof PyTuple) for (const x of v.items) this.noteReads(x);
  }

  /**
   * The footprint of reading all of `v`: printing, comparing or converting a list reads the
   * lists and dicts inside it too (each once, cycles included).
   */
  private deepFootprint(v: Value, seen: Set<Value>): void {
    if (seen.has(v)) return;
    seen.add(v);
    if (v instanceof PyList || v instanceof PyDict)
      this.footprint!.push({ obj: `o${v.id}`, key: null, write: false });
    const inner =
      v instanceof PyList || v instanceof PyTuple
        ? v.items
        : v instanceof PyDict
          ? [...v.map.values()].flat()
          : [];
    for (const x of inner)
      if (x instanceof PyList || x instanceof PyDict || x instanceof PyTuple) this.deepFootprint(x, seen);
  }

  /** Race bookkeeping of an access to a whole list or dict (its length and layout). */
  private containerAccess(v: PyList | PyDict, write: boolean): void {
    const races = this.races;
    if (races === null) return;
    const f = this.current.frame;
    races.accessItem(
      this.current.tid,
      `${v.id}:*`,
      () => objectName(this, v, `${typeName(v)}#${v.id}`),
      write,
      f.codeIndex,
      f.pc,
    );
  }

  private readIterator(step: number, t: ThreadState, code: CodeObject, pc: number, it: Value): void {
    if (this.footprint === null && this.tracer === null && this.races === null) return;
    let inner: Value = it;
    while (inner instanceof PyEnumerateIter) inner = inner.inner as Value;
    if (inner instanceof PySeqIter) this.noteReads(inner.seq as Value);
    else if (inner instanceof PyDictIter) this.noteReads(inner.dict);
    if (this.tracer !== null)
      this.tracer({
        step,
        tid: t.tid,
        thread: t.name,
        code,
        pc,
        value: undefined,
        cell: null,
        note: 'next item',
      });
  }

  /** Whether CALL of `callee` is a step: a visible builtin, a builtin reading a list or dict, or a method value. */
  private callIsVisible(callee: Value, stack: Value[], sp: number, argc: number): boolean {
    if (callee instanceof PyBuiltin) {
      if (VISIBLE_BUILTINS.has(callee.name)) return true;
      if (READS_ARGUMENTS.has(callee.name)) {
        for (let i = sp - argc; i < sp; i++) if (touchesShared(stack[i]!)) return true;
      }
      return false;
    }
    return callee instanceof PyBoundMethod;
  }

  /** Args of the call-like op whose arguments are the top `argc` stack slots. */
  private argsOf(frame: Frame, argc: number): Args {
    const { pos, kw } = opArgs(frame, argc);
    frame.kwnames = null;
    return { pos, kw };
  }

  /**
   * CALL on anything but the fast path. Returns the new frame for a user function (the
   * caller pushes it), or null with the result in `this.result`.
   */
  private callSlow(t: ThreadState, frame: Frame, callee: Value, argc: number): Frame | null {
    const a = this.argsOf(frame, argc);
    if (callee instanceof PyFunction) {
      if (t.frames.length >= this.maxDepth) raise('RecursionError', 'maximum recursion depth exceeded');
      const f = new Frame(callee.code, this.consts[callee.codeIndex]!, callee.codeIndex);
      bindArguments(callee, a.pos, a.kw).forEach((v, i) => (f.locals[i] = v));
      f.handledBase = t.handled.length;
      return f;
    }
    this.result = callNonFunction(this, this.engine, callee, a);
    return null;
  }

  /**
   * A method called through a method value (`f = lock.release; f()`) is noted coarsely, as a
   * write of its object (and of a condition's lock): never finer than what it does.
   */
  private boundMethodFootprint(self: Value): void {
    if (!(self instanceof PyShared)) return;
    this.footprint!.push({ obj: `o${self.id}`, key: null, write: true });
    if (self instanceof PyCondition)
      this.footprint!.push({ obj: `o${self.lock.id}`, key: null, write: true });
  }

  /**
   * The simulator's side of calls (src/semantics/call-rules.ts), for the running thread: output
   * to the sink, sleep in no time, options from the chooser, reads noted for the footprint and
   * the race detector, and method values run as their method op.
   */
  private readonly engine: CallEngine = {
    write: (stream, text) => this.output(stream, text),
    sleep: () => {},
    choose: (n) => this.chooser(n, this.currentStep),
    reads: (v) => this.noteReads(v),
    tryAcquire: (l) => {
      const tid = this.current.tid;
      if (!canAcquire(l, tid)) return false;
      doAcquire(l, tid);
      return true;
    },
    runMethod: (op, name, self, a) =>
      this.methodEffect(this.current, op, name, self, a.pos, a.kw, this.steps),
  };

  // ---------------------------------------------------------------- visible ops

  /** Non-blocking visible ops; the stack is in `frame` (sp updated on return). */
  private visibleOp(t: ThreadState, frame: Frame, op: Op, arg: number, step: number): void {
    const stack = frame.stack;
    const code = frame.code;
    const pc = frame.pc;
    switch (op) {
      case Op.LOAD_ITEM: {
        const key = stack[frame.sp - 1]!;
        const container = stack[frame.sp - 2]!;
        const v = this.raisingItemOp(container, false, () => getItem(container, key));
        const cellKey = itemCellKey(container, key);
        if (cellKey !== null) {
          this.itemLoad(t, cellKey, step);
          this.races?.accessItem(
            t.tid,
            cellKey,
            () => itemCellName(code, pc, container, key),
            false,
            frame.codeIndex,
            pc,
          );
        }
        frame.sp -= 1;
        stack[frame.sp - 1] = v;
        this.itemVisible(step, t, code, pc, v, container, key, false);
        return;
      }
      case Op.STORE_ITEM: {
        const key = stack[frame.sp - 1]!;
        const container = stack[frame.sp - 2]!;
        const v = stack[frame.sp - 3]!;
        const rebind = typeof v === 'object' && v !== null && sameObject(peekItem(container, key), v);
        this.raisingItemOp(container, true, () => setItem(container, key, v));
        const cellKey = itemCellKey(container, key);
        if (cellKey !== null) {
          this.itemStore(t, cellKey, step, code, pc, container, key, rebind);
          this.races?.accessItem(
            t.tid,
            cellKey,
            () => itemCellName(code, pc, container, key),
            true,
            frame.codeIndex,
            pc,
          );
        }
        frame.sp -= 3;
        this.itemVisible(step, t, code, pc, v, container, key, true);
        return;
      }
      case Op.DELETE_ITEM: {
        const key = stack[frame.sp - 1]!;
        const container = stack[frame.sp - 2]!;
        // A write whether or not it raises: the kind of an access must not depend on the state it
        // finds, or a reordered step would not be the step DPOR compared (dpor.ts wakeup trees).
        this.raisingItemOp(container, true, () => deleteItem(container, key));
        if (container instanceof PyList || container instanceof PyDict) this.containerAccess(container, true);
        frame.sp -= 2;
        if (container instanceof PyShared)
          this.visible(step, t, code, pc, undefined, null, `o${container.id}`, null, true);
        return;
      }
      case Op.SLEEP:
      case Op.PRINT:
      case Op.RANDINT:
      case Op.CHOICE: {
        const a = this.argsOf(frame, arg);
        const r =
          op === Op.SLEEP
            ? this.doSleep(a)
            : op === Op.PRINT
              ? this.doPrint(a)
              : op === Op.RANDINT
                ? this.doRandint(a)
                : this.doChoice(a);
        frame.sp -= arg;
        stack[frame.sp++] = r;
        if (op === Op.PRINT) this.visible(step, t, code, pc, undefined, null, 'io', null, true);
        else this.visible(step, t, code, pc, r, null, null, null, false);
        return;
      }
      default: {
        const argc = op === Op.METHOD ? arg & 0xff : op === Op.EXIT_WITH ? 0 : arg;
        const name = op === Op.METHOD ? code.names[arg >> 8]! : '';
        const a = this.argsOf(frame, argc);
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
        const waiting = notify && this.footprint !== null ? [...(target as PyCondition).waiters] : null;
        if (this.footprint !== null && obj !== null) {
          this.footprint.push({ obj, key: null, write: write && !notify });
          if (target instanceof PyCondition)
            this.footprint.push({ obj: `o${target.lock.id}`, key: null, write: false });
        }
        const r = this.methodEffect(t, op, name, self, a.pos, a.kw, step);
        if (waiting !== null) {
          const left = (target as PyCondition).waiters;
          for (const w of waiting)
            if (!left.includes(w)) this.footprint!.push({ obj: obj!, key: `t${w}`, write: true });
        }
        frame.sp -= argc + 1;
        if (op !== Op.EXIT_WITH) stack[frame.sp++] = r;
        if (self instanceof PyDict && (name === 'get' || name === 'setdefault') && a.pos.length > 0) {
          // Reading one entry: the same cell as d[k], for lost updates and races.
          const cellKey = itemCellKey(self, a.pos[0]!);
          if (cellKey !== null) {
            this.itemLoad(t, cellKey, step);
            this.races?.accessItem(
              t.tid,
              cellKey,
              () => itemCellName(code, pc, self, a.pos[0]!),
              false,
              frame.codeIndex,
              pc,
            );
          }
        } else if (self instanceof PyList || self instanceof PyDict) this.containerAccess(self, write);
        else if (obj !== null && this.races !== null) {
          this.races.sync(t.tid, obj);
          if (self instanceof PyCondition) this.races.sync(t.tid, `o${self.lock.id}`);
        }
        this.visible(step, t, code, pc, r, null, null, null, write);
        return;
      }
    }
  }

  /**
   * An item op that may raise (a missing key, an index out of range): the footprint of the
   * access is noted before the exception leaves, as what it raised on depends on other threads.
   */
  private raisingItemOp<T>(container: Value, write: boolean, op: () => T): T {
    try {
      return op();
    } catch (err) {
      // What it raised on (an index out of range: the length; a missing key) is read as the whole.
      if (this.footprint !== null && container instanceof PyShared)
        this.footprint.push({ obj: `o${container.id}`, key: null, write });
      throw err;
    }
  }

  private itemVisible(
    step: number,
    t: ThreadState,
    code: CodeObject,
    pc: number,
    v: Value,
    container: Value,
    key: Value,
    write: boolean,
  ): void {
    if (this.footprint === null && this.tracer === null) return;
    const obj = container instanceof PyShared ? `o${container.id}` : null;
    // The cell as the container sees it: `a[-1]` is `a[len(a) - 1]`, `d[True]` is `d[1]`; a key
    // with no canonical cell counts as the whole container.
    const cell = itemCellKey(container, key);
    this.visible(step, t, code, pc, v, itemCellName(code, pc, container, key), obj, cell, write);
  }

  private itemLoad(t: ThreadState, cellKey: string, step: number): void {
    if (this.lost === null) return;
    t.itemLoads.set(cellKey, [this.itemDepth.get(cellKey) ?? 0, step, t.epoch]);
  }

  private itemStore(
    t: ThreadState,
    cellKey: string,
    step: number,
    code: CodeObject,
    pc: number,
    container: Value,
    key: Value,
    rebind: boolean,
  ): void {
    if (this.lost === null) return;
    const loaded = t.itemLoads.get(cellKey);
    if (loaded === undefined || loaded[2] !== t.epoch) {
      // A plain write (or one whose read was in an earlier loop iteration) continues the chain.
      t.itemLoads.delete(cellKey);
      this.itemDepth.set(cellKey, (this.itemDepth.get(cellKey) ?? 0) + 1);
      return;
    }
    const now = this.itemDepth.get(cellKey) ?? 0;
    if (now !== loaded[0] && !rebind) {
      const cell = itemCellName(code, pc, container, key);
      this.lost.record(now - loaded[0], () => ({
        cell,
        thread: t.tid,
        loadStep: loaded[1],
        storeStep: step,
        code,
        pc,
      }));
    }
    t.itemLoads.delete(cellKey);
    this.itemDepth.set(cellKey, rebind ? now : loaded[0] + 1);
  }

  /** The effect of a method op on `self`; raises AttributeError when `self` has no such method. */
  private methodEffect(
    t: ThreadState,
    op: Op,
    name: string,
    self: Value,
    pos: Value[],
    kw: Map<string, Value> | null,
    step: number,
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
          const w = this.threads[tid]!.condWait;
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
        this.startThread(self as PyThread, step);
        if (this.yieldAfterStart) this.yieldRequested = true;
        return null;
      case Op.IS_ALIVE:
        bindArgs(self, 'is_alive', pos, kw);
        return (self as PyThread).state === 'started' && !this.threads[(self as PyThread).tid]!.finished;
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
          (items) => this.newList(items),
          () => this.newDict(),
        );
      default:
        throw new Error(`internal error: ${OP_INFO[op]!.mnemonic} is not a method op`);
    }
  }

  /**
   * ACQUIRE / ENTER_WITH / WAIT / JOIN once readiness allows (or as a timeout). Returns whether
   * the op completed (false: a condition wait released its lock and now waits at the same pc).
   */
  private blockingOp(t: ThreadState, frame: Frame, op: Op, timedOut: boolean): boolean {
    const argc = op === Op.ENTER_WITH ? 0 : frame.code.args[frame.pc]!;
    const self = frame.stack[frame.sp - argc - 1]!;
    const { pos, kw } = opArgs(frame, argc);
    // The footprint is noted before anything can raise: an op that raises has still read the
    // state it raised on (a join before start, a wait without the lock). Synchronization for
    // the data-race detector happens only when the op takes effect.
    const touch = (obj: PyShared, write: boolean): void => {
      if (this.footprint !== null) this.footprint.push({ obj: `o${obj.id}`, key: null, write });
    };
    const sync = (obj: PyShared): void => this.races?.sync(t.tid, `o${obj.id}`);
    // A condition's waiters are one item per thread: joining or leaving them (and learning
    // whether a notify took you out) touches only your own item, so two waiters' steps do not
    // conflict through the condition; a notify writes the whole of it.
    const touchWaiter = (cond: PyCondition, write: boolean): void => {
      if (this.footprint !== null) this.footprint.push({ obj: `o${cond.id}`, key: `t${t.tid}`, write });
    };
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
      this.result = null;
      // The op stays at the same pc (its arguments on the stack) until it gets the lock back.
      if (t.condWait.phase === 'waiting' || !canAcquire(self.lock, t.tid)) return false;
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
            this.noteReads(pos[0] ?? null);
            r = this.iterateValue(pos[0] ?? null)
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
    this.result = r;
    return true;
  }

  private iterateValue(v: Value): Value[] {
    if (v instanceof PyList || v instanceof PyTuple) return [...v.items];
    if (typeof v === 'string') return [...v];
    const it = getIterator(v);
    const out: Value[] = [];
    for (let x = nextItem(it); x !== undefined; x = nextItem(it)) out.push(x);
    return out;
  }

  private startThread(obj: PyThread, _step: number): void {
    if (obj.state !== 'initial') raise('RuntimeError', 'threads can only be started once');
    // Thread ids are handed out in start order: two starts by different threads do not commute
    // (the ids would swap), so each start writes the id counter.
    this.footprint?.push({ obj: 'tids', key: null, write: true });
    // The new thread's args and kwargs are read now, by the thread that starts it.
    this.noteReads(obj.args);
    this.noteReads(obj.kwargs);
    const tid = this.threads.length;
    obj.tid = tid;
    obj.state = 'started';
    const t = new ThreadState(tid, obj, this.lost === null ? 0 : this.program.globalNames.length);
    t.frames.push(this.bootstrapFrame(t, obj));
    this.threads.push(t);
    this.live.push(t);
    this.races?.addThread(tid, this.current.tid);
    if (!obj.daemon) this.liveNonDaemon++;
    // Run the new thread's invisible prefix now (it is thread-local), so that it waits at its
    // first visible op like every other thread.
    const saved = this.current;
    const savedTimedOut = this.lastTimedOut;
    this.run(tid, 0);
    this.current = saved;
    this.lastTimedOut = savedTimedOut;
  }

  /**
   * The bottom frame of a new thread: call the target with its args and kwargs, then end. As in
   * CPython's Thread.run, no target means the thread just ends, and args that are not iterable
   * (`args=(lock)`, a missing comma) make the new thread fail, not the thread that started it.
   */
  private bootstrapFrame(t: ThreadState, obj: PyThread): Frame {
    const target = obj.target;
    if (target === null) return new Frame(bootstrapCode(-1), [], -1);
    let a: Args;
    try {
      a = targetArguments(target, obj.args, obj.kwargs);
    } catch (e) {
      if (e instanceof PyRaise) return this.failedBootstrap(t, e.exc);
      throw e;
    }
    const kwNames = a.kw === null ? [] : [...a.kw.keys()];
    const argc = a.pos.length + kwNames.length;
    const boot = new Frame(bootstrapCode(argc), [], -1);
    boot.stack[0] = target;
    a.pos.forEach((v, i) => (boot.stack[i + 1] = v));
    kwNames.forEach((k, i) => (boot.stack[a.pos.length + 1 + i] = a.kw!.get(k)!));
    boot.sp = argc + 1;
    boot.kwnames = kwNames.length > 0 ? kwNames : null;
    return boot;
  }

  /** A bottom frame at its END, the thread already failing with `exc`. */
  private failedBootstrap(t: ThreadState, exc: PyException): Frame {
    t.uncaught = exc;
    const f = new Frame(bootstrapCode(-1), [], -1);
    return f;
  }

  private endThread(t: ThreadState): void {
    t.finished = true;
    this.live.splice(this.live.indexOf(t), 1);
    t.obj.state = 'stopped';
    if (t.tid === 0 || !t.daemon) this.liveNonDaemon--;
    if (t.uncaught !== null) this.output('stderr', this.formatUncaught(t, t.uncaught));
  }

  // ---------------------------------------------------------------- print, sleep, random

  private doPrint(a: Args): Value {
    return print(a, this.engine);
  }

  private doSleep(a: Args): Value {
    return sleep(a, this.engine);
  }

  private doRandint(a: Args): Value {
    return randint(a, this.engine);
  }

  private doChoice(a: Args): Value {
    return choice(a, this.engine);
  }

  /** CPython's report of an uncaught exception (threading.excepthook for threads). */
  formatUncaught(t: ThreadState, exc: PyException): string {
    return formatUncaught(this.program.source, exc, t.tid !== 0 ? t.name : null);
  }

  /** Compare two values with Python's `==` (for expectation checks). */
  static equals(a: Value, b: Value): boolean {
    return equals(a, b);
  }
}

/**
 * Whether a store puts back the very object the cell already holds (`x += [1]` on a list
 * extends it in place, then rebinds it): such a store overwrites no other thread's update.
 * Only objects count: for ints, `x = x` after another thread's write still loses that write.
 */
function sameObject(current: Value | undefined, stored: Value | undefined): boolean {
  return current === stored && typeof stored === 'object' && stored !== null;
}

/** The item `container[key]` holds, or undefined (no such key or index; never raises). */
function peekItem(container: Value, key: Value): Value | undefined {
  try {
    return getItem(container, key);
  } catch {
    return undefined;
  }
}

/** `d['a']` / `items[0]`: the cell an item op touched, from the op's source label and the actual key. */
function itemCellName(code: CodeObject, pc: number, container: Value, key: Value): string {
  const label = code.labels[pc] || 'item';
  const bracket = label.lastIndexOf('[');
  const base = bracket > 0 ? label.slice(0, bracket) : label.replace(/\.(get|setdefault)$/, '');
  return `${base}[${repr(container instanceof PyList ? Number(key) : key)}]`;
}

/** Generic methods that only read their object. */
const READ_METHODS = new Set(['get', 'keys', 'values', 'items', 'index', 'count', 'copy']);
