/**
 * The micro-op set: the contract between the compiler and the VM (like clox's chunk.h).
 *
 * Every function (and the module body) compiles to a flat list of micro-ops. Each op has one
 * integer operand and a source span. Each op is classified by when it is *visible*, i.e. a
 * point where a thread switch may happen (docs/LANGUAGE.md, "Micro-ops"):
 *
 * - `always`: the op touches shared state or synchronizes (shared LOAD/STORE, lock, condition,
 *   event and semaphore ops, start, join, sleep, print, random choices, thread end). It is
 *   always its own step.
 * - `shared-operand`: the op is thread-local unless one of its operands is a list or a dict
 *   (shared by definition), or a builtin with a visible effect: `if items:` reads the length
 *   of a shared list, `sum(xs)` reads its elements, calling a renamed `sleep` sleeps. The VM
 *   decides at run time and, when it is, the op is a step of its own; this keeps every read
 *   of shared memory at a scheduling point without making every `ADD` one.
 * - `never`: constants, locals, jumps, arithmetic on numbers, calls of user functions.
 *
 * Invisible ops run as part of the step of the next visible op; since they touch only
 * thread-local state, the VM may run them eagerly right after the previous step.
 */
import type { ExecutionModel } from './model.js';

export const enum Op {
  NOP,
  /** Push constant `consts[arg]`. */
  CONST,
  /** Push local slot `arg` (UnboundLocalError if unbound). */
  LOAD_LOCAL,
  /** Pop into local slot `arg`. */
  STORE_LOCAL,
  /** Unbind local slot `arg` (used for `except E as e` cleanup). */
  CLEAR_LOCAL,
  /** Unbind global `arg` (the end of `except E as e` at module level, after `STORE e` of None). */
  CLEAR_GLOBAL,
  /** Push shared global `arg`: a visible read of a shared cell. */
  LOAD_GLOBAL,
  /** Pop into shared global `arg`: a visible write of a shared cell. */
  STORE_GLOBAL,
  /** Push global `arg` bound only once by `def`/`import` before any thread can run: not shared. */
  LOAD_DEF,
  /** Bind global `arg` from a `def`/`import` (see LOAD_DEF). */
  STORE_DEF,
  /** Push builtin `arg` (index into BUILTIN_NAMES). */
  BUILTIN,
  /** Replace TOS with attribute `names[arg]` of it. */
  LOAD_ATTR,
  /** [container, key] → [value]: `LOAD d[k]`, a visible read of a shared cell. */
  LOAD_ITEM,
  /** [value, container, key] → []: `STORE d[k]`, a visible write. */
  STORE_ITEM,
  /** [container, key] → []: `del d[k]`. */
  DELETE_ITEM,
  ADD,
  SUB,
  MUL,
  TRUEDIV,
  FLOORDIV,
  MOD,
  NEG,
  POS,
  NOT,
  /** [a, b] → [a OP b], OP = COMPARE_OPS[arg] (< <= > >= == !=). */
  COMPARE,
  /** [a, b] → [a is b] (arg 0) or [a is not b] (arg 1). */
  IS,
  /** [item, container] → [item in container] (arg 0) or `not in` (arg 1). */
  CONTAINS,
  JUMP,
  /** Pop TOS; jump to `arg` if it is falsy. */
  POP_JUMP_IF_FALSE,
  /** Pop TOS; jump to `arg` if it is truthy. */
  POP_JUMP_IF_TRUE,
  /** `and`: if TOS is falsy jump to `arg` keeping it, else pop it. */
  JUMP_IF_FALSE_OR_POP,
  /** `or`: if TOS is truthy jump to `arg` keeping it, else pop it. */
  JUMP_IF_TRUE_OR_POP,
  POP,
  DUP,
  /** [a, b] → [a, b, a, b]. */
  DUP2,
  /** [a, b] → [b, a]. */
  ROT2,
  /** [a, b, c] → [c, a, b]. */
  ROT3,
  BUILD_TUPLE,
  BUILD_LIST,
  /** Pop `arg` key/value pairs. */
  BUILD_DICT,
  /** Pop a sequence, push its `arg` items so the first ends on top. */
  UNPACK,
  /** [value] → [text]: f-string field; format spec is `consts[arg]` (a string, or null). */
  FORMAT,
  /** [value] → [repr(value)] for `!r`. */
  CONVERT_REPR,
  /** Join `arg` strings. */
  BUILD_STRING,
  /** [iterable] → [iterator]. */
  GET_ITER,
  /** [iterator] → [iterator, next] or pop and jump to `arg` when exhausted. */
  FOR_ITER,
  /** `for x in range(...)`: [next, stop, step] → [next', stop, step, next], or pop the three and jump to `arg`. */
  FOR_RANGE,
  /** Check the [start, stop, step] of `range(...)` in a for loop (ints, step not zero). */
  SETUP_RANGE,
  /** [list, ..., v] → [list, ...]: append v to the list under construction `arg` slots below (comprehensions). */
  LIST_APPEND,
  /** Keyword names for the next call: `consts[arg]` is a tuple of names. */
  KW_NAMES,
  /** [callable, arg1..argN] → [result]; keyword args are the last ones, named by KW_NAMES. */
  CALL,
  /** [default1..defaultN, code] → [function]: N = arg. */
  MAKE_FUNCTION,
  RETURN,
  // Method ops: [receiver, arg1..argN] → [result], arg = N (keyword args named by KW_NAMES).
  /** `lock.acquire(...)`: blocks while the lock (or semaphore, or condition's lock) is held. */
  ACQUIRE,
  /** `lock.release()`: [lock] → [None]. */
  RELEASE,
  /** `with x:` entry: [x] → []; acquires a lock, semaphore or condition. */
  ENTER_WITH,
  /** `with x:` exit: [x] → []; releases it. */
  EXIT_WITH,
  /** `cond.wait(...)` / `event.wait(...)`: [obj, args..] → [result]. */
  WAIT,
  /** `cond.notify(n)`: [cond, args..] → [None]. */
  NOTIFY,
  NOTIFY_ALL,
  /** `event.set()`. */
  SET_EVENT,
  /** `event.clear()` / `list.clear()` / `dict.clear()`. */
  CLEAR,
  IS_SET,
  LOCKED,
  /** `thread.start()`. */
  START,
  /** `thread.join(timeout=None)`. Blocks while the thread runs. */
  JOIN,
  IS_ALIVE,
  /** `list.append(x)`: one atomic op, as under CPython. */
  APPEND,
  /** `list.pop([i])` / `dict.pop(k[, d])`: one atomic op. */
  POP_ITEM,
  /** Any other method of a shared object (dict get/keys/values/items/setdefault, ...): arg = (nameIndex << 8) | N. */
  METHOD,
  /** `time.sleep(s)`: [s] → [None], a step that lets others run. arg = N. */
  SLEEP,
  /** `print(...)`: [args..] → [None], arg = N (keyword args sep/end/file via KW_NAMES). */
  PRINT,
  /** `random.randint(a, b)`: [args..] → [value], arg = N; the value is a choice made by the schedule. */
  RANDINT,
  /** `random.choice(seq)`: [args..] → [item], arg = N; a choice made by the schedule. */
  CHOICE,
  /** `raise` (arg 0: re-raise the exception being handled; arg 1: raise TOS). */
  RAISE,
  /** Re-raise TOS (end of a finally/with cleanup on the exceptional path). */
  RERAISE,
  /** [exc, type] → [exc, matches]. */
  CHECK_EXC_MATCH,
  /** Enter an except block: pushes the handled exception onto the thread's handled stack. */
  PUSH_EXC_INFO,
  /** Leave an except block. */
  POP_EXCEPT,
  /** [test, msg?]: raise AssertionError; arg 1 if a message is on the stack. */
  ASSERT_FAIL,
  /** The thread's last step: reports an uncaught exception and wakes joiners. */
  END,
}

