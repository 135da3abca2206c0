/**
 * CST → AST for expressions, one method per grammar rule (grammar/expression-rules.ts).
 *
 * The grammar accepts more than the subset; this is where each construct outside it is
 * named (E120, see unsupported.ts) at its own position. An unsupported expression is
 * replaced by a placeholder name so that building can go on and report later problems; the
 * module is dropped anyway when there is any diagnostic.
 *
 * Spans follow CPython's ast: a parenthesized expression keeps the span of what is inside,
 * but an operation, call or subscript around it spans its operands' text with their
 * parentheses (so `(a + b) * c` starts at the `(`), and a tuple display includes its own.
 * Compound spans are therefore taken from the CST, not from the children's AST spans.
 */
import type { IToken } from 'chevrotain';
import type * as C from '../../grammar/cst.js';
import { tokenize } from '../../grammar/lexer.js';
import { parseTokens } from '../../grammar/parser.js';
import type {
  BinaryOperator,
  CompareOperator,
  Expr,
  FStringField,
  Keyword,
  NameExpr,
  Span,
  SubscriptExpr,
  Target,
} from './ast.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { splitFString } from './fstring.js';
import {
  decodeEscapes,
  floatValue,
  intValue,
  normalizeNewlines,
  positionIn,
  splitString,
  type Position,
} from './literals.js';
import { cover, nodeSpan, tokenSpan } from './spans.js';
import { unsupported, type UnsupportedConstruct } from './unsupported.js';

/** Stands for an expression that was refused; never reaches the compiler. */
const PLACEHOLDER = '<unsupported>';

export class ExpressionBuilder {
  constructor(protected readonly diagnostics: Diagnostic[]) {}

  // ------------------------------------------------------------ helpers

  protected refuse(what: UnsupportedConstruct, at: IToken | Span): NameExpr {
    const span = 'image' in at ? tokenSpan(at) : at;
    const width = span.endLine === span.line ? span.endCol - span.col : 1;
    this.diagnostics.push(unsupported(what, span.line, span.col, Math.max(1, width)));
    return { kind: 'Name', id: PLACEHOLDER, span };
  }

  protected syntaxError(message: string, span: Span): void {
    const width = span.endLine === span.line ? span.endCol - span.col : 1;
    this.diagnostics.push(diagnostic('E110', message, span.line, span.col, Math.max(1, width)));
  }

  // ------------------------------------------------------------ lists

  /** `a`, or the tuple `a, b,` (a bare tuple: its span runs from the first to the last token). */
  expressions(node: C.ExpressionsCstNode): Expr {
    const elts = node.children.starOrTest.map((e) => this.starOrTest(e));
    if (node.children.Comma === undefined) return elts[0]!;
    return { kind: 'Tuple', elts, span: nodeSpan(node) };
  }

  /** The targets of `for` and `del`, as one expression (a tuple when there are commas). */
  targetList(node: C.TargetsCstNode): Expr {
    const elts = node.children.starOrBitwiseOr.map((e) => this.starOrBitwiseOr(e));
    if (node.children.Comma === undefined) return elts[0]!;
    return { kind: 'Tuple', elts, span: nodeSpan(node) };
  }

  starOrTest(node: C.StarOrTestCstNode): Expr {
    const c = node.children;
    return c.starred ? this.starred(c.starred[0]!) : this.test(c.test![0]!);
  }

  starOrBitwiseOr(node: C.StarOrBitwiseOrCstNode): Expr {
    const c = node.children;
    return c.starred ? this.starred(c.starred[0]!) : this.bitwiseOr(c.bitwiseOr![0]!);
  }

  starred(node: C.StarredCstNode): Expr {
    return this.refuse('starred', nodeSpan(node));
  }

  // ------------------------------------------------------------ targets

  /**
   * Check that `e` can be assigned to (a name, a subscript, or a tuple/list of targets).
   * Attributes are outside the subset (E120); literals, calls and operators are errors (E110).
   */
  toTarget(e: Expr): Target {
    switch (e.kind) {
      case 'Name':
      case 'Subscript':
        return e;
      case 'Tuple':
      case 'List':
        for (const elt of e.elts) this.toTarget(elt);
        return e;
      case 'Attribute':
        return this.refuse('attributeAssignment', e.span);
      default:
        this.syntaxError(`cannot assign to ${describeExpr(e)}`, e.span);
        return { kind: 'Name', id: PLACEHOLDER, span: e.span };
    }
  }

