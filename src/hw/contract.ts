/**
 * The runtime contract of generated code: every member of the runtime object `R` that the
 * JavaScript of src/hw/codegen.ts reads or calls, with its types. codegen.ts names members only
 * through `keyof GeneratedCodeRuntime` and src/hw/runtime.ts implements the interface, so a
 * member renamed or removed on either side is a type error, not a crash of generated code.
 *
 * Conventions: `k` is a code index (CompiledProgram.codes), `pc` an op index in it, `i` a
 * global or name index; `kwnames` are the keyword names of a call (the last values are theirs).
 */
import type { Op } from '../compile/ops.js';
import type { PyException, Value } from '../semantics/values.js';

export interface GeneratedCodeRuntime {
  // ------------------------------------------------------------ tables and state
  /** Constants of each code object, as values (index k, then the op's operand). */
  readonly consts: readonly (readonly Value[])[];
  /** Value of each builtin name (BUILTIN_NAMES order). */
  readonly builtins: readonly Value[];
  /** Address of the first global word in shared memory. */
  readonly G: number;
  /** Exceptions being handled (except blocks), innermost last: generated code pushes and pops. */
  readonly handled: PyException[];
  /** The exception a handler receives, set by `unwind`. */
  readonly caught: PyException | null;

  // ------------------------------------------------------------ names
  unboundLocal(k: number, slot: number): never;
  loadGlobal(i: number): Value;
  /** A global whose word `w` is not a small int (or is unbound). */
  loadGlobalSlow(i: number, w: number): Value;
  storeGlobal(i: number, v: Value): void;
  clearGlobal(i: number): void;
  /** `v.name` where name is names[i] of code k. */
  loadAttr(v: Value, k: number, i: number): Value;

  // ------------------------------------------------------------ values
  loadItem(container: Value, key: Value): Value;
  storeItem(value: Value, container: Value, key: Value): void;
  deleteItem(container: Value, key: Value): void;
  /** `a op b`; `inplace` 1 for `a op= b`. */
  binary(op: Op, a: Value, b: Value, inplace: number): Value;
  unary(op: Op.NEG | Op.POS, v: Value): Value;
  truthy(v: Value): boolean;
  /** Comparison `op` (index into COMPARE_OPS). */
  compare(op: number, a: Value, b: Value): boolean;
  contains(item: Value, container: Value): boolean;
  tuple(items: Value[]): Value;
  list(items: Value[]): Value;
  /** A dict from alternating keys and values. */
  dict(kv: Value[]): Value;
  /** The `n` items of `v` for `a, b = v` (ValueError on another count). */
  unpack(v: Value, n: number): Value[];
  format(v: Value, spec: Value): string;
  repr(v: Value): string;
  /** The pieces of an f-string joined (MemoryError past the size cap). */
  buildString(pieces: string[]): string;
  iter(v: Value): Value;
  /** The next item of iterator `it`, or undefined when it is exhausted. */
  next(it: Value): Value | undefined;
  index(v: Value): number;
  rangeStep(v: Value): number;
  /** Append to a comprehension's list (MemoryError past the size cap). */
  listAppend(list: Value, v: Value): void;
  /** A function object for code `ref` (a CodeRef constant) with these defaults. */
  makeFunction(ref: Value, defaults: Value[]): Value;

  // ------------------------------------------------------------ calls and methods
  callOp(callee: Value, values: Value[], kwnames: readonly Value[] | null): Value;
  /** Method op `op` on `self` with positional `pos` and keywords `kw`, at pc of code k. */
  method(
    op: Op,
    self: Value,
    pos: Value[],
    kw: Map<string, Value> | null,
    k: number,
    pc: number,
    name?: string,
  ): Value;
  /** A method op from a call site: the receiver, argument values and keyword names. */
  methodOp(
    op: Op,
    self: Value,
    values: Value[],
    kwnames: readonly Value[] | null,
    k: number,
    pc: number,
  ): Value;
  /** PRINT, SLEEP, RANDINT or CHOICE. */
  builtinOp(op: Op, values: Value[], kwnames: readonly Value[] | null): Value;

  // ------------------------------------------------------------ exceptions
  /** Bare `raise`. */
  reraiseHandled(): never;
  /** `raise v`. */
  raiseValue(v: Value): never;
  /** Re-raise at the end of a finally or an unmatched except. */
  reraise(v: Value): never;
  excMatches(exc: Value, cls: Value): boolean;
  assertFail(msg: Value | undefined): never;
  /**
   * A generated function caught `e` at pc of code k: the handler's pc (the exception in
   * `caught`), or rethrows when no handler covers pc. `handledBase`: `handled.length` on entry.
   */
  unwind(e: unknown, k: number, pc: number, handledBase: number): number;
}

/** A runtime member's name as generated code spells it (`R.loadItem`): a rename is a type error. */
export function member<K extends keyof GeneratedCodeRuntime>(name: K): `R.${K}` {
  return `R.${name}`;
}