export type Visibility = 'always' | 'shared-operand' | 'never';

export type OperandKind =
  | 'none'
  | 'const'
  | 'local'
  | 'global'
  | 'builtin'
  | 'name'
  | 'jump'
  | 'count'
  | 'compare'
  | 'method';

/**
 * Net stack effect of an op on its fall-through path, in slots: a number, or a function of the
 * operand for ops that pop a counted number of values. Jump paths are the emitter's business.
 */
export type StackEffect = number | ((arg: number) => number);

/** Every fact about one op that more than one part of the code needs (compiler, VM, explorer, hw). */
export interface OpInfo {
  /** The mnemonic `dis` shows (the user-facing names LOAD, STORE, ADD, ACQUIRE, RELEASE are fixed). */
  mnemonic: string;
  operand: OperandKind;
  visibility: Visibility;
  /** Net stack effect on the fall-through path. */
  stack: StackEffect;
  /** Whether the op can raise a Python exception (a handler and the traceback then need its pc). */
  canRaise: boolean;
  /** Whether control can go on to the next op: false after JUMP, RETURN, RAISE, RERAISE, ASSERT_FAIL, END. */
  fallsThrough: boolean;
  /** Whether the op may wait for another thread (a lock, a notify, an event, a thread's end). */
  blocks: boolean;
  /** Whether it takes a timeout, so a thread waiting in it may give up (a schedule's `Tt` step). */
  timeout: boolean;
  /**
   * For an op that calls a method on a receiver: the number of arguments above the receiver
   * on the stack, from the operand (the receiver is at `sp - argc - 1`); null for other ops.
   */
  methodArgc: ((arg: number) => number) | null;
  /** The method name a call compiles to this op for (`lock.acquire()` → ACQUIRE), or null. */
  method: string | null;
  /** The builtin a call compiles to this op for (`time.sleep(x)` → SLEEP), or null. */
  builtin: BuiltinName | null;
}