  // ------------------------------------------------------------ operators

  test(node: C.TestCstNode): Expr {
    const c = node.children;
    if (c.Walrus) return this.refuse('walrus', c.Walrus[0]!);
    if (c.lambdef) return this.refuse('lambda', c.lambdef[0]!.children.Lambda[0]!);
    const body = this.disjunction(c.body![0]!);
    if (c.If === undefined) return body;
    const test = this.disjunction(c.condition![0]!);
    const orelse = this.test(c.orelse![0]!);
    return { kind: 'IfExp', test, body, orelse, span: nodeSpan(node) };
  }

  disjunction(node: C.DisjunctionCstNode): Expr {
    const values = node.children.conjunction.map((n) => this.conjunction(n));
    if (values.length === 1) return values[0]!;
    return {
      kind: 'BoolOp',
      op: 'or',
      values,
      span: nodeSpan(node),
    };
  }

  conjunction(node: C.ConjunctionCstNode): Expr {
    const values = node.children.inversion.map((n) => this.inversion(n));
    if (values.length === 1) return values[0]!;
    return {
      kind: 'BoolOp',
      op: 'and',
      values,
      span: nodeSpan(node),
    };
  }

  inversion(node: C.InversionCstNode): Expr {
    const c = node.children;
    if (c.comparison) return this.comparison(c.comparison[0]!);
    const operand = this.inversion(c.inversion![0]!);
    return { kind: 'UnaryOp', op: 'not', operand, span: nodeSpan(node) };
  }

  comparison(node: C.ComparisonCstNode): Expr {
    const c = node.children;
    const left = this.bitwiseOr(c.bitwiseOr[0]!);
    if (c.compOp === undefined) return left;
    const ops = c.compOp.map(compareOperator);
    const comparators = c.bitwiseOr.slice(1).map((n) => this.bitwiseOr(n));
    return {
      kind: 'Compare',
      left,
      ops,
      comparators,
      span: nodeSpan(node),
    };
  }

  // The bitwise levels exist only to refuse their operators at the operator's position.
  bitwiseOr(node: C.BitwiseOrCstNode): Expr {
    const c = node.children;
    return c.op ? this.refuse('bitwise', c.op[0]!) : this.bitwiseXor(c.bitwiseXor[0]!);
  }

  bitwiseXor(node: C.BitwiseXorCstNode): Expr {
    const c = node.children;
    return c.op ? this.refuse('bitwise', c.op[0]!) : this.bitwiseAnd(c.bitwiseAnd[0]!);
  }

  bitwiseAnd(node: C.BitwiseAndCstNode): Expr {
    const c = node.children;
    return c.op ? this.refuse('bitwise', c.op[0]!) : this.shiftExpr(c.shiftExpr[0]!);
  }

  shiftExpr(node: C.ShiftExprCstNode): Expr {
    const c = node.children;
    return c.op ? this.refuse('bitwise', c.op[0]!) : this.sum(c.sum[0]!);
  }

  sum(node: C.SumCstNode): Expr {
    const terms = node.children.term;
    return this.leftAssociative(
      terms.map((n) => this.term(n)),
      terms.map(nodeSpan),
      node.children.op ?? [],
    );
  }

  term(node: C.TermCstNode): Expr {
    const factors = node.children.factor;
    return this.leftAssociative(
      factors.map((n) => this.factor(n)),
      factors.map(nodeSpan),
      node.children.op ?? [],
    );
  }

  /** `a - b + c` is `(a - b) + c`; each BinOp spans its operands' text, parentheses included. */
  private leftAssociative(operands: Expr[], extents: Span[], ops: IToken[]): Expr {
    let left = operands[0]!;
    ops.forEach((opToken, i) => {
      const right = operands[i + 1]!;
      if (opToken.image === '@') {
        left = this.refuse('matmul', opToken);
        return;
      }
      const op = opToken.image as BinaryOperator;
      left = { kind: 'BinOp', op, left, right, span: cover(extents[0]!, extents[i + 1]!) };
    });
    return left;
  }

  factor(node: C.FactorCstNode): Expr {
    const c = node.children;
    if (c.power) return this.power(c.power[0]!);
    const opToken = c.op![0]!;
    const operand = this.factor(c.factor![0]!);
    if (opToken.image === '~') return this.refuse('bitwise', opToken);
    const op = opToken.image as '-' | '+';
    return { kind: 'UnaryOp', op, operand, span: nodeSpan(node) };
  }

