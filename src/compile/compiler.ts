/**
 * AST → micro-ops. One CodeObject for the module body and one per `def`.
 *
 * Shapes that matter to users (docs/LANGUAGE.md, "Micro-ops"):
 *   counter += 1 (global)  →  LOAD counter, CONST 1, ADD, STORE counter
 *   d[k] += 1              →  LOAD d, <k>, DUP2, LOAD d[k], CONST 1, ADD, ROT3, STORE d[k]
 *   with lock: body        →  ACQUIRE lock, body, RELEASE lock (also on the exceptional path)
 *
 * Control flow that leaves a `with`, `try/finally` or `except` block early (`break`,
 * `continue`, `return`) runs the block's cleanup inline, outside the block's exception region,
 * as CPython does.
 */
import type {
  CallExpr,
  Expr,
  FStringExpr,
  FunctionDefStmt,
  Module,
  Span,
  Stmt,
  Target,
  TryStmt,
  WithStmt,
  ForStmt,
  ListCompExpr,
  CompareExpr,
} from '../lang/ast.js';
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../base/diagnostics.js';
import { Emitter, type Label, type Region } from './emitter.js';
import { GENERIC_METHODS, METHOD_OPS } from './methods.js';
import {
  BUILTIN_NAMES,
  BUILTIN_OPS,
  COMPARE_OPS,
  MODULE_MEMBERS,
  Op,
  type CodeObject,
  type CompareOp,
  type ConstValue,
} from './ops.js';
import { analyzeFunction, analyzeModule, type FunctionScope, type ModuleScope } from './scope.js';

/** Blocks that early exits must unwind through, innermost last. */
type Block =
  | { kind: 'loop'; breakLabel: Label; continueLabel: Label; popOnBreak: number }
  | { kind: 'with'; slot: number; span: Span; label: string; region: Region }
  | { kind: 'finally'; body: Stmt[]; region: Region; outer: Block[] }
  | { kind: 'except'; nameSlot: NameSlot | null; region: Region };

type NameSlot = { op: 'local'; slot: number } | { op: 'global'; slot: number; def: boolean };

const BINARY_OPS: Record<string, Op> = {
  '+': Op.ADD,
  '-': Op.SUB,
  '*': Op.MUL,
  '/': Op.TRUEDIV,
  '//': Op.FLOORDIV,
  '%': Op.MOD,
};

const STATIC_MODULES = new Set(['threading', 'time', 'random', 'sys']);

/**
 * CPython 3.11's builtins (dir(builtins)) that the subset does not offer: reading one that the
 * program does not define is refused at compile time by name (E121).
 */
const UNSUPPORTED_BUILTINS = new Set(
  (
    'BaseExceptionGroup BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError ' +
    'ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError DeprecationWarning ' +
    'EOFError Ellipsis EncodingWarning EnvironmentError ExceptionGroup FileExistsError FileNotFoundError ' +
    'FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError ' +
    'InterruptedError IsADirectoryError KeyboardInterrupt ModuleNotFoundError NotADirectoryError ' +
    'NotImplemented NotImplementedError OSError PendingDeprecationWarning PermissionError ' +
    'ProcessLookupError ReferenceError ResourceWarning RuntimeWarning StopAsyncIteration StopIteration ' +
    'SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError UnicodeDecodeError ' +
    'UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning Warning aiter all ' +
    'anext any ascii bin breakpoint bytearray bytes callable chr classmethod compile complex copyright ' +
    'credits delattr dir divmod eval exec exit filter format frozenset getattr globals hasattr hash help ' +
    'hex id input issubclass iter license locals map memoryview next object oct open ord pow property quit ' +
    'reversed round set setattr slice staticmethod super type vars zip __file__ __builtins__ __doc__ ' +
    '__spec__ __loader__ __package__ __import__ __debug__'
  ).split(' '),
);

/** The subset's builtin functions, as named in E121 messages. */
const SUBSET_FUNCTIONS = BUILTIN_NAMES.filter(
  (b) => !b.includes('.') && !b.startsWith('_') && !STATIC_MODULES.has(b) && !/(Error|Exception)$/.test(b),
).join(', ');

/** Deepest expression nesting the compiler accepts (CPython gives up near 2,000 too). */
const MAX_EXPR_DEPTH = 1500;

interface CodeContext {
  emitter: Emitter;
  fn: FunctionScope | null;
  blocks: Block[];
  /** Comprehension variables, innermost last: name → hidden local slot. */
  comprehensions: Map<string, number>[];
}

export class Compiler {
  readonly codes: CodeObject[] = [];
  private readonly scope: ModuleScope;
  private readonly lines: string[];
  private ctx!: CodeContext;
  private comprehensionCount = 0;
  /** Names read but bound nowhere (their reads raise NameError at run time). */
  private readonly unbound = new Set<string>();
  /** Current expression nesting, and whether the too-deep diagnostic was given. */
  private exprDepth = 0;
  private tooDeep = false;

  constructor(
    private readonly module: Module,
    readonly diagnostics: Diagnostic[],
  ) {
    this.scope = analyzeModule(module, diagnostics);
    this.lines = module.source.split(/\r\n|\r|\n/);
  }