const A = 'always' as const;
const S = 'shared-operand' as const;
const N = 'never' as const;

// Stack effects shared by several ops.
/** Pops `arg` values (a call: callee and arguments in, result out; a method op: its arguments). */
const popsArg = (arg: number): number => -arg;
/** Pops `arg` values and pushes one (a tuple, a list, a string, a builtin op's result). */
const buildsFromArg = (arg: number): number => 1 - arg;

/** Argument counts of method ops: the operand, the low byte of METHOD's, none for `with`. */
const ARGS = (arg: number): number => arg;
const METHOD_ARGS = (arg: number): number => arg & 0xff;
const NO_ARGS = (): number => 0;

/** Ops that never raise (the rest may). */
const NEVER_RAISE = new Set<Op>([
  Op.NOP,
  Op.CONST,
  Op.STORE_LOCAL,
  Op.CLEAR_LOCAL,
  Op.BUILTIN,
  Op.JUMP,
  Op.POP,
  Op.DUP,
  Op.DUP2,
  Op.ROT2,
  Op.ROT3,
  Op.FOR_RANGE,
  Op.KW_NAMES,
  Op.RETURN,
  Op.END,
]);

/** Ops after which control never falls through. */
const TERMINATORS = new Set<Op>([Op.JUMP, Op.RETURN, Op.RAISE, Op.RERAISE, Op.ASSERT_FAIL, Op.END]);

/** Ops that may wait for another thread, and those of them that take a timeout. */
const BLOCKING = new Set<Op>([Op.ACQUIRE, Op.ENTER_WITH, Op.WAIT, Op.JOIN]);
const TIMED = new Set<Op>([Op.ACQUIRE, Op.WAIT, Op.JOIN]);

type Row = [
  op: Op,
  mnemonic: string,
  operand: OperandKind,
  visibility: Visibility,
  stack: StackEffect,
  call?: { method?: string; builtin?: BuiltinName; argc?: (arg: number) => number },
];