  power(node: C.PowerCstNode): Expr {
    const c = node.children;
    if (c.Await) return this.refuse('await', c.Await[0]!);
    const base = this.primary(c.primary[0]!);
    if (c.DoubleStar) return this.refuse('power', c.DoubleStar[0]!);
    return base;
  }

  // ------------------------------------------------------------ calls, subscripts, attributes

  /** An atom and its trailers; each call, subscript or attribute spans from the atom's first token. */
  primary(node: C.PrimaryCstNode): Expr {
    const atom = node.children.atom[0]!;
    let value = this.atom(atom);
    for (const trailer of node.children.trailer ?? []) {
      value = this.trailer(value, trailer, cover(nodeSpan(atom), nodeSpan(trailer)));
    }
    return value;
  }

  private trailer(value: Expr, node: C.TrailerCstNode, span: Span): Expr {
    const c = node.children;
    if (c.Dot) return { kind: 'Attribute', value, attr: c.Identifier![0]!.image, span };
    if (c.LParen) {
      const { args, keywords } = c.arguments
        ? this.callArguments(c.arguments[0]!)
        : { args: [], keywords: [] };
      return { kind: 'Call', func: value, args, keywords, span };
    }
    const sub: SubscriptExpr = { kind: 'Subscript', value, index: this.subscripts(c.subscripts![0]!), span };
    return sub;
  }

  private callArguments(node: C.ArgumentsCstNode): { args: Expr[]; keywords: Keyword[] } {
    const args: Expr[] = [];
    const keywords: Keyword[] = [];
    for (const arg of node.children.argument) {
      const c = arg.children;
      if (c.Star) {
        this.refuse('starArgs', c.Star[0]!);
        continue;
      }
      if (c.DoubleStar) {
        this.refuse('kwArgs', c.DoubleStar[0]!);
        continue;
      }
      const value = this.test(c.test![0]!);
      if (c.comprehension) {
        this.refuse('generator', nodeSpan(arg));
        continue;
      }
      if (c.keywordValue) {
        const kw = this.keyword(value, this.test(c.keywordValue[0]!), nodeSpan(arg), keywords);
        if (kw) keywords.push(kw);
        continue;
      }
      if (keywords.length > 0) this.syntaxError('positional argument follows keyword argument', value.span);
      args.push(value);
    }
    return { args, keywords };
  }

  private keyword(name: Expr, value: Expr, span: Span, seen: Keyword[]): Keyword | null {
    if (name.kind !== 'Name') {
      this.syntaxError(
        "expected a name before '=' in the call's keyword argument (to compare, use '==')",
        name.span,
      );
      return null;
    }
    if (seen.some((k) => k.name === name.id)) {
      this.syntaxError(`keyword argument repeated: '${name.id}'`, name.span);
      return null;
    }
    return { name: name.id, value, span };
  }

  /** `d[k]`, `d[a, b]` (a tuple index); slices are refused. */
  private subscripts(node: C.SubscriptsCstNode): Expr {
    const elts = node.children.subscriptItem.map((item) => {
      const c = item.children;
      if (c.sliceTail) return this.refuse('slice', nodeSpan(item));
      return this.test(c.test![0]!);
    });
    if (node.children.Comma === undefined) return elts[0]!;
    return { kind: 'Tuple', elts, span: nodeSpan(node) };
  }

  // ------------------------------------------------------------ atoms and displays

  atom(node: C.AtomCstNode): Expr {
    const c = node.children;
    if (c.Identifier) return { kind: 'Name', id: c.Identifier[0]!.image, span: tokenSpan(c.Identifier[0]!) };
    if (c.IntLiteral) return this.int(c.IntLiteral[0]!);
    if (c.FloatLiteral)
      return { kind: 'Float', value: floatValue(c.FloatLiteral[0]!), span: tokenSpan(c.FloatLiteral[0]!) };
    if (c.StringLiteral) return this.strings(c.StringLiteral);
    if (c.True) return { kind: 'Bool', value: true, span: tokenSpan(c.True[0]!) };
    if (c.False) return { kind: 'Bool', value: false, span: tokenSpan(c.False[0]!) };
    if (c.None) return { kind: 'None', span: tokenSpan(c.None[0]!) };
    if (c.parenthesized) return this.parenthesized(c.parenthesized[0]!);
    if (c.listDisplay) return this.listDisplay(c.listDisplay[0]!);
    if (c.braceDisplay) return this.braceDisplay(c.braceDisplay[0]!);
    if (c.yieldExpr) return this.refuse('yield', c.yieldExpr[0]!.children.Yield[0]!);
    if (c.ImaginaryLiteral) return this.refuse('complex', c.ImaginaryLiteral[0]!);
    return this.refuse('ellipsis', c.Ellipsis![0]!);
  }

