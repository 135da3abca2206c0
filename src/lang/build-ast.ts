/**
 * CST → AST: turns the chevrotain CST of a whole file (grammar/parser.ts) into the typed
 * AST of ast.ts. Expressions are built by ExpressionBuilder (build-expr.ts); this file
 * handles statements and blocks.
 *
 * Invariants:
 * - It runs only on a CST without syntax errors, so every child the grammar requires is present.
 * - Every construct outside the subset that the grammar accepts is reported here (E120, E121)
 *   at its own line:col, and building goes on so that later problems are reported too.
 * - A compound statement's span runs from its keyword to the end of its last body statement;
 *   `elif` becomes an If nested in `orelse`, whose span starts at the `elif`.
 */
import type { IToken } from 'chevrotain';
import type * as C from '../../grammar/cst.js';
import type {
  ExceptHandler,
  Expr,
  FunctionDefStmt,
  IfStmt,
  ImportAlias,
  Module,
  Param,
  Span,
  Stmt,
  SubscriptExpr,
} from './ast.js';
import { InternalError, type Diagnostic } from '../base/diagnostics.js';
import { describeExpr, ExpressionBuilder } from './build-expr.js';
import { cover, nodeSpan, tokenSpan } from './spans.js';
import { IMPORTABLE_MODULES, unsupportedModule } from './unsupported.js';

/** Where a statement sits: functions may be defined only directly in the module. */
type Place = 'module' | 'block' | 'function';

const AUGMENTED: Record<string, '+' | '-' | '*' | '/' | '//' | '%'> = {
  '+=': '+',
  '-=': '-',
  '*=': '*',
  '/=': '/',
  '//=': '//',
  '%=': '%',
};

/**
 * Build the Module of a file's CST. Returns the module and the diagnostics found while
 * building (E105 E106 E110 E120 E121); the module is meaningful only when there are none.
 */
export function buildModule(
  cst: C.FileCstNode,
  file: string,
  source: string,
): { module: Module; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const builder = new StatementBuilder(diagnostics);
  const body = (cst.children.statement ?? []).flatMap((s) => builder.statement(s, 'module'));
  return { module: { body, file, source }, diagnostics };
}

/** Build the one expression of an `expressionInput` CST (`--set` values). */
export function buildExpression(cst: C.ExpressionInputCstNode): { expr: Expr; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const expr = new ExpressionBuilder(diagnostics).expressions(cst.children.expressions[0]!);
  return { expr, diagnostics };
}

/** The end of a body: its last statement, or the header when every statement was refused. */
function endOf(body: Stmt[], header: Span): Span {
  return body[body.length - 1]?.span ?? header;
}

class StatementBuilder extends ExpressionBuilder {
  statement(node: C.StatementCstNode, place: Place): Stmt[] {
    const c = node.children;
    if (c.simpleStmts) return this.simpleStmts(c.simpleStmts[0]!);
    if (c.ifStmt) return [this.ifStmt(c.ifStmt[0]!, place)];
    if (c.whileStmt) return [this.whileStmt(c.whileStmt[0]!, place)];
    if (c.forStmt) return [this.forStmt(c.forStmt[0]!, place)];
    if (c.tryStmt) return [this.tryStmt(c.tryStmt[0]!, place)];
    if (c.withStmt) return [this.withStmt(c.withStmt[0]!, place)];
    if (c.funcDef) return this.funcDef(c.funcDef[0]!, place);
    if (c.classDef) this.refuse('class', c.classDef[0]!.children.Class[0]!);
    else if (c.decorated) this.refuse('decorator', c.decorated[0]!.children.At[0]!);
    else if (c.asyncStmt) this.refuse('async', c.asyncStmt[0]!.children.Async[0]!);
    return [];
  }

  /** The statements of a block; a block at module level is no longer the module. */
  private block(node: C.BlockCstNode, place: Place): Stmt[] {
    const inner: Place = place === 'module' ? 'block' : place;
    const c = node.children;
    if (c.simpleStmts) return this.simpleStmts(c.simpleStmts[0]!);
    return (c.statement ?? []).flatMap((s) => this.statement(s, inner));
  }