  get globalNames(): string[] {
    return this.scope.names;
  }
  get globalKinds(): ModuleScope['kinds'] {
    return this.scope.kinds;
  }

  /** Compile the module body (codes[0]) and, on the way, every function. */
  compile(): void {
    this.codes.push(null as unknown as CodeObject); // reserve index 0 for the module
    const emitter = new Emitter('<module>', [], 0, 1);
    this.ctx = { emitter, fn: null, blocks: [], comprehensions: [] };
    this.compileBody(this.module.body);
    const end = this.module.body.length > 0 ? this.module.body[this.module.body.length - 1]!.span : span1();
    // END is always the module's last op: an uncaught exception jumps there.
    if (!emitter.reachable) emitter.depth = 0;
    emitter.emit(Op.END, 0, { line: end.endLine, col: end.endCol, endLine: end.endLine, endCol: end.endCol });
    this.codes[0] = emitter.finish();
  }

  // ---------------------------------------------------------------- helpers

  private get e(): Emitter {
    return this.ctx.emitter;
  }

  private error(code: DiagnosticCode, message: string, span: Span): void {
    const width = span.endLine === span.line ? Math.max(1, span.endCol - span.col) : 1;
    this.diagnostics.push(diagnostic(code, message, span.line, span.col, width));
  }

  /** The source text of a span (single line; longer spans are cut at the line end). */
  private text(span: Span): string {
    const line = this.lines[span.line - 1] ?? '';
    const end = span.endLine === span.line ? span.endCol - 1 : line.length;
    return line.slice(span.col - 1, end);
  }

  private constant(value: ConstValue, span: Span, label?: string): void {
    this.e.emit(Op.CONST, this.e.constant(value), span, label ?? constLabel(value));
  }

  // ---------------------------------------------------------------- names

  private resolve(name: string): NameSlot | { op: 'builtin'; name: string } {
    for (let i = this.ctx.comprehensions.length - 1; i >= 0; i--) {
      const slot = this.ctx.comprehensions[i]!.get(name);
      if (slot !== undefined) return { op: 'local', slot };
    }
    const fn = this.ctx.fn;
    if (fn !== null && !fn.declaredGlobal.has(name)) {
      const slot = fn.locals.get(name);
      if (slot !== undefined) return { op: 'local', slot };
    }
    let slot = this.scope.slots.get(name);
    if (slot !== undefined) {
      const def = this.scope.kinds[slot] === 'def';
      const builtin = this.scope.staticBuiltins.get(name);
      if (def && builtin !== undefined) return { op: 'builtin', name: builtin };
      return { op: 'global', slot, def };
    }
    if ((BUILTIN_NAMES as readonly string[]).includes(name) && !STATIC_MODULES.has(name))
      return { op: 'builtin', name };
    // Never bound anywhere: reading it raises NameError at run time, as in Python.
    this.unbound.add(name);
    slot = this.scope.names.length;
    this.scope.slots.set(name, slot);
    this.scope.names.push(name);
    this.scope.kinds.push('data');
    return { op: 'global', slot, def: false };
  }

  /** Whether `name` is bound nowhere in the program (no local, global, def or import). */
  private neverBound(name: string): boolean {
    const r = this.resolve(name);
    return r.op === 'global' && this.unbound.has(name);
  }

  private loadName(name: string, span: Span): void {
    if (UNSUPPORTED_BUILTINS.has(name) && this.neverBound(name)) {
      // A Python builtin outside the subset: refuse it by name rather than fail with NameError.
      this.error(
        'E121',
        `unsupported builtin '${name}': the subset's builtins are ${SUBSET_FUNCTIONS}, and the exception classes of LANGUAGE.md`,
        span,
      );
    }
    const r = this.resolve(name);
    if (r.op === 'local') this.e.emit(Op.LOAD_LOCAL, r.slot, span, name);
    else if (r.op === 'builtin') this.e.emit(Op.BUILTIN, builtinIndex(r.name), span, r.name);
    else this.e.emit(r.def ? Op.LOAD_DEF : Op.LOAD_GLOBAL, r.slot, span, name);
  }

  private storeName(name: string, span: Span): void {
    const r = this.resolve(name);
    if (r.op === 'local') this.e.emit(Op.STORE_LOCAL, r.slot, span, name);
    else if (r.op === 'builtin') {
      // A final import re-bound by its own statement: bind the definition slot.
      const slot = this.scope.slots.get(name)!;
      this.e.emit(Op.STORE_DEF, slot, span, name);
    } else this.e.emit(r.def ? Op.STORE_DEF : Op.STORE_GLOBAL, r.slot, span, name);
  }

  private nameSlot(name: string): NameSlot {
    const r = this.resolve(name);
    if (r.op === 'builtin') return { op: 'global', slot: this.scope.slots.get(name)!, def: true };
    return r;
  }

  private storeSlot(slot: NameSlot, span: Span, name: string): void {
    if (slot.op === 'local') this.e.emit(Op.STORE_LOCAL, slot.slot, span, name);
    else this.e.emit(slot.def ? Op.STORE_DEF : Op.STORE_GLOBAL, slot.slot, span, name);
  }