/** Every op's facts, indexed by `Op`. */
export const OP_INFO: readonly OpInfo[] = (() => {
  const table: Row[] = [
    [Op.NOP, 'NOP', 'none', N, 0],
    [Op.CONST, 'CONST', 'const', N, 1],
    [Op.LOAD_LOCAL, 'LOAD_LOCAL', 'local', N, 1],
    [Op.STORE_LOCAL, 'STORE_LOCAL', 'local', N, -1],
    [Op.CLEAR_LOCAL, 'CLEAR_LOCAL', 'local', N, 0],
    [Op.CLEAR_GLOBAL, 'CLEAR_GLOBAL', 'global', N, 0],
    [Op.LOAD_GLOBAL, 'LOAD', 'global', A, 1],
    [Op.STORE_GLOBAL, 'STORE', 'global', A, -1],
    [Op.LOAD_DEF, 'LOAD_DEF', 'global', N, 1],
    [Op.STORE_DEF, 'STORE_DEF', 'global', N, -1],
    [Op.BUILTIN, 'BUILTIN', 'builtin', N, 1],
    [Op.LOAD_ATTR, 'LOAD_ATTR', 'name', S, 0],
    [Op.LOAD_ITEM, 'LOAD', 'none', A, -1],
    [Op.STORE_ITEM, 'STORE', 'none', A, -3],
    [Op.DELETE_ITEM, 'DELETE', 'none', A, -2],
    [Op.ADD, 'ADD', 'none', S, -1],
    [Op.SUB, 'SUB', 'none', S, -1],
    [Op.MUL, 'MUL', 'none', S, -1],
    [Op.TRUEDIV, 'TRUEDIV', 'none', S, -1],
    [Op.FLOORDIV, 'FLOORDIV', 'none', S, -1],
    [Op.MOD, 'MOD', 'none', S, -1],
    [Op.NEG, 'NEG', 'none', N, 0],
    [Op.POS, 'POS', 'none', N, 0],
    [Op.NOT, 'NOT', 'none', S, 0],
    [Op.COMPARE, 'COMPARE', 'compare', S, -1],
    [Op.IS, 'IS', 'count', N, -1],
    [Op.CONTAINS, 'CONTAINS', 'count', S, -1],
    [Op.JUMP, 'JUMP', 'jump', N, 0],
    [Op.POP_JUMP_IF_FALSE, 'POP_JUMP_IF_FALSE', 'jump', S, -1],
    [Op.POP_JUMP_IF_TRUE, 'POP_JUMP_IF_TRUE', 'jump', S, -1],
    [Op.JUMP_IF_FALSE_OR_POP, 'JUMP_IF_FALSE_OR_POP', 'jump', S, -1],
    [Op.JUMP_IF_TRUE_OR_POP, 'JUMP_IF_TRUE_OR_POP', 'jump', S, -1],
    [Op.POP, 'POP', 'none', N, -1],
    [Op.DUP, 'DUP', 'none', N, 1],
    [Op.DUP2, 'DUP2', 'none', N, 2],
    [Op.ROT2, 'ROT2', 'none', N, 0],
    [Op.ROT3, 'ROT3', 'none', N, 0],
    [Op.BUILD_TUPLE, 'BUILD_TUPLE', 'count', N, buildsFromArg],
    [Op.BUILD_LIST, 'BUILD_LIST', 'count', N, buildsFromArg],
    [Op.BUILD_DICT, 'BUILD_DICT', 'count', N, (arg) => 1 - 2 * arg],
    [Op.UNPACK, 'UNPACK', 'count', S, (arg) => arg - 1],
    [Op.FORMAT, 'FORMAT', 'const', S, 0],
    [Op.CONVERT_REPR, 'CONVERT_REPR', 'none', S, 0],
    [Op.BUILD_STRING, 'BUILD_STRING', 'count', N, buildsFromArg],
    [Op.GET_ITER, 'GET_ITER', 'none', S, 0],
    [Op.FOR_ITER, 'FOR_ITER', 'jump', S, 1],
    [Op.FOR_RANGE, 'FOR_RANGE', 'jump', N, 1],
    [Op.SETUP_RANGE, 'SETUP_RANGE', 'none', N, 0],
    [Op.LIST_APPEND, 'LIST_APPEND', 'count', N, -1],
    [Op.KW_NAMES, 'KW_NAMES', 'const', N, 0],
    [Op.CALL, 'CALL', 'count', S, popsArg],
    [Op.MAKE_FUNCTION, 'MAKE_FUNCTION', 'count', N, popsArg],
    [Op.RETURN, 'RETURN', 'none', N, -1],
    [Op.ACQUIRE, 'ACQUIRE', 'count', A, popsArg, { method: 'acquire' }],
    [Op.RELEASE, 'RELEASE', 'count', A, popsArg, { method: 'release' }],
    [Op.ENTER_WITH, 'ACQUIRE', 'none', A, -1, { argc: NO_ARGS }],
    [Op.EXIT_WITH, 'RELEASE', 'none', A, -1, { argc: NO_ARGS }],
    [Op.WAIT, 'WAIT', 'count', A, popsArg, { method: 'wait' }],
    [Op.NOTIFY, 'NOTIFY', 'count', A, popsArg, { method: 'notify' }],
    [Op.NOTIFY_ALL, 'NOTIFY_ALL', 'count', A, popsArg, { method: 'notify_all' }],
    [Op.SET_EVENT, 'SET', 'count', A, popsArg, { method: 'set' }],
    [Op.CLEAR, 'CLEAR', 'count', A, popsArg, { method: 'clear' }],
    [Op.IS_SET, 'IS_SET', 'count', A, popsArg, { method: 'is_set' }],
    [Op.LOCKED, 'LOCKED', 'count', A, popsArg, { method: 'locked' }],
    [Op.START, 'START', 'count', A, popsArg, { method: 'start' }],
    [Op.JOIN, 'JOIN', 'count', A, popsArg, { method: 'join' }],
    [Op.IS_ALIVE, 'IS_ALIVE', 'count', A, popsArg, { method: 'is_alive' }],
    [Op.APPEND, 'APPEND', 'count', A, popsArg, { method: 'append' }],
    [Op.POP_ITEM, 'POP', 'count', A, popsArg, { method: 'pop' }],
    [Op.METHOD, 'METHOD', 'method', A, (arg) => -(arg & 0xff), { argc: METHOD_ARGS }],
    [Op.SLEEP, 'SLEEP', 'count', A, buildsFromArg, { builtin: 'time.sleep' }],
    [Op.PRINT, 'PRINT', 'count', A, buildsFromArg, { builtin: 'print' }],
    [Op.RANDINT, 'RANDINT', 'count', A, buildsFromArg, { builtin: 'random.randint' }],
    [Op.CHOICE, 'CHOICE', 'count', A, buildsFromArg, { builtin: 'random.choice' }],
    [Op.RAISE, 'RAISE', 'count', N, popsArg],
    [Op.RERAISE, 'RERAISE', 'none', N, -1],
    [Op.CHECK_EXC_MATCH, 'CHECK_EXC_MATCH', 'none', N, 0],
    [Op.PUSH_EXC_INFO, 'PUSH_EXC_INFO', 'none', N, 0],
    [Op.POP_EXCEPT, 'POP_EXCEPT', 'none', N, 0],
    [Op.ASSERT_FAIL, 'ASSERT_FAIL', 'count', N, popsArg],
    [Op.END, 'END', 'none', A, 0],
  ];
  const info: OpInfo[] = [];
  for (const [op, mnemonic, operand, visibility, stack, call] of table) {
    const method = call?.method ?? null;
    info[op] = {
      mnemonic,
      operand,
      visibility,
      stack,
      canRaise: !NEVER_RAISE.has(op),
      fallsThrough: !TERMINATORS.has(op),
      blocks: BLOCKING.has(op),
      timeout: TIMED.has(op),
      methodArgc: call?.argc ?? (method !== null ? ARGS : null),
      method,
      builtin: call?.builtin ?? null,
    };
  }
  for (let i = 0; i < info.length; i++) {
    if (info[i] === undefined) throw new Error(`internal error: op ${i} has no OP_INFO entry`);
  }
  return info;
})();