  private simpleStmts(node: C.SimpleStmtsCstNode): Stmt[] {
    const out: Stmt[] = [];
    for (const small of node.children.smallStmt) {
      const stmt = this.smallStmt(small);
      if (stmt !== null) out.push(stmt);
    }
    return out;
  }

  // ------------------------------------------------------------ simple statements

  private smallStmt(node: C.SmallStmtCstNode): Stmt | null {
    const c = node.children;
    const span = nodeSpan(node);
    if (c.Pass) return { kind: 'Pass', span };
    if (c.Break) return { kind: 'Break', span };
    if (c.Continue) return { kind: 'Continue', span };
    if (c.exprStmt) return this.exprStmt(c.exprStmt[0]!, span);
    if (c.returnStmt) {
      const value = c.returnStmt[0]!.children.expressions;
      return { kind: 'Return', value: value ? this.expressions(value[0]!) : null, span };
    }
    if (c.raiseStmt) return this.raiseStmt(c.raiseStmt[0]!, span);
    if (c.globalStmt)
      return { kind: 'Global', names: c.globalStmt[0]!.children.Identifier.map((t) => t.image), span };
    if (c.nonlocalStmt) {
      this.refuse('nonlocal', c.nonlocalStmt[0]!.children.Nonlocal[0]!);
      return null;
    }
    if (c.delStmt) return this.delStmt(c.delStmt[0]!, span);
    if (c.assertStmt) {
      const a = c.assertStmt[0]!.children;
      const msg = a.message ? this.test(a.message[0]!) : null;
      return { kind: 'Assert', test: this.test(a.condition[0]!), msg, span };
    }
    if (c.importStmt) return this.importStmt(c.importStmt[0]!, span);
    return this.fromImportStmt(c.fromImportStmt![0]!, span);
  }

  /** `e`, `a = b = e`, `x op= e`; annotations are refused. */
  private exprStmt(node: C.ExprStmtCstNode, span: Span): Stmt | null {
    const c = node.children;
    if (c.annotation) {
      this.refuse('annotation', c.Colon![0]!);
      return null;
    }
    const exprs = c.expressions.map((e) => this.expressions(e));
    if (c.AugAssign) return this.augAssign(exprs[0]!, c.AugAssign[0]!, exprs[1]!, span);
    const value = exprs[exprs.length - 1]!;
    if (exprs.length === 1) return { kind: 'Expr', value, span };
    const targets = exprs.slice(0, -1).map((e) => this.toTarget(e));
    return { kind: 'Assign', targets, value, span };
  }

  private augAssign(target: Expr, opToken: IToken, value: Expr, span: Span): Stmt | null {
    const op = AUGMENTED[opToken.image];
    if (op === undefined) {
      const what = opToken.image === '**=' ? 'power' : opToken.image === '@=' ? 'matmul' : 'bitwise';
      this.refuse(what, opToken);
      return null;
    }
    if (target.kind === 'Attribute') {
      this.refuse('attributeAssignment', target.span);
      return null;
    }
    if (target.kind !== 'Name' && target.kind !== 'Subscript') {
      this.syntaxError(
        `'${opToken.image}' needs a name or a subscript on its left, not ${describeExpr(target)}`,
        target.span,
      );
      return null;
    }
    return { kind: 'AugAssign', target, op, value, span };
  }

  private raiseStmt(node: C.RaiseStmtCstNode, span: Span): Stmt | null {
    const c = node.children;
    if (c.From) {
      this.refuse('raiseFrom', c.From[0]!);
      return null;
    }
    return { kind: 'Raise', exc: c.exception ? this.test(c.exception[0]!) : null, span };
  }

  /** `del d[k], e[j]`: only subscripts (and tuples of them) can be deleted. */
  private delStmt(node: C.DelStmtCstNode, span: Span): Stmt | null {
    const targets: SubscriptExpr[] = [];
    const visit = (e: Expr): void => {
      if (e.kind === 'Subscript') targets.push(e);
      else if (e.kind === 'Tuple' || e.kind === 'List') e.elts.forEach(visit);
      else if (e.kind === 'Name' || e.kind === 'Attribute') this.refuse('delName', e.span);
      else this.syntaxError(`cannot delete ${describeExpr(e)}`, e.span);
    };
    visit(this.targetList(node.children.targets[0]!));
    return { kind: 'Delete', targets, span };
  }