  private int(tok: IToken): Expr {
    const value = intValue(tok);
    if (typeof value === 'number') return { kind: 'Int', value, span: tokenSpan(tok) };
    this.diagnostics.push(value);
    return { kind: 'Int', value: 0, span: tokenSpan(tok) };
  }

  private parenthesized(node: C.ParenthesizedCstNode): Expr {
    const c = node.children;
    const span = nodeSpan(node);
    if (c.starOrTest === undefined) return { kind: 'Tuple', elts: [], span };
    if (c.comprehension) return this.refuse('generator', span);
    const elts = c.starOrTest.map((e) => this.starOrTest(e));
    if (c.Comma === undefined) return elts[0]!;
    return { kind: 'Tuple', elts, span };
  }

  private listDisplay(node: C.ListDisplayCstNode): Expr {
    const c = node.children;
    const span = nodeSpan(node);
    if (c.starOrTest === undefined) return { kind: 'List', elts: [], span };
    const first = this.starOrTest(c.starOrTest[0]!);
    if (c.comprehension) return this.listComp(first, c.comprehension[0]!, span);
    const rest = c.starOrTest.slice(1).map((e) => this.starOrTest(e));
    return { kind: 'List', elts: [first, ...rest], span };
  }

  /** `[elt for target in iter if cond]`: one `for`, at most one `if`. */
  private listComp(elt: Expr, node: C.ComprehensionCstNode, span: Span): Expr {
    const { compFor, compIf = [] } = node.children;
    if (compFor.length > 1) return this.refuse('multipleFor', compFor[1]!.children.For[0]!);
    if (compIf.length > 1) return this.refuse('multipleIf', compIf[1]!.children.If[0]!);
    const f = compFor[0]!.children;
    if (f.Async) return this.refuse('async', f.Async[0]!);
    const target = this.toTarget(this.targetList(f.targets[0]!));
    const iter = this.disjunction(f.disjunction[0]!);
    const cond = compIf.length === 1 ? this.disjunction(compIf[0]!.children.disjunction[0]!) : null;
    return { kind: 'ListComp', elt, target, iter, cond, span };
  }

  /** `{}` and `{k: v, ...}`; sets, `**d` and brace comprehensions are refused. */
  private braceDisplay(node: C.BraceDisplayCstNode): Expr {
    const c = node.children;
    const span = nodeSpan(node);
    const items = c.braceItem ?? [];
    const first = items[0]?.children;
    if (first === undefined) return { kind: 'Dict', keys: [], values: [], span };
    const isDict = first.value !== undefined || first.DoubleStar !== undefined;
    if (c.comprehension)
      return this.refuse(isDict ? 'dictComprehension' : 'setComprehension', tokenSpan(c.LBrace[0]!));
    if (!isDict) return this.refuse('set', tokenSpan(c.LBrace[0]!));
    const keys: Expr[] = [];
    const values: Expr[] = [];
    for (const item of items) {
      const i = item.children;
      if (i.DoubleStar) {
        this.refuse('dictUnpacking', i.DoubleStar[0]!);
      } else if (i.value === undefined) {
        this.syntaxError("expected ':' after the dict key", nodeSpan(item));
      } else {
        keys.push(this.test(i.key![0]!));
        values.push(this.test(i.value[0]!));
      }
    }
    return { kind: 'Dict', keys, values, span };
  }

  // ------------------------------------------------------------ strings

  /** Adjacent literals are one string (`'a' 'b'`); with any f-string among them, an FString. */
  private strings(tokens: IToken[]): Expr {
    const span = cover(tokenSpan(tokens[0]!), tokenSpan(tokens[tokens.length - 1]!));
    const parts: (string | FStringField)[] = [];
    let fstring = false;
    for (const tok of tokens) {
      const s = splitString(tok);
      if (s.bytes) return this.refuse('bytes', tok);
      const at = (i: number): Position => positionIn(tok, s.bodyOffset + i);
      if (s.fstring) {
        fstring = true;
        if (!this.fstringParts(s.body, s.raw, at, parts)) return { kind: 'Name', id: PLACEHOLDER, span };
      } else {
        appendText(parts, this.literalText(s.body, s.raw, at));
      }
    }
    if (!fstring) return { kind: 'Str', value: parts.length === 0 ? '' : (parts[0] as string), span };
    return { kind: 'FString', parts, span };
  }