/** Net stack effect of `op` with operand `arg` on its fall-through path. */
export function stackEffect(op: Op, arg: number): number {
  const effect = OP_INFO[op]!.stack;
  return typeof effect === 'number' ? effect : effect(arg);
}

/**
 * Builtins with a visible effect (printing, sleeping, a random choice), each with the op a call
 * of it compiles to; calling one through another name (`nap = time.sleep`) runs the same op.
 */
export const BUILTIN_OPS: ReadonlyMap<string, Op> = new Map(
  OP_INFO.flatMap((info, op) => (info.builtin === null ? [] : [[info.builtin, op as Op] as const])),
);

/** Number of ops; opcodes are 0..OP_COUNT-1. */
export const OP_COUNT = OP_INFO.length;

/** `COMPARE` operands. */
export const COMPARE_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

/** Builtin names, in `BUILTIN` operand order. */
export const BUILTIN_NAMES = [
  'print',
  'range',
  'len',
  'repr',
  'str',
  'int',
  'float',
  'bool',
  'abs',
  'min',
  'max',
  'sum',
  'list',
  'tuple',
  'dict',
  'sorted',
  'enumerate',
  'isinstance',
  'Exception',
  'RuntimeError',
  'ValueError',
  'TypeError',
  'NameError',
  'UnboundLocalError',
  'ZeroDivisionError',
  'IndexError',
  'KeyError',
  'AssertionError',
  'OverflowError',
  'AttributeError',
  'RecursionError',
  'MemoryError',
  'ArithmeticError',
  'LookupError',
  'BaseException',
  // module-level names reachable through imports
  'threading',
  'time',
  'random',
  'sys',
  'threading.Thread',
  'threading.Lock',
  'threading.RLock',
  'threading.Semaphore',
  'threading.BoundedSemaphore',
  'threading.Condition',
  'threading.Event',
  'threading.current_thread',
  'threading.main_thread',
  'threading.active_count',
  'time.sleep',
  'random.randint',
  'random.choice',
  'sys.stdout',
  'sys.stderr',
  '__name__',
] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** The names each importable module offers (docs/LANGUAGE.md, "Statements"). */
export const MODULE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  threading: [
    'Thread',
    'Lock',
    'RLock',
    'Semaphore',
    'BoundedSemaphore',
    'Condition',
    'Event',
    'current_thread',
    'main_thread',
    'active_count',
  ],
  time: ['sleep'],
  random: ['randint', 'choice'],
  sys: ['stdout', 'stderr'],
};