  private importStmt(node: C.ImportStmtCstNode, span: Span): Stmt {
    const modules = node.children.dottedAsName.map((item) => {
      const dotted = item.children.dottedName[0]!;
      const name = dotted.children.Identifier.map((t) => t.image).join('.');
      if (!IMPORTABLE_MODULES.includes(name)) this.refuseModule(name, nodeSpan(dotted));
      if (item.children.As) this.refuse('importAs', item.children.As[0]!);
      return name;
    });
    return { kind: 'Import', modules, span };
  }

  private fromImportStmt(node: C.FromImportStmtCstNode, span: Span): Stmt {
    const c = node.children;
    const dots = (c.relative ?? []).map((t) => t.image).join('');
    const dotted = c.dottedName?.[0];
    const module = dots + (dotted ? dotted.children.Identifier.map((t) => t.image).join('.') : '');
    if (!IMPORTABLE_MODULES.includes(module)) {
      const start = c.relative?.[0] ? tokenSpan(c.relative[0]) : nodeSpan(dotted!);
      this.refuseModule(module, cover(start, dotted ? nodeSpan(dotted) : start));
    }
    if (c.Star) this.refuse('importStar', c.Star[0]!);
    const list = c.importNames?.[0]?.children;
    const commas = list?.Comma ?? [];
    if (c.LParen === undefined && commas.length > 0 && commas.length === list!.importName.length) {
      const comma = tokenSpan(commas[commas.length - 1]!);
      this.syntaxError('trailing comma not allowed without surrounding parentheses', comma);
    }
    const names: ImportAlias[] = (list?.importName ?? []).map((n) => ({
      name: n.children.name[0]!.image,
      asname: n.children.asname?.[0]!.image ?? null,
      span: nodeSpan(n),
    }));
    return { kind: 'ImportFrom', module, names, span };
  }

  private refuseModule(name: string, span: Span): void {
    this.diagnostics.push(unsupportedModule(name, span.line, span.col));
  }

  // ------------------------------------------------------------ compound statements

  private ifStmt(node: C.IfStmtCstNode, place: Place): IfStmt {
    const c = node.children;
    const tests = c.test.map((t) => this.test(t));
    const bodies = c.block.map((b) => this.block(b, place));
    const keywords = [c.If[0]!, ...(c.Elif ?? [])];
    const elseBody = c.elseClause ? this.block(c.elseClause[0]!.children.block[0]!, place) : [];
    // Build the elif chain from the last clause back: each one is the orelse of the one before.
    let orelse: Stmt[] = elseBody;
    let end = endOf(elseBody, endOf(bodies[bodies.length - 1]!, tokenSpan(c.Colon[c.Colon.length - 1]!)));
    for (let i = tests.length - 1; i >= 0; i--) {
      const stmt: IfStmt = {
        kind: 'If',
        test: tests[i]!,
        body: bodies[i]!,
        orelse,
        span: cover(tokenSpan(keywords[i]!), end),
      };
      if (i === 0) return stmt;
      orelse = [stmt];
      end = stmt.span;
    }
    throw new InternalError('an if statement without a test');
  }

  private whileStmt(node: C.WhileStmtCstNode, place: Place): Stmt {
    const c = node.children;
    const test = this.test(c.test[0]!);
    const body = this.block(c.block[0]!, place);
    if (c.elseClause) this.refuse('whileElse', c.elseClause[0]!.children.Else[0]!);
    return {
      kind: 'While',
      test,
      body,
      span: cover(tokenSpan(c.While[0]!), endOf(body, tokenSpan(c.Colon[0]!))),
    };
  }

  private forStmt(node: C.ForStmtCstNode, place: Place): Stmt {
    const c = node.children;
    const target = this.toTarget(this.targetList(c.targets[0]!));
    const iter = this.expressions(c.expressions[0]!);
    const body = this.block(c.block[0]!, place);
    if (c.elseClause) this.refuse('forElse', c.elseClause[0]!.children.Else[0]!);
    return {
      kind: 'For',
      target,
      iter,
      body,
      span: cover(tokenSpan(c.For[0]!), endOf(body, tokenSpan(c.Colon[0]!))),
    };
  }

