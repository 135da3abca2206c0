/**
 * The deterministic VM. It knows nothing of schedulers; it offers what every strategy needs:
 *
 *   status(tid) / enabled()   which threads can take a step (and whether only as a timeout)
 *   run(tid, n, timeout)      n steps of one thread (one step = one visible op and the
 *                             invisible ops after it, up to the next visible op)
 *   observers                 the analyses (observers.ts): lost updates, races, last writers,
 *                             footprints (what a step read, wrote or synchronized on, for DPOR),
 *                             tracing (every visible op with its value, for --trace and reports)
 *   syncObjects()             every lock, semaphore, condition and event created so far
 *
 * Getting back to an earlier step is deterministic re-execution: same program, same
 * schedule, same execution, byte for byte (no clock readings, no unseeded randomness, insertion-ordered maps).
 *
 * Semantics: docs/LANGUAGE.md. A step is atomic; a thread switch happens only before a visible op.
 * Ops marked `shared-operand` become visible at run time when they read a list or a dict.
 */
import { BUILTIN_OPS, Op, OP_INFO, type CodeObject, type CompiledProgram } from '../compile/ops.js';
import { equals } from '../semantics/arith.js';
import { READS_ARGUMENTS, getIterator, type Args, type BuiltinContext } from '../semantics/builtins.js';
import { nextItem } from '../semantics/containers.js';
import { PyRaise, raise } from '../semantics/exceptions.js';
import { exceptionLine } from '../semantics/format.js';
import { bindArguments, formatUncaught, loadAttr } from '../semantics/calls.js';
import { callNonFunction, type CallEngine } from '../semantics/call-rules.js';
import { choice, print, randint, sleep } from '../semantics/effects.js';
import { BUILTIN_VALUES, materialize } from '../semantics/program-values.js';
import { BOOTSTRAP_CODE_NAME, startTraceback, toException, traceEntry } from '../semantics/raise.js';
import { targetArguments } from '../semantics/threads.js';
import { noteReads, visible } from './access-events.js';
import { WAITING, blockingOp } from './blocking-ops.js';
import { DEFAULT_MAX_OPS, boundHalt, heapHalt, resultCost } from './bounds.js';
import { itemOp } from './item-ops.js';
import { PAUSE, operandOp } from './operand-ops.js';
import { MachineState, analysesFor } from './machine-state.js';
import type { MachineHost, MachineOptions } from './machine-types.js';
import type { VmContext } from './machine-view.js';
import { applyMethod, methodOp } from './method-ops.js';
import { Readiness, canAcquire, doAcquire, opArgs, readiness } from './sync.js';
import { isSyncPrimitive } from './sync-objects.js';
import { Frame, ThreadState } from './thread.js';
import {
  MAX_INT,
  PyBoundMethod,
  PyBuiltin,
  PyCondition,
  PyDict,
  PyException,
  PyFunction,
  PyList,
  PyShared,
  PyThread,
  PyTuple,
  touchesShared,
  type Value,
} from '../semantics/values.js';

export type { Access, AccessObserver, TraceEvent } from './observers.js';
export type { ThreadStatus } from './machine-view.js';
export type { SyncObject } from './sync-objects.js';
export { DEFAULT_MAX_OPS, type Halt } from './bounds.js';
export type { MachineHost, MachineOptions, MachineSnapshot, OutputSink } from './machine-types.js';

/** Heap checks happen when the cold-op count has these low bits clear (every 65,536 cold ops). */
const HEAP_CHECK_INTERVAL = 0xffff;

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

/** A machine run on its own: output discarded, option 0 for every `random` call. */
const NO_HOST: MachineHost = { print: () => {}, choose: () => 0 };

export class Machine extends MachineState implements BuiltinContext, VmContext {
  /** Where output goes and who answers `random` calls (its session). */
  readonly host: MachineHost;
  /** Index of the step whose visible op is running (valid during choices). */
  currentStep = 0;

  private readonly consts: Value[][];
  private readonly builtinValues: readonly Value[];
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
  private current!: ThreadState;

