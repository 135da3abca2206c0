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

export interface OpInfo {
  /** The mnemonic `dis` shows (the user-facing names LOAD, STORE, ADD, ACQUIRE, RELEASE are fixed). */
  mnemonic: string;
  operand: OperandKind;
  visibility: Visibility;
}

const A = 'always' as const;
const S = 'shared-operand' as const;
const N = 'never' as const;

/** Every op's mnemonic, operand and visibility, indexed by `Op`. */
export const OP_INFO: readonly OpInfo[] = (() => {
  const table: [Op, string, OperandKind, Visibility][] = [
    [Op.NOP, 'NOP', 'none', N],
    [Op.CONST, 'CONST', 'const', N],
    [Op.LOAD_LOCAL, 'LOAD_LOCAL', 'local', N],
    [Op.STORE_LOCAL, 'STORE_LOCAL', 'local', N],
    [Op.CLEAR_LOCAL, 'CLEAR_LOCAL', 'local', N],
    [Op.CLEAR_GLOBAL, 'CLEAR_GLOBAL', 'global', N],
    [Op.LOAD_GLOBAL, 'LOAD', 'global', A],
    [Op.STORE_GLOBAL, 'STORE', 'global', A],
    [Op.LOAD_DEF, 'LOAD_DEF', 'global', N],
    [Op.STORE_DEF, 'STORE_DEF', 'global', N],
    [Op.BUILTIN, 'BUILTIN', 'builtin', N],
    [Op.LOAD_ATTR, 'LOAD_ATTR', 'name', S],
    [Op.LOAD_ITEM, 'LOAD', 'none', A],
    [Op.STORE_ITEM, 'STORE', 'none', A],
    [Op.DELETE_ITEM, 'DELETE', 'none', A],
    [Op.ADD, 'ADD', 'none', S],
    [Op.SUB, 'SUB', 'none', S],
    [Op.MUL, 'MUL', 'none', S],
    [Op.TRUEDIV, 'TRUEDIV', 'none', S],
    [Op.FLOORDIV, 'FLOORDIV', 'none', S],
    [Op.MOD, 'MOD', 'none', S],
    [Op.NEG, 'NEG', 'none', N],
    [Op.POS, 'POS', 'none', N],
    [Op.NOT, 'NOT', 'none', S],
    [Op.COMPARE, 'COMPARE', 'compare', S],
    [Op.IS, 'IS', 'count', N],
    [Op.CONTAINS, 'CONTAINS', 'count', S],
    [Op.JUMP, 'JUMP', 'jump', N],
    [Op.POP_JUMP_IF_FALSE, 'POP_JUMP_IF_FALSE', 'jump', S],
    [Op.POP_JUMP_IF_TRUE, 'POP_JUMP_IF_TRUE', 'jump', S],
    [Op.JUMP_IF_FALSE_OR_POP, 'JUMP_IF_FALSE_OR_POP', 'jump', S],
    [Op.JUMP_IF_TRUE_OR_POP, 'JUMP_IF_TRUE_OR_POP', 'jump', S],
    [Op.POP, 'POP', 'none', N],
    [Op.DUP, 'DUP', 'none', N],
    [Op.DUP2, 'DUP2', 'none', N],
    [Op.ROT2, 'ROT2', 'none', N],
    [Op.ROT3, 'ROT3', 'none', N],
    [Op.BUILD_TUPLE, 'BUILD_TUPLE', 'count', N],
    [Op.BUILD_LIST, 'BUILD_LIST', 'count', N],
    [Op.BUILD_DICT, 'BUILD_DICT', 'count', N],
    [Op.UNPACK, 'UNPACK', 'count', S],
    [Op.FORMAT, 'FORMAT', 'const', S],
    [Op.CONVERT_REPR, 'CONVERT_REPR', 'none', S],
    [Op.BUILD_STRING, 'BUILD_STRING', 'count', N],
    [Op.GET_ITER, 'GET_ITER', 'none', S],
    [Op.FOR_ITER, 'FOR_ITER', 'jump', S],
    [Op.FOR_RANGE, 'FOR_RANGE', 'jump', N],
    [Op.SETUP_RANGE, 'SETUP_RANGE', 'none', N],
    [Op.LIST_APPEND, 'LIST_APPEND', 'count', N],
    [Op.KW_NAMES, 'KW_NAMES', 'const', N],
    [Op.CALL, 'CALL', 'count', S],
    [Op.MAKE_FUNCTION, 'MAKE_FUNCTION', 'count', N],
    [Op.RETURN, 'RETURN', 'none', N],
    [Op.ACQUIRE, 'ACQUIRE', 'count', A],
    [Op.RELEASE, 'RELEASE', 'count', A],
    [Op.ENTER_WITH, 'ACQUIRE', 'none', A],
    [Op.EXIT_WITH, 'RELEASE', 'none', A],
    [Op.WAIT, 'WAIT', 'count', A],
    [Op.NOTIFY, 'NOTIFY', 'count', A],
    [Op.NOTIFY_ALL, 'NOTIFY_ALL', 'count', A],
    [Op.SET_EVENT, 'SET', 'count', A],
    [Op.CLEAR, 'CLEAR', 'count', A],
    [Op.IS_SET, 'IS_SET', 'count', A],
    [Op.LOCKED, 'LOCKED', 'count', A],
    [Op.START, 'START', 'count', A],
    [Op.JOIN, 'JOIN', 'count', A],
    [Op.IS_ALIVE, 'IS_ALIVE', 'count', A],
    [Op.APPEND, 'APPEND', 'count', A],
    [Op.POP_ITEM, 'POP', 'count', A],
    [Op.METHOD, 'METHOD', 'method', A],
    [Op.SLEEP, 'SLEEP', 'count', A],
    [Op.PRINT, 'PRINT', 'count', A],
    [Op.RANDINT, 'RANDINT', 'count', A],
    [Op.CHOICE, 'CHOICE', 'count', A],
    [Op.RAISE, 'RAISE', 'count', N],
    [Op.RERAISE, 'RERAISE', 'none', N],
    [Op.CHECK_EXC_MATCH, 'CHECK_EXC_MATCH', 'none', N],
    [Op.PUSH_EXC_INFO, 'PUSH_EXC_INFO', 'none', N],
    [Op.POP_EXCEPT, 'POP_EXCEPT', 'none', N],
    [Op.ASSERT_FAIL, 'ASSERT_FAIL', 'count', N],
    [Op.END, 'END', 'none', A],
  ];
  const info: OpInfo[] = [];
  for (const [op, mnemonic, operand, visibility] of table) info[op] = { mnemonic, operand, visibility };
  for (let i = 0; i < info.length; i++) {
    if (info[i] === undefined) throw new Error(`internal error: op ${i} has no OP_INFO entry`);
  }
  return info;
})();

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