  /**
   * The end of an `except E as name:` handler unbinds `name`, as CPython's `name = None;
   * del name`: a local is cleared; a global is set to None (a visible write, as any store to a
   * shared cell) and then unbound in the same step.
   */
  private unbindExceptName(slot: NameSlot, span: Span): void {
    if (slot.op === 'local') {
      this.e.emit(Op.CLEAR_LOCAL, slot.slot, span);
      return;
    }
    const name = this.scope.names[slot.slot]!;
    this.constant(null, span);
    this.storeSlot(slot, span, name);
    this.e.emit(Op.CLEAR_GLOBAL, slot.slot, span, name);
  }

  /** The builtin an expression statically denotes (`print`, `time.sleep`, `threading.Lock`), if any. */
  private staticBuiltin(expr: Expr): string | null {
    if (expr.kind === 'Name') {
      const r = this.resolve(expr.id);
      return r.op === 'builtin' ? r.name : null;
    }
    if (expr.kind === 'Attribute') {
      const base = this.staticBuiltin(expr.value);
      if (base !== null && STATIC_MODULES.has(base)) {
        const members = MODULE_MEMBERS[base]!;
        if (!members.includes(expr.attr)) {
          this.error(
            'E121',
            `unsupported name '${base}.${expr.attr}': module '${base}' offers ${members.join(', ')}`,
            expr.span,
          );
          return `${base}.${members[0]}`;
        }
        return `${base}.${expr.attr}`;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- statements

  /** Compile statements up to the first one that cannot be reached (after return, raise, break, continue). */
  private compileBody(body: Stmt[]): void {
    for (const stmt of body) {
      if (!this.e.reachable) break;
      this.compileStmt(stmt);
    }
  }

  private compileStmt(s: Stmt): void {
    const e = this.e;
    switch (s.kind) {
      case 'Import':
        for (const m of s.modules) {
          e.emit(Op.BUILTIN, builtinIndex(m), s.span, m);
          this.storeName(m, s.span);
        }
        return;
      case 'ImportFrom':
        for (const a of s.names) {
          const full = `${s.module}.${a.name}`;
          const index = (BUILTIN_NAMES as readonly string[]).indexOf(full);
          if (index < 0) continue; // already reported by the scope analysis
          e.emit(Op.BUILTIN, index, a.span, full);
          this.storeName(a.asname ?? a.name, a.span);
        }
        return;
      case 'Assign': {
        this.compileExpr(s.value);
        for (let i = 0; i < s.targets.length; i++) {
          if (i < s.targets.length - 1) e.emit(Op.DUP, 0, s.span);
          this.compileStore(s.targets[i]!);
        }
        return;
      }
      case 'AugAssign': {
        const op = BINARY_OPS[s.op]!;
        if (s.target.kind === 'Name') {
          this.loadName(s.target.id, s.target.span);
          this.compileExpr(s.value);
          e.emit(op, 1, s.span); // 1: in place (a list is extended, not copied)
          this.storeName(s.target.id, s.target.span);
        } else {
          const label = this.text(s.target.span);
          this.compileExpr(s.target.value);
          this.compileExpr(s.target.index);
          e.emit(Op.DUP2, 0, s.target.span);
          e.emit(Op.LOAD_ITEM, 0, s.target.span, label);
          this.compileExpr(s.value);
          e.emit(op, 1, s.span); // 1: in place (a list is extended, not copied)
          e.emit(Op.ROT3, 0, s.span);
          e.emit(Op.STORE_ITEM, 0, s.target.span, label);
        }
        return;
      }
      case 'Delete':
        for (const t of s.targets) {
          this.compileExpr(t.value);
          this.compileExpr(t.index);
          e.emit(Op.DELETE_ITEM, 0, t.span, this.text(t.span));
        }
        return;
      case 'Global':
      case 'Pass':
        return;
      case 'FunctionDef':
        this.compileFunctionDef(s);
        return;
      case 'Return':
        if (this.ctx.fn === null) {
          this.error('E130', "'return' outside function", s.span);
          return;
        }
        if (s.value !== null) this.compileExpr(s.value);
        else this.constant(null, s.span);
        this.unwind(this.ctx.blocks.length, s.span, () => e.emit(Op.RETURN, 0, s.span));
        return;
      case 'If': {
        const elseLabel = e.newLabel();
        const end = e.newLabel();
        this.compileExpr(s.test);
        e.emitJump(Op.POP_JUMP_IF_FALSE, elseLabel, s.test.span);
        this.compileBody(s.body);
        if (s.orelse.length > 0) e.emitJump(Op.JUMP, end, s.span);
        e.bind(elseLabel);
        this.compileBody(s.orelse);
        e.bind(end);
        return;
      }
      case 'While': {
        const top = e.newLabel();
        const end = e.newLabel();
        e.bind(top);
        this.compileExpr(s.test);
        e.emitJump(Op.POP_JUMP_IF_FALSE, end, s.test.span);
        this.ctx.blocks.push({ kind: 'loop', breakLabel: end, continueLabel: top, popOnBreak: 0 });
        this.compileBody(s.body);
        this.ctx.blocks.pop();
        e.emitJump(Op.JUMP, top, s.span);
        e.bind(end);
        return;
      }
      case 'For':
        this.compileFor(s);
        return;
      case 'Break':
      case 'Continue': {
        const blocks = this.ctx.blocks;
        let loopAt = blocks.length - 1;
        while (loopAt >= 0 && blocks[loopAt]!.kind !== 'loop') loopAt--;
        if (loopAt < 0) {
          this.error('E130', `'${s.kind === 'Break' ? 'break' : 'continue'}' outside loop`, s.span);
          return;
        }
        const loop = blocks[loopAt] as Extract<Block, { kind: 'loop' }>;
        this.unwind(blocks.length - loopAt - 1, s.span, () => {
          if (s.kind === 'Break') {
            for (let i = 0; i < loop.popOnBreak; i++) e.emit(Op.POP, 0, s.span);
            e.emitJump(Op.JUMP, loop.breakLabel, s.span);
          } else {
            e.emitJump(Op.JUMP, loop.continueLabel, s.span);
          }
        });
        return;
      }
      case 'With':
        this.compileWith(s, 0);
        return;
      case 'Try':
        this.compileTry(s);
        return;
      case 'Raise':
        if (s.exc === null) e.emit(Op.RAISE, 0, s.span);
        else {
          this.compileExpr(s.exc);
          e.emit(Op.RAISE, 1, s.span);
        }
        return;
      case 'Assert': {
        const ok = e.newLabel();
        this.compileExpr(s.test);
        e.emitJump(Op.POP_JUMP_IF_TRUE, ok, s.test.span);
        if (s.msg !== null) this.compileExpr(s.msg);
        e.emit(Op.ASSERT_FAIL, s.msg !== null ? 1 : 0, s.span);
        e.bind(ok);
        return;
      }
      case 'Expr':
        this.compileExpr(s.value);
        e.emit(Op.POP, 0, s.span);
        return;
    }
  }

  /**
   * Emit the cleanup of the innermost `count` blocks (with exits, finally bodies, except
   * exits), outside their exception regions, then `jump()`; the regions reopen afterwards.
   */
  private unwind(count: number, span: Span, jump: () => void): void {
    const blocks = this.ctx.blocks;
    const suspended: Region[] = [];
    const saved = blocks.slice();
    for (let i = blocks.length - 1; i >= blocks.length - count; i--) {
      const b = saved[i]!;
      if (b.kind === 'loop') continue;
      this.e.suspendRegion(b.region);
      suspended.push(b.region);
      if (b.kind === 'with') {
        this.e.emit(Op.LOAD_LOCAL, b.slot, b.span, b.label);
        this.e.emit(Op.EXIT_WITH, 0, b.span, b.label);
      } else if (b.kind === 'except') {
        this.e.emit(Op.POP_EXCEPT, 0, span);
        if (b.nameSlot !== null) this.unbindExceptName(b.nameSlot, span);
      } else {
        // The finally body runs with only the blocks outside its try active.
        this.ctx.blocks = b.outer.slice();
        this.compileBody(b.body);
        this.ctx.blocks = saved;
      }
    }
    jump();
    for (let i = suspended.length - 1; i >= 0; i--) this.e.resumeRegion(suspended[i]!);
  }

  private compileStore(t: Target): void {
    const e = this.e;
    if (t.kind === 'Name') this.storeName(t.id, t.span);
    else if (t.kind === 'Subscript') {
      this.compileExpr(t.value);
      this.compileExpr(t.index);
      e.emit(Op.STORE_ITEM, 0, t.span, this.text(t.span));
    } else {
      e.emit(Op.UNPACK, t.elts.length, t.span);
      for (const elt of t.elts) this.compileStore(elt as Target);
    }
  }

  private compileFor(s: ForStmt): void {
    const e = this.e;
    const top = e.newLabel();
    const end = e.newLabel();
    const range = this.rangeArgs(s.iter);
    if (range !== null) {
      this.pushRangeArgs(range, s.iter.span);
      e.emit(Op.SETUP_RANGE, 0, s.iter.span);
      e.bind(top);
      e.emitJump(Op.FOR_RANGE, end, s.span);
    } else {
      this.compileExpr(s.iter);
      e.emit(Op.GET_ITER, 0, s.iter.span);
      e.bind(top);
      e.emitJump(Op.FOR_ITER, end, s.span);
    }
    this.compileStore(s.target);
    this.ctx.blocks.push({
      kind: 'loop',
      breakLabel: end,
      continueLabel: top,
      popOnBreak: range !== null ? 3 : 1,
    });
    this.compileBody(s.body);
    this.ctx.blocks.pop();
    e.emitJump(Op.JUMP, top, s.span);
    e.bind(end);
  }

  /** `range(...)` with 1–3 positional arguments, when `range` is the builtin. */
  private rangeArgs(iter: Expr): Expr[] | null {
    if (iter.kind !== 'Call' || iter.keywords.length > 0 || iter.args.length < 1 || iter.args.length > 3)
      return null;
    return this.staticBuiltin(iter.func) === 'range' ? iter.args : null;
  }

  private pushRangeArgs(args: Expr[], span: Span): void {
    if (args.length === 1) this.constant(0, span);
    this.compileExpr(args[0]!);
    if (args.length >= 2) this.compileExpr(args[1]!);
    if (args.length === 3) this.compileExpr(args[2]!);
    else this.constant(1, span);
  }

  private compileWith(s: WithStmt, item: number): void {
    const e = this.e;
    if (item === s.items.length) {
      this.compileBody(s.body);
      return;
    }
    const expr = s.items[item]!;
    const label = this.text(expr.span);
    const slot = e.hiddenLocal(`with${e.localNames.length}`);
    this.compileExpr(expr);
    e.emit(Op.DUP, 0, expr.span);
    e.emit(Op.STORE_LOCAL, slot, expr.span, `.${label}`);
    e.emit(Op.ENTER_WITH, 0, expr.span, label);
    const handler = e.newLabel();
    const after = e.newLabel();
    const region = e.openRegion(handler);
    this.ctx.blocks.push({ kind: 'with', slot, span: expr.span, label, region });
    this.compileWith(s, item + 1);
    this.ctx.blocks.pop();
    e.closeRegion(region);
    e.emit(Op.LOAD_LOCAL, slot, expr.span, label);
    e.emit(Op.EXIT_WITH, 0, expr.span, label);
    e.emitJump(Op.JUMP, after, s.span);
    // Exceptional exit: release, then re-raise.
    e.bindHandler(handler, region.depth + 1);
    e.emit(Op.LOAD_LOCAL, slot, expr.span, label);
    e.emit(Op.EXIT_WITH, 0, expr.span, label);
    e.emit(Op.RERAISE, 0, s.span);
    e.bind(after);
  }

  private compileTry(s: TryStmt): void {
    const e = this.e;
    const outer = this.ctx.blocks.slice();
    let finallyRegion: Region | null = null;
    const finallyHandler = e.newLabel();
    if (s.finalbody.length > 0) {
      finallyRegion = e.openRegion(finallyHandler);
      this.ctx.blocks.push({ kind: 'finally', body: s.finalbody, region: finallyRegion, outer });
    }
    const done = e.newLabel();
    if (s.handlers.length > 0) {
      const handlerLabel = e.newLabel();
      const region = e.openRegion(handlerLabel);
      const depth = region.depth;
      this.compileBody(s.body);
      e.closeRegion(region);
      this.compileBody(s.orelse);
      e.emitJump(Op.JUMP, done, s.span);
      // Dispatch: [exc] on the stack.
      e.bindHandler(handlerLabel, depth + 1);
      e.emit(Op.PUSH_EXC_INFO, 0, s.span);
      const cleanup = e.newLabel();
      const cleanupRegion = e.openRegion(cleanup);
      let sawBare = false;
      for (let i = 0; i < s.handlers.length; i++) {
        const h = s.handlers[i]!;
        if (h.type === null && i < s.handlers.length - 1) {
          this.error('E130', "default 'except:' must be last", h.span);
        }
        const next = h.type !== null ? e.newLabel() : null;
        if (h.type !== null && next !== null) {
          // [exc] → [exc, type] → [exc, matches] → [exc]
          this.compileExpr(h.type);
          e.emit(Op.CHECK_EXC_MATCH, 0, h.span);
          e.emitJump(Op.POP_JUMP_IF_FALSE, next, h.span);
        }
        const nameSlot = h.name !== null ? this.nameSlot(h.name) : null;
        if (nameSlot !== null) this.storeSlot(nameSlot, h.span, h.name!);
        else e.emit(Op.POP, 0, h.span);
        e.suspendRegion(cleanupRegion);
        const bodyHandler = e.newLabel();
        const bodyRegion = e.openRegion(bodyHandler);
        this.ctx.blocks.push({ kind: 'except', nameSlot, region: bodyRegion });
        this.compileBody(h.body);
        this.ctx.blocks.pop();
        e.closeRegion(bodyRegion);
        e.emit(Op.POP_EXCEPT, 0, h.span);
        if (nameSlot !== null) this.unbindExceptName(nameSlot, h.span);
        e.emitJump(Op.JUMP, done, h.span);
        // An exception inside the handler body: leave the except block, then propagate.
        e.bindHandler(bodyHandler, bodyRegion.depth + 1);
        e.emit(Op.POP_EXCEPT, 0, h.span);
        e.emit(Op.RERAISE, 0, h.span);
        if (next === null) {
          sawBare = true;
          break;
        }
        e.bind(next);
        e.resumeRegion(cleanupRegion);
      }
      e.closeRegion(cleanupRegion);
      if (!sawBare) {
        // No handler matched: leave the except block and re-raise the exception.
        e.emit(Op.POP_EXCEPT, 0, s.span);
        e.emit(Op.RERAISE, 0, s.span);
      }
      // An exception while matching (e.g. a bad `except` expression): leave, propagate.
      e.bindHandler(cleanup, cleanupRegion.depth + 1);
      e.emit(Op.POP_EXCEPT, 0, s.span);
      e.emit(Op.RERAISE, 0, s.span);
    } else {
      this.compileBody(s.body);
      this.compileBody(s.orelse);
    }
    e.bind(done);
    if (finallyRegion !== null) {
      this.ctx.blocks.pop();
      e.closeRegion(finallyRegion);
      this.compileBody(s.finalbody);
      const after = e.newLabel();
      e.emitJump(Op.JUMP, after, s.span);
      e.bindHandler(finallyHandler, finallyRegion.depth + 1);
      this.compileBody(s.finalbody);
      e.emit(Op.RERAISE, 0, s.span);
      e.bind(after);
    }
  }

  private compileFunctionDef(s: FunctionDefStmt): void {
    if (this.ctx.fn !== null) {
      this.error('E120', 'unsupported construct: nested function definitions are not supported', s.span);
      return;
    }
    const fnScope = analyzeFunction(s, this.diagnostics);
    const index = this.codes.length;
    this.codes.push(null as unknown as CodeObject);
    const saved = this.ctx;
    const emitter = new Emitter(s.name, fnScope.localNames, s.params.length, s.span.line);
    this.ctx = { emitter, fn: fnScope, blocks: [], comprehensions: [] };
    this.compileBody(s.body);
    const last = s.body[s.body.length - 1]?.span ?? s.span;
    const endSpan = { line: last.endLine, col: last.endCol, endLine: last.endLine, endCol: last.endCol };
    if (emitter.depth >= 0) {
      emitter.emit(Op.CONST, emitter.constant(null), endSpan, 'None');
      emitter.emit(Op.RETURN, 0, endSpan);
    }
    this.codes[index] = emitter.finish();
    this.ctx = saved;
    // Defaults are evaluated when the def runs, as in Python.
    let defaults = 0;
    for (const p of s.params) {
      if (p.default !== null) {
        this.compileExpr(p.default);
        defaults++;
      } else if (defaults > 0) {
        this.error('E110', 'non-default argument follows default argument', p.span);
      }
    }
    this.e.emit(Op.CONST, this.e.constant({ kind: 'code', index }), s.span, s.name);
    this.e.emit(Op.MAKE_FUNCTION, defaults, s.span, s.name);
    this.storeName(s.name, s.span);
  }

  // ---------------------------------------------------------------- expressions

  /**
   * Compile one expression. Nesting deeper than MAX_EXPR_DEPTH (a chain like `1 + 1 + ...` of
   * thousands of terms) is an E110, as CPython's "maximum recursion depth exceeded during
   * compilation", instead of overflowing the JavaScript stack.
   */
  private compileExpr(x: Expr): void {
    if (this.exprDepth >= MAX_EXPR_DEPTH) {
      if (!this.tooDeep)
        this.error(
          'E110',
          `the expression is nested too deeply to compile (more than ${MAX_EXPR_DEPTH.toLocaleString('en-US')} levels): split it into several statements`,
          x.span,
        );
      this.tooDeep = true;
      this.constant(null, x.span); // keeps the stack balanced; the program is refused anyway
      return;
    }
    this.exprDepth++;
    try {
      this.compileExprAt(x);
    } finally {
      this.exprDepth--;
    }
  }

  private compileExprAt(x: Expr): void {
    const e = this.e;
    switch (x.kind) {
      case 'Name':
        this.loadName(x.id, x.span);
        return;
      case 'Int':
        this.constant(x.value, x.span);
        return;
      case 'Float':
        this.constant({ kind: 'float', value: x.value }, x.span);
        return;
      case 'Str':
        this.constant(x.value, x.span);
        return;
      case 'Bool':
        this.constant(x.value, x.span);
        return;
      case 'None':
        this.constant(null, x.span);
        return;
      case 'FString':
        this.compileFString(x);
        return;
      case 'BinOp':
        this.compileExpr(x.left);
        this.compileExpr(x.right);
        e.emit(BINARY_OPS[x.op]!, 0, x.span);
        return;
      case 'UnaryOp':
        this.compileExpr(x.operand);
        e.emit(x.op === '-' ? Op.NEG : x.op === '+' ? Op.POS : Op.NOT, 0, x.span);
        return;
      case 'BoolOp': {
        const end = e.newLabel();
        for (let i = 0; i < x.values.length; i++) {
          this.compileExpr(x.values[i]!);
          if (i < x.values.length - 1) {
            e.emitJump(x.op === 'and' ? Op.JUMP_IF_FALSE_OR_POP : Op.JUMP_IF_TRUE_OR_POP, end, x.span);
          }
        }
        e.bind(end);
        return;
      }
      case 'Compare':
        this.compileCompare(x);
        return;
      case 'IfExp': {
        const orelse = e.newLabel();
        const end = e.newLabel();
        this.compileExpr(x.test);
        e.emitJump(Op.POP_JUMP_IF_FALSE, orelse, x.test.span);
        this.compileExpr(x.body);
        e.emitJump(Op.JUMP, end, x.span);
        e.bind(orelse);
        this.compileExpr(x.orelse);
        e.bind(end);
        return;
      }
      case 'Call':
        this.compileCall(x);
        return;
      case 'Attribute': {
        const builtin = this.staticBuiltin(x);
        if (builtin !== null) {
          e.emit(Op.BUILTIN, builtinIndex(builtin), x.span, builtin);
          return;
        }
        this.compileExpr(x.value);
        e.emit(Op.LOAD_ATTR, e.nameIndex(x.attr), x.span, x.attr);
        return;
      }
      case 'Subscript':
        this.compileExpr(x.value);
        this.compileExpr(x.index);
        e.emit(Op.LOAD_ITEM, 0, x.span, this.text(x.span));
        return;
      case 'Tuple':
        for (const elt of x.elts) this.compileExpr(elt);
        e.emit(Op.BUILD_TUPLE, x.elts.length, x.span);
        return;
      case 'List':
        for (const elt of x.elts) this.compileExpr(elt);
        e.emit(Op.BUILD_LIST, x.elts.length, x.span);
        return;
      case 'Dict':
        for (let i = 0; i < x.keys.length; i++) {
          this.compileExpr(x.keys[i]!);
          this.compileExpr(x.values[i]!);
        }
        e.emit(Op.BUILD_DICT, x.keys.length, x.span);
        return;
      case 'ListComp':
        this.compileListComp(x);
        return;
    }
  }

  private compileCompare(x: CompareExpr): void {
    const e = this.e;
    const emitOne = (op: string, span: Span): void => {
      if (op === 'is') e.emit(Op.IS, 0, span);
      else if (op === 'is not') e.emit(Op.IS, 1, span);
      else if (op === 'in') e.emit(Op.CONTAINS, 0, span);
      else if (op === 'not in') e.emit(Op.CONTAINS, 1, span);
      else e.emit(Op.COMPARE, COMPARE_OPS.indexOf(op as CompareOp), span, op);
    };
    this.compileExpr(x.left);
    if (x.ops.length === 1) {
      this.compileExpr(x.comparators[0]!);
      emitOne(x.ops[0]!, x.span);
      return;
    }
    const cleanup = e.newLabel();
    const end = e.newLabel();
    for (let i = 0; i < x.ops.length; i++) {
      this.compileExpr(x.comparators[i]!);
      if (i < x.ops.length - 1) {
        e.emit(Op.DUP, 0, x.span);
        e.emit(Op.ROT3, 0, x.span);
        emitOne(x.ops[i]!, x.span);
        e.emitJump(Op.JUMP_IF_FALSE_OR_POP, cleanup, x.span);
      } else {
        emitOne(x.ops[i]!, x.span);
      }
    }
    e.emitJump(Op.JUMP, end, x.span);
    e.bind(cleanup);
    e.emit(Op.ROT2, 0, x.span);
    e.emit(Op.POP, 0, x.span);
    e.bind(end);
  }

  private compileFString(x: FStringExpr): void {
    const e = this.e;
    let count = 0;
    for (const part of x.parts) {
      if (typeof part === 'string') {
        if (part === '') continue;
        this.constant(part, x.span);
      } else {
        this.compileExpr(part.expr);
        if (part.conversion === 'r') e.emit(Op.CONVERT_REPR, 0, part.expr.span);
        e.emit(Op.FORMAT, e.constant(part.spec ?? ''), part.expr.span, part.spec ?? '');
      }
      count++;
    }
    if (count === 0) this.constant('', x.span);
    else if (count > 1) e.emit(Op.BUILD_STRING, count, x.span);
  }

  /** Push positional args then keyword values; emit KW_NAMES when there are keywords. Returns the total count. */
  private compileArgs(call: CallExpr): number {
    for (const a of call.args) this.compileExpr(a);
    for (const k of call.keywords) this.compileExpr(k.value);
    if (call.keywords.length > 0) {
      const names: ConstValue = { kind: 'tuple', items: call.keywords.map((k) => k.name) };
      this.e.emit(
        Op.KW_NAMES,
        this.e.constant(names),
        call.span,
        call.keywords.map((k) => k.name).join(', '),
      );
    }
    return call.args.length + call.keywords.length;
  }

  private compileCall(call: CallExpr): void {
    const e = this.e;
    const f = call.func;
    const builtin = this.staticBuiltin(f);
    if (builtin !== null) {
      const visibleOp = BUILTIN_OPS.get(builtin);
      if (visibleOp !== undefined) {
        const argc = this.compileArgs(call);
        e.emit(visibleOp, argc, call.span, visibleOp === Op.PRINT ? '' : this.text(call.span));
        return;
      }
      e.emit(Op.BUILTIN, builtinIndex(builtin), f.span, builtin);
      const argc = this.compileArgs(call);
      e.emit(Op.CALL, argc, call.span, builtin);
      return;
    }
    if (f.kind === 'Attribute') {
      const method = f.attr;
      const label = this.text(f.value.span);
      if (method === 'wait_for') {
        this.compileWaitFor(call, label);
        return;
      }
      const op = METHOD_OPS[method];
      if (f.value.kind === 'Name' && STATIC_MODULES.has(f.value.id) && this.neverBound(f.value.id)) {
        // `threading.Lock()` without `import threading`: say so, not "unsupported method".
        this.error(
          'E121',
          `name '${f.value.id}' is not defined: add \`import ${f.value.id}\` at the top of the program`,
          f.value.span,
        );
        this.constant(null, call.span); // keeps the stack balanced; the program is refused anyway
        return;
      }
      if (op === undefined && !GENERIC_METHODS.includes(method)) {
        this.error(
          'E121',
          `unsupported method '.${method}()': the subset's objects have ${[...Object.keys(METHOD_OPS), 'wait_for', ...GENERIC_METHODS].join(', ')}`,
          f.span,
        );
        this.constant(null, call.span); // keep the stack shape so compilation can go on
        return;
      }
      this.compileExpr(f.value);
      const argc = this.compileArgs(call);
      if (op !== undefined) e.emit(op, argc, call.span, label);
      else e.emit(Op.METHOD, (e.nameIndex(method) << 8) | argc, call.span, `${label}.${method}`);
      return;
    }
    this.compileExpr(f);
    const argc = this.compileArgs(call);
    e.emit(Op.CALL, argc, call.span, f.kind === 'Name' ? f.id : '');
  }

  /**
   * `cond.wait_for(pred[, timeout])` is Python's loop `while not pred(): cond.wait(timeout)`,
   * so each wait is its own step; the result is the last value of `pred()`.
   */
  private compileWaitFor(call: CallExpr, label: string): void {
    const e = this.e;
    const f = call.func as Extract<Expr, { kind: 'Attribute' }>;
    const timeout = call.args[1] ?? call.keywords.find((k) => k.name === 'timeout')?.value ?? null;
    const predicate = call.args[0] ?? call.keywords.find((k) => k.name === 'predicate')?.value ?? null;
    if (predicate === null) {
      this.error('E110', 'wait_for() needs a predicate', call.span);
      this.constant(null, call.span);
      return;
    }
    const cond = e.hiddenLocal('cond');
    const pred = e.hiddenLocal('pred');
    const to = timeout !== null ? e.hiddenLocal('timeout') : -1;
    this.compileExpr(f.value);
    e.emit(Op.STORE_LOCAL, cond, f.value.span, `.${label}`);
    this.compileExpr(predicate);
    e.emit(Op.STORE_LOCAL, pred, predicate.span, '.pred');
    if (timeout !== null) {
      this.compileExpr(timeout);
      e.emit(Op.STORE_LOCAL, to, timeout.span, '.timeout');
    }
    const loop = e.newLabel();
    const timedOut = e.newLabel();
    const done = e.newLabel();
    e.bind(loop);
    e.emit(Op.LOAD_LOCAL, pred, call.span, '.pred');
    e.emit(Op.CALL, 0, call.span, 'pred');
    e.emitJump(Op.JUMP_IF_TRUE_OR_POP, done, call.span);
    e.emit(Op.LOAD_LOCAL, cond, call.span, label);
    if (timeout !== null) e.emit(Op.LOAD_LOCAL, to, call.span, '.timeout');
    e.emit(Op.WAIT, timeout !== null ? 1 : 0, call.span, label);
    e.emitJump(Op.POP_JUMP_IF_FALSE, timedOut, call.span);
    e.emitJump(Op.JUMP, loop, call.span);
    e.bind(timedOut);
    e.emit(Op.LOAD_LOCAL, pred, call.span, '.pred');
    e.emit(Op.CALL, 0, call.span, 'pred');
    e.bind(done);
  }

  private compileListComp(x: ListCompExpr): void {
    const e = this.e;
    const scope = new Map<string, number>();
    const id = this.comprehensionCount++;
    for (const name of targetNamesOf(x.target)) scope.set(name, e.hiddenLocal(`${name}.comp${id}`));
    e.emit(Op.BUILD_LIST, 0, x.span);
    const top = e.newLabel();
    const end = e.newLabel();
    const range = this.rangeArgs(x.iter);
    // The iterable is evaluated in the enclosing scope, before the comprehension's own names exist.
    if (range !== null) {
      this.pushRangeArgs(range, x.iter.span);
      e.emit(Op.SETUP_RANGE, 0, x.iter.span);
    } else {
      this.compileExpr(x.iter);
      e.emit(Op.GET_ITER, 0, x.iter.span);
    }
    this.ctx.comprehensions.push(scope);
    e.bind(top);
    e.emitJump(range !== null ? Op.FOR_RANGE : Op.FOR_ITER, end, x.span);
    this.compileStore(x.target);
    if (x.cond !== null) {
      this.compileExpr(x.cond);
      e.emitJump(Op.POP_JUMP_IF_FALSE, top, x.cond.span);
    }
    this.compileExpr(x.elt);
    e.emit(Op.LIST_APPEND, range !== null ? 4 : 2, x.span);
    e.emitJump(Op.JUMP, top, x.span);
    this.ctx.comprehensions.pop();
    e.bind(end);
  }
}

function targetNamesOf(t: Target): string[] {
  if (t.kind === 'Name') return [t.id];
  if (t.kind === 'Tuple' || t.kind === 'List') return t.elts.flatMap((x) => targetNamesOf(x as Target));
  return [];
}

function builtinIndex(name: string): number {
  const i = (BUILTIN_NAMES as readonly string[]).indexOf(name);
  if (i < 0) throw new Error(`internal error: unknown builtin ${name}`);
  return i;
}

function constLabel(value: ConstValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value.kind === 'float') return String(value.value);
  if (value.kind === 'tuple') return `(${value.items.map(constLabel).join(', ')})`;
  return '<code>';
}

function span1(): Span {
  return { line: 1, col: 1, endLine: 1, endCol: 1 };
}