  /**
   * A machine at the start of `program`: the main thread about to run. `host` receives output and
   * answers `random` calls (default: output discarded, option 0 always).
   */
  constructor(program: CompiledProgram, options: MachineOptions = {}, host: MachineHost = NO_HOST) {
    super(program, analysesFor(program, options));
    this.host = host;
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
    const mainObj = new PyThread(this.newId(), 'MainThread', null, new PyTuple([]), null, false);
    mainObj.tid = 0;
    mainObj.state = 'started';
    const main = new ThreadState(0, mainObj);
    main.frames.push(new Frame(program.codes[0]!, this.consts[0]!, 0));
    this.threads.push(main);
    this.live.push(main);
    this.liveNonDaemon = 1;
    this.settle(main);
  }

  /** The thread whose step is running. */
  get running(): ThreadState {
    return this.current;
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
    const observers = this.observers;
    // Global loads and stores run inline unless every visible op must be reported (`slow`);
    // then they are sent to the observers of globals (`watched`), if any.
    const slow = observers.slow;
    // Up to two observers of loads (l0, l1) and two of stores (s0, s1) are called directly, so
    // that V8 inlines each call site for the one class it sees there, and only for the globals
    // they watch (their globalMask); more go through the set.
    const loaders = observers.loaders;
    const storers = observers.storers;
    const l0 = loaders.length > 0 && loaders.length <= 2 ? loaders[0]! : null;
    const l1 = loaders.length === 2 ? loaders[1]! : null;
    const lm0 = l0?.globalMask ?? null;
    const lm1 = l1?.globalMask ?? null;
    const lMany = loaders.length > 2;
    const s0 = storers.length > 0 && storers.length <= 2 ? storers[0]! : null;
    const s1 = storers.length === 2 ? storers[1]! : null;
    const sm0 = s0?.globalMask ?? null;
    const sm1 = s1?.globalMask ?? null;
    const sMany = storers.length > 2;
    const spinLimit = this.spinLimit;
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
              if (l0 !== null) {
                if (lm0 === null || lm0[g] === 1)
                  l0.loadGlobal!(t, g, base + taken - 1, code, frame.codeIndex, pc);
                if (l1 !== null && (lm1 === null || lm1[g] === 1))
                  l1.loadGlobal!(t, g, base + taken - 1, code, frame.codeIndex, pc);
              } else if (lMany) observers.loadGlobal(t, g, base + taken - 1, code, frame.codeIndex, pc);
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
              const v = stack[--sp]!;
              if (s0 !== null) {
                if (sm0 === null || sm0[g] === 1)
                  s0.storeGlobal!(t, g, globals[g], v, base + taken - 1, code, frame.codeIndex, pc);
                if (s1 !== null && (sm1 === null || sm1[g] === 1))
                  s1.storeGlobal!(t, g, globals[g], v, base + taken - 1, code, frame.codeIndex, pc);
              } else if (sMany)
                observers.storeGlobal(t, g, globals[g], v, base + taken - 1, code, frame.codeIndex, pc);
              globals[g] = v;
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
                  this.halt = boundHalt(t, spin === 0, this.spinLimit, this.maxOps);
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
              : (++this.coldOps & HEAP_CHECK_INTERVAL) === 0 && this.heapFull(t)
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

  /**
   * Charge a large result the cold op just pushed to the work bound (bounds.ts resultCost).
   * Returns true, with `halt` set, once the bound is exceeded.
   */
  private chargeResult(t: ThreadState, frame: Frame): boolean {
    if (frame.sp === 0) return false;
    const cost = resultCost(frame.stack[frame.sp - 1]);
    if (cost === 0) return false;
    this.allocated += cost;
    if (this.microOps + this.allocated <= this.maxOps) return false;
    this.halt = boundHalt(t, false, this.spinLimit, this.maxOps);
    return true;
  }

  /** Whether the V8 heap is nearly full (bounds.ts heapHalt); if so `halt` is set. */
  private heapFull(t: ThreadState): boolean {
    const halt = heapHalt(t);
    if (halt === null) return false;
    this.halt = halt;
    return true;
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
      case Op.LOAD_GLOBAL: {
        if (!gate()) return PAUSE;
        const v = this.globals[arg];
        if (v === undefined) {
          // Raising on a name not bound yet still read it (another thread may bind it first).
          this.observers.access(`g${arg}`, null, false);
          raise('NameError', `name '${this.program.globalNames[arg]}' is not defined`);
        }
        if (this.observers.globals) this.observers.loadGlobal(t, arg, step, code, frame.codeIndex, pc);
        stack[frame.sp++] = v;
        visible(this, step, t, code, pc, v, this.program.globalNames[arg]!, `g${arg}`, null, false);
        frame.pc++;
        return 1;
      }
      case Op.STORE_GLOBAL: {
        if (!gate()) return PAUSE;
        const v = stack[--frame.sp]!;
        if (this.observers.globals)
          this.observers.storeGlobal(t, arg, this.globals[arg], v, step, code, frame.codeIndex, pc);
        this.globals[arg] = v;
        visible(this, step, t, code, pc, v, this.program.globalNames[arg]!, `g${arg}`, null, true);
        frame.pc++;
        return 1;
      }
      case Op.CALL: {
        const callee = stack[sp - arg - 1]!;
        const isVisible = this.callIsVisible(callee, stack, sp, arg);
        if (isVisible && !gate()) return PAUSE;
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
        if (callee instanceof PyBuiltin && isSyncPrimitive(this.result)) this.register(this.result);
        if (isVisible) visible(this, step, t, code, pc, this.result, null, null, null, false);
        return isVisible ? 1 : 0;
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
        const result = blockingOp(this, t, frame, op, timedOut);
        const done = result !== WAITING;
        this.result = done ? result : null;
        const note = timedOut ? 'timed out' : done ? '' : 'waiting';
        visible(this, step, t, code, pc, this.result, null, null, null, false, note);
        if (done) frame.pc++;
        return 1;
      }
      case Op.END: {
        if (!gate()) return PAUSE;
        this.endThread(t);
        const obj = `o${t.obj.id}`;
        this.observers.synchronize(t.tid, obj);
        const note = t.uncaught === null ? 'thread ends' : `dies: ${exceptionLine(t.uncaught)}`;
        visible(this, step, t, code, pc, undefined, null, obj, null, true, note);
        return 1;
      }
      default: {
        if (OP_INFO[op]?.visibility !== 'always') return operandOp(this, t, frame, op, arg, step, gate);
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

  /** A read of the whole of `v`'s shared containers (access-events.ts). */
  private noteReads(v: Value): void {
    noteReads(this, v);
  }

  /** Whether CALL of `callee` is a step: a visible builtin, a builtin reading a list or dict, or a method value. */
  private callIsVisible(callee: Value, stack: Value[], sp: number, argc: number): boolean {
    if (callee instanceof PyBuiltin) {
      // Builtins that are visible ops of their own (the op table's `builtin`), whoever calls them.
      if (BUILTIN_OPS.has(callee.name)) return true;
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
    write: (stream, text) => this.host.print(stream, text),
    sleep: () => {},
    choose: (n) => this.host.choose(n, this.currentStep),
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
      case Op.LOAD_ITEM:
      case Op.STORE_ITEM:
      case Op.DELETE_ITEM:
        itemOp(this, t, frame, op, step);
        return;
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
        if (op === Op.PRINT) visible(this, step, t, code, pc, undefined, null, 'io', null, true);
        else visible(this, step, t, code, pc, r, null, null, null, false);
        return;
      }
      default: {
        const argc = op === Op.METHOD ? arg & 0xff : op === Op.EXIT_WITH ? 0 : arg;
        const name = op === Op.METHOD ? code.names[arg >> 8]! : '';
        methodOp(this, t, frame, op, name, argc, this.argsOf(frame, argc), step);
        return;
      }
    }
  }

  /** The effect of a method op on `self` (method-ops.ts); raises AttributeError when `self` has no such method. */
  methodEffect(
    t: ThreadState,
    op: Op,
    name: string,
    self: Value,
    pos: Value[],
    kw: Map<string, Value> | null,
    step: number,
  ): Value {
    const start =
      op === Op.START
        ? (thread: PyThread): void => {
            this.startThread(thread, step);
            if (this.yieldAfterStart) this.yieldRequested = true;
          }
        : noStart;
    return applyMethod(this, t, op, name, self, pos, kw, start);
  }

  /** The items of an iterable, as a fresh array (raises TypeError for a non-iterable). */
  iterateValue(v: Value): Value[] {
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
    if (t.uncaught !== null) this.host.print('stderr', this.formatUncaught(t, t.uncaught));
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

/** applyMethod's `start` for an op that starts no thread. */
function noStart(): void {
  throw new Error('internal error: a thread start outside START');
}