  private tryStmt(node: C.TryStmtCstNode, place: Place): Stmt {
    const c = node.children;
    const body = this.block(c.block[0]!, place);
    const handlers = (c.exceptClause ?? []).map((h) => this.exceptClause(h, place));
    handlers.slice(0, -1).forEach((h, i) => {
      if (h.type === null) {
        this.syntaxError(
          "a bare 'except:' must be the last except clause",
          tokenSpan(c.exceptClause![i]!.children.Except[0]!),
        );
      }
    });
    const orelse = c.elseClause ? this.block(c.elseClause[0]!.children.block[0]!, place) : [];
    const finalbody = c.finallyClause ? this.block(c.finallyClause[0]!.children.block[0]!, place) : [];
    let end = endOf(body, tokenSpan(c.Colon[0]!));
    end = handlers[handlers.length - 1]?.span ?? end;
    end = endOf(orelse, end);
    end = endOf(finalbody, end);
    return { kind: 'Try', body, handlers, orelse, finalbody, span: cover(tokenSpan(c.Try[0]!), end) };
  }

  private exceptClause(node: C.ExceptClauseCstNode, place: Place): ExceptHandler {
    const c = node.children;
    if (c.Star) this.refuse('exceptStar', c.Star[0]!);
    const type = c.test ? this.test(c.test[0]!) : null;
    const body = this.block(c.block[0]!, place);
    return {
      type,
      name: c.Identifier?.[0]!.image ?? null,
      body,
      span: cover(tokenSpan(c.Except[0]!), endOf(body, tokenSpan(c.Colon[0]!))),
    };
  }

  /** `with a, b:`; `with (a, b):` also means two items, as in Python 3.9+. */
  private withStmt(node: C.WithStmtCstNode, place: Place): Stmt {
    const c = node.children;
    let items = c.withItem.map((item) => {
      if (item.children.As) this.refuse('withAs', item.children.As[0]!);
      return this.test(item.children.test[0]!);
    });
    const only = items[0]!;
    if (items.length === 1 && only.kind === 'Tuple' && only.elts.length > 0) items = only.elts;
    const body = this.block(c.block[0]!, place);
    return {
      kind: 'With',
      items,
      body,
      span: cover(tokenSpan(c.With[0]!), endOf(body, tokenSpan(c.Colon[0]!))),
    };
  }

  private funcDef(node: C.FuncDefCstNode, place: Place): Stmt[] {
    const c = node.children;
    if (place !== 'module') {
      this.refuse(place === 'function' ? 'nestedDef' : 'defInBlock', c.Def[0]!);
      return [];
    }
    if (c.returns) this.refuse('annotation', c.Arrow![0]!);
    const params = this.params(c.params?.[0]?.children.param ?? []);
    const body = this.block(c.block[0]!, 'function');
    const def: FunctionDefStmt = {
      kind: 'FunctionDef',
      name: c.Identifier[0]!.image,
      params,
      body,
      span: cover(tokenSpan(c.Def[0]!), endOf(body, tokenSpan(c.Colon[0]!))),
    };
    return [def];
  }

  /** Plain parameters with optional defaults; the rest of Python's parameter forms are refused. */
  private params(nodes: C.ParamCstNode[]): Param[] {
    const params: Param[] = [];
    for (const node of nodes) {
      const c = node.children;
      if (c.annotation) this.refuse('annotation', c.Colon![0]!);
      if (c.DoubleStar) this.refuse('kwargs', c.DoubleStar[0]!);
      else if (c.Star) this.refuse(c.varargs ? 'varargs' : 'keywordOnly', c.Star[0]!);
      else if (c.Slash) this.refuse('positionalOnly', c.Slash[0]!);
      if (c.name === undefined) continue;
      const name = c.name[0]!;
      const span = nodeSpan(node);
      const value = c.default ? this.test(c.default[0]!) : null;
      if (params.some((p) => p.name === name.image)) {
        this.syntaxError(`duplicate parameter '${name.image}' in function definition`, tokenSpan(name));
      } else if (value === null && params.some((p) => p.default !== null)) {
        this.syntaxError('parameter without a default follows parameter with a default', tokenSpan(name));
      }
      params.push({ name: name.image, default: value, span });
    }
    return params;
  }
}