/** A constant in a code object's pool: plain data, materialized into VM values at load time. */
export type ConstValue =
  | number
  | string
  | boolean
  | null
  | { kind: 'float'; value: number }
  | { kind: 'tuple'; items: ConstValue[] }
  | { kind: 'code'; index: number };

/** A try/with region: an exception raised at `start <= pc < end` jumps to `handler` with the stack cut to `depth`. */
export interface ExceptionEntry {
  start: number;
  end: number;
  handler: number;
  depth: number;
}

/** A compiled function or module body. */
export interface CodeObject {
  /** '<module>' or the function name. */
  name: string;
  /** Opcode of each instruction (pc indexes these arrays; `dis` shows offset = 2·pc). */
  ops: Uint8Array;
  /** Operand of each instruction. */
  args: Int32Array;
  /** Source span of each instruction, flattened: [line, col, endLine, endCol] × n. */
  spans: Int32Array;
  /** Text `dis` shows as the argument of each instruction (a name, `d[k]`, the receiver of a method), or ''. */
  labels: string[];
  consts: ConstValue[];
  /** Attribute and method names used by LOAD_ATTR and METHOD. */
  names: string[];
  /** Local slot names (parameters first); hidden temporaries start with '.'. */
  localNames: string[];
  /** Number of parameters (the first slots). */
  paramCount: number;
  /** Innermost region first. */
  exceptionTable: ExceptionEntry[];
  /** Upper bound on the value stack depth. */
  maxStack: number;
  /** Stack depth on arrival at each instruction (the hardware runner's code generator names slots by it). */
  depths: Int16Array;
  firstLine: number;
}

/** How a module-level name is bound. */
export type GlobalKind = 'data' | 'def';

/** The whole compiled program. */
export interface CompiledProgram {
  file: string;
  source: string;
  /** codes[0] is the module body; functions follow in definition order. */
  codes: CodeObject[];
  globalNames: string[];
  globalKinds: GlobalKind[];
  /** `--set` values applied, in the order given. */
  sets: [string, string][];
  /** Switch points and memory model the program runs under (compile/model.ts). */
  model: ExecutionModel;
  /** Short hash of the source, the `--set` values and the model; stamped on schedules. */
  fingerprint: string;
}