  /** The value of literal text: escapes applied unless raw, line breaks as `\n`. */
  private literalText(text: string, raw: boolean, at: (i: number) => Position): string {
    return raw ? normalizeNewlines(text) : decodeEscapes(text, at, this.diagnostics);
  }

  /** Append the text and fields of an f-string body to `parts`; false after reporting a bad one. */
  private fstringParts(
    body: string,
    raw: boolean,
    at: (i: number) => Position,
    parts: (string | FStringField)[],
  ): boolean {
    const split = splitFString(body);
    if (!split.ok) {
      const { line, col } = at(split.error.offset);
      const e = split.error;
      if (e.kind === 'unsupported') this.diagnostics.push(unsupported(e.what, line, col));
      else this.diagnostics.push(diagnostic('E106', `bad f-string: ${e.message}`, line, col));
      return false;
    }
    for (const piece of split.pieces) {
      if (piece.kind === 'brace') appendText(parts, piece.char);
      else if (piece.kind === 'text')
        appendText(
          parts,
          this.literalText(piece.raw, raw, (i) => at(piece.offset + i)),
        );
      else {
        const expr = this.fieldExpression(piece.expr, at(piece.exprOffset));
        parts.push({ expr, conversion: piece.conversion, spec: piece.spec });
      }
    }
    return true;
  }

  /** Parse the expression of an f-string field in place: its spans point into the file. */
  private fieldExpression(text: string, origin: Position): Expr {
    const lexed = tokenize(text, { mode: 'expression', origin });
    const placeholder: NameExpr = {
      kind: 'Name',
      id: PLACEHOLDER,
      span: { line: origin.line, col: origin.col, endLine: origin.line, endCol: origin.col + 1 },
    };
    const first = lexed.diagnostics[0];
    if (first !== undefined) {
      this.diagnostics.push({ ...first, code: 'E106', message: `bad f-string field: ${first.message}` });
      return placeholder;
    }
    const parsed = parseTokens(lexed.tokens, 'expressionInput');
    const error = parsed.errors[0];
    if (parsed.cst === undefined || error !== undefined) {
      const tok = error?.token;
      const at =
        tok?.startLine === undefined || Number.isNaN(tok.startLine)
          ? origin
          : { line: tok.startLine, col: tok.startColumn! };
      this.diagnostics.push(
        diagnostic('E106', `bad f-string field: ${error?.message ?? 'cannot parse'}`, at.line, at.col),
      );
      return placeholder;
    }
    return this.expressions((parsed.cst as C.ExpressionInputCstNode).children.expressions[0]!);
  }
}

/** Append literal text, merging it with the text before (parts never hold two strings in a row). */
function appendText(parts: (string | FStringField)[], text: string): void {
  if (text === '') return;
  const last = parts[parts.length - 1];
  if (typeof last === 'string') parts[parts.length - 1] = last + text;
  else parts.push(text);
}

function compareOperator(node: C.CompOpCstNode): CompareOperator {
  const c = node.children;
  if (c.Is) return c.Not ? 'is not' : 'is';
  if (c.Not) return 'not in';
  if (c.In) return 'in';
  const tok = (c.Less ?? c.LessEqual ?? c.Greater ?? c.GreaterEqual ?? c.EqualEqual ?? c.NotEqual)![0]!;
  return tok.image as CompareOperator;
}

/** `a function call`, `a literal`, ... for `cannot assign to ...`. */
export function describeExpr(e: Expr): string {
  switch (e.kind) {
    case 'Call':
      return 'a function call';
    case 'Int':
    case 'Float':
    case 'Str':
    case 'FString':
      return 'a literal';
    case 'Bool':
      return e.value ? 'True' : 'False';
    case 'None':
      return 'None';
    case 'Compare':
      return 'a comparison';
    case 'IfExp':
      return 'a conditional expression';
    case 'Dict':
      return 'a dict display';
    case 'ListComp':
      return 'a list comprehension';
    default:
      return 'an expression';
  }
}
