/**
 * The front end's public entry points: source text → typed AST, or diagnostics.
 *
 *     tokenize (grammar/lexer.ts) → parse (grammar/parser.ts) → build (build-ast.ts)
 *
 * Errors are data: nothing here throws for any input. A lexical error (or a `match` or
 * `type` statement, which the grammar cannot parse) makes what follows it unreliable, so only the
 * diagnostics found before the first such error are kept from the later stages: the first
 * error in the file is always reported, and nothing that is only its echo.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import { EOF } from '../../grammar/chevrotain.js';
import type * as C from '../../grammar/cst.js';
import { tokenize } from '../../grammar/lexer.js';
import { parseTokens } from '../../grammar/parser.js';
import { softKeywordStatements } from '../../grammar/soft-keywords.js';
import { Assign, Identifier, Indent } from '../../grammar/tokens.js';
import type { Expr, Module } from './ast.js';
import { buildExpression, buildModule } from './build-ast.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { unsupported } from './unsupported.js';

export interface ParseProgramResult {
  /** The module, or null when there is any diagnostic. */
  module: Module | null;
  /** Sorted by line:col; empty when the program is in the subset. */
  diagnostics: Diagnostic[];
}

/**
 * Parse a thread program. Diagnostics: E100-E106 (lexical), E110 (syntax), E120 (construct
 * outside the subset), E121 (module other than threading/time/random/sys). `file` is stored
 * in the module for reports. Never throws.
 */
export function parseProgram(source: string, file: string): ParseProgramResult {
  const lexed = tokenize(source);
  const early = [
    ...lexed.diagnostics,
    ...softKeywordStatements(lexed.tokens).map(({ kind, token: t }) =>
      unsupported(kind === 'match' ? 'match' : 'typeAlias', t.startLine!, t.startColumn!, t.image.length),
    ),
  ];
  const later: Diagnostic[] = [];
  let module: Module | null = null;
  guardDepth(later, lexed.tokens, () => {
    const parsed = parseTokens(lexed.tokens, 'file');
    if (parsed.cst === undefined) {
      later.push(...parsed.errors.slice(0, 1).map((e) => syntaxDiagnostic(e, lexed.tokens)));
      return;
    }
    const built = buildModule(parsed.cst as C.FileCstNode, file, source);
    later.push(...built.diagnostics);
    module = built.module;
  });
  const diagnostics = merge(early, later);
  return { module: diagnostics.length === 0 ? module : null, diagnostics };
}

export interface ParseExpressionResult {
  /** The expression, or null when there is any diagnostic. */
  expr: Expr | null;
  diagnostics: Diagnostic[];
}

/**
 * Parse one expression, such as the value of `--set name=value` (`2`, `-3`, `'abc'`,
 * `[1, 2]`, `True`, `1, 2`). Line breaks and leading spaces are allowed; anything after the
 * expression is an E110. Same diagnostics as parseProgram, positioned in `text`. Never throws.
 */
export function parseExpression(text: string): ParseExpressionResult {
  const lexed = tokenize(text, { mode: 'expression' });
  const later: Diagnostic[] = [];
  let expr: Expr | null = null;
  guardDepth(later, lexed.tokens, () => {
    const parsed = parseTokens(lexed.tokens, 'expressionInput');
    if (parsed.cst === undefined) {
      later.push(...parsed.errors.slice(0, 1).map((e) => syntaxDiagnostic(e, lexed.tokens)));
      return;
    }
    const built = buildExpression(parsed.cst as C.ExpressionInputCstNode);
    later.push(...built.diagnostics);
    expr = built.expr;
  });
  const diagnostics = merge(lexed.diagnostics, later);
  return { expr: diagnostics.length === 0 ? expr : null, diagnostics };
}

/**
 * Run a recursive-descent stage; a stack overflow (thousands of nested brackets or
 * operators) becomes a diagnostic rather than a crash.
 */
function guardDepth(out: Diagnostic[], tokens: readonly IToken[], stage: () => void): void {
  try {
    stage();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const at = deepestBracket(tokens);
    out.push(
      diagnostic(
        'E110',
        'the program is nested too deeply to parse: split the expression or the block',
        at?.startLine ?? 1,
        at?.startColumn ?? 1,
      ),
    );
  }
}

/** The first opening bracket at the deepest bracket nesting, where a too-deep parse gave up. */
function deepestBracket(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  let deepest = 0;
  let at: IToken | undefined;
  for (const t of tokens) {
    if (t.image === '(' || t.image === '[' || t.image === '{') {
      depth++;
      if (depth > deepest) [deepest, at] = [depth, t];
    } else if (t.image === ')' || t.image === ']' || t.image === '}') depth--;
  }
  return at;
}

function before(a: Diagnostic, b: Diagnostic): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}

/** The early diagnostics, then the later ones that come before the first early one; sorted, without duplicates. */
function merge(early: Diagnostic[], later: Diagnostic[]): Diagnostic[] {
  const barrier = early.reduce<Diagnostic | undefined>(
    (min, d) => (min === undefined || before(d, min) ? d : min),
    undefined,
  );
  const kept = barrier === undefined ? later : later.filter((d) => before(d, barrier));
  const all = [...early, ...kept].sort((a, b) => a.line - b.line || a.col - b.col);
  return all.filter((d, i) => {
    const p = all[i - 1];
    return (
      p === undefined || p.line !== d.line || p.col !== d.col || p.code !== d.code || p.message !== d.message
    );
  });
}

/** The diagnostic of a chevrotain syntax error, with a caret under the offending token. */
function syntaxDiagnostic(e: IRecognitionException, tokens: readonly IToken[]): Diagnostic {
  const tok = e.token;
  if (tok.tokenType === EOF || tok.startLine === undefined || Number.isNaN(tok.startLine)) {
    const last = tokens[tokens.length - 1];
    const line = last?.endLine ?? 1;
    // Layout tokens are zero-width: the end of the file is where they stand.
    const col = last === undefined ? 1 : last.image === '' ? last.startColumn! : last.endColumn! + 1;
    return diagnostic('E110', e.message, line, col);
  }
  if (tok.tokenType === Indent)
    return diagnostic('E103', 'unexpected indent', tok.startLine, tok.startColumn!);
  const width = tok.startLine === tok.endLine ? Math.max(1, tok.image.length) : 1;
  return diagnostic('E110', e.message + hint(e), tok.startLine, tok.startColumn!, width);
}

/** A hint for two classic slips: `if x = 1:` and Python 2's `print "x"`. */
function hint(e: IRecognitionException): string {
  const found = e.token;
  const previous = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  if (found.tokenType === Assign && e.message.startsWith("expected ':'")) return " (to compare, use '==')";
  if (
    previous?.tokenType === Identifier &&
    previous.image === 'print' &&
    e.message.startsWith('expected the end of the line')
  ) {
    return '; print is a function: print(...)';
  }
  return '';
}
