/**
 * The tokenizer: chevrotain's lexer for the words, then an indentation pass that turns
 * physical lines into Python's logical lines, exactly as CPython's tokenizer does:
 *
 * - a line break ends a logical line (NEWLINE) unless a bracket is open (implicit joining)
 *   or the line ends with `\` (explicit joining); blank and comment-only lines give nothing;
 * - the first token of a logical line is compared with the indent stack: deeper pushes one
 *   INDENT, shallower pops one DEDENT per level and must land on a level of the stack;
 * - at the end of the file: a NEWLINE if the last line had tokens, then one DEDENT per open level.
 *
 * Invariant: every piece of state (indent stack, open brackets) lives in one `tokenize` call.
 */
import type { ILexingError, IToken, TokenType } from 'chevrotain';
import { createTokenInstance, Lexer } from './chevrotain.js';
import { diagnostic, type Diagnostic } from '../src/base/diagnostics.js';
import {
  CLOSING_BRACKETS,
  Continuation,
  Dedent,
  Indent,
  Invalid,
  LineBreak,
  lexerTokens,
  Newline,
  OPENING_BRACKETS,
  UnterminatedString,
} from './tokens.js';

/** Where the text starts in its file: f-string fields are tokenized in place. */
export interface Origin {
  line: number;
  col: number;
}

export interface TokenizeOptions {
  /**
   * 'file' (default) tracks indentation; 'expression' treats the whole text as one logical
   * line, the way the inside of brackets is (used for `--set` values and f-string fields).
   */
  mode?: 'file' | 'expression';
  /** Position of the text's first character; default 1:1. */
  origin?: Origin;
}

export interface TokenizeResult {
  /** Significant tokens with NEWLINE/INDENT/DEDENT inserted; no EOF (the parser adds it). */
  tokens: IToken[];
  /** E100 E101 E102 E104 and E110 for unbalanced brackets, in source order. */
  diagnostics: Diagnostic[];
}

const lexer = new Lexer(lexerTokens, { positionTracking: 'full', ensureOptimizations: false });

/**
 * Tokenize a thread program (or one expression). Never throws: what cannot be read (an
 * unknown character, an unterminated string) is reported as a diagnostic and stays in
 * `tokens` as an Invalid token, so that the parser stops right there.
 */
export function tokenize(source: string, options: TokenizeOptions = {}): TokenizeResult {
  // A UTF-8 byte order mark is not part of the program (Python skips it too).
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lexed = lexer.tokenize(text);
  const diagnostics = lexed.errors.map((e) => unknownCharacter(text, e));
  const raw = [...lexed.tokens, ...lexed.errors.map((e) => invalidToken(text, e))];
  raw.sort((a, b) => a.startOffset - b.startOffset);
  const tokens = layout(text, raw, options.mode ?? 'file', diagnostics);
  const origin = options.origin;
  if (origin !== undefined && (origin.line !== 1 || origin.col !== 1)) {
    for (const t of tokens) shiftToken(t, origin);
    for (const d of diagnostics) {
      if (d.line === 1) d.col += origin.col - 1;
      d.line += origin.line - 1;
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
  return { tokens, diagnostics };
}

/** The run of characters chevrotain could not match, as one Invalid token. */
function invalidToken(text: string, e: ILexingError): IToken {
  const { offset, length, line = 1, column = 1 } = e;
  const image = text.slice(offset, offset + length);
  return createTokenInstance(
    Invalid,
    image,
    offset,
    offset + length - 1,
    line,
    line,
    column,
    column + length - 1,
  );
}

/** E100 naming the first character of an unknown run, with a hint for the usual suspects. */
function unknownCharacter(text: string, e: ILexingError): Diagnostic {
  const { offset, length, line = 1, column = 1 } = e;
  const ch = String.fromCodePoint(text.codePointAt(offset) ?? 0);
  const code = ch.codePointAt(0) ?? 0;
  const shown =
    code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
  let hint = '';
  if (ch === '!') hint = ": use 'not' for negation and '!=' for inequality";
  else if ('\u2018\u2019\u201c\u201d'.includes(ch)) hint = ': use a plain \' or " to quote strings';
  else if (/\p{L}/u.test(ch)) hint = ': names use ASCII letters, digits and _';
  return diagnostic('E100', `unexpected character ${shown}${hint}`, line, column, length);
}

/** The indentation pass (see the file comment). Reports into `diagnostics`. */
function layout(
  text: string,
  raw: IToken[],
  mode: 'file' | 'expression',
  diagnostics: Diagnostic[],
): IToken[] {
  const out: IToken[] = [];
  const indents = [0];
  const open: IToken[] = [];
  let lineStart = 0; // offset of the current physical line's first character
  let atLogicalLineStart = true;
  // Where the logical line's indentation is read: its first token, or a `\` before any token
  // (CPython takes the indentation of the first physical line of a joined line).
  let indentAt: { lineStart: number; tok: IToken } | undefined;
  let last: IToken | undefined; // the last significant token emitted (Invalid ones included)

  for (let tok of raw) {
    if (tok.tokenType === LineBreak) {
      lineStart = tok.endOffset! + 1;
      if (open.length > 0 || mode === 'expression') continue;
      if (!atLogicalLineStart && last !== undefined) out.push(after(Newline, last));
      atLogicalLineStart = true;
      indentAt = undefined;
      continue;
    }
    if (tok.tokenType === Continuation) {
      if (atLogicalLineStart && indentAt === undefined) indentAt = { lineStart, tok };
      lineStart = tok.endOffset! + 1;
      continue;
    }
    if (tok.tokenType === UnterminatedString) tok = unterminated(tok, diagnostics);
    if (atLogicalLineStart && open.length === 0 && mode === 'file') {
      const from = indentAt ?? { lineStart, tok };
      indent(text, from.lineStart, from.tok, indents, out, diagnostics);
    }
    indentAt = undefined;
    atLogicalLineStart = false;
    pairBrackets(tok, open, diagnostics);
    out.push(tok);
    last = tok;
  }

  if (open.length > 0) {
    const b = open[open.length - 1]!;
    diagnostics.push(diagnostic('E110', `'${b.image}' was never closed`, b.startLine!, b.startColumn!));
  }
  if (last !== undefined) {
    if (!atLogicalLineStart || mode === 'expression') out.push(after(Newline, last));
    while (indents.length > 1) {
      indents.pop();
      out.push(after(Dedent, last));
    }
  }
  return out;
}

/** Report E104 at the opening quote; the string stays in the stream as an Invalid token. */
function unterminated(tok: IToken, diagnostics: Diagnostic[]): IToken {
  const quote = /^[a-zA-Z]*('''|"""|'|")/.exec(tok.image)![1]!;
  const message = `unterminated string: the closing ${quote} is missing`;
  diagnostics.push(diagnostic('E104', message, tok.startLine!, tok.startColumn!));
  const { image, startOffset, endOffset, startLine, endLine, startColumn, endColumn } = tok;
  return createTokenInstance(
    Invalid,
    image,
    startOffset,
    endOffset!,
    startLine!,
    endLine!,
    startColumn!,
    endColumn!,
  );
}

/** Compare the first token of a logical line with the indent stack; push INDENT/DEDENTs. */
function indent(
  text: string,
  lineStart: number,
  tok: IToken,
  indents: number[],
  out: IToken[],
  diagnostics: Diagnostic[],
): void {
  const leading = text.slice(lineStart, tok.startOffset);
  if (leading.includes('\t')) {
    // Reported once, like CPython: a file indented with tabs has a tab on every block line.
    if (!diagnostics.some((d) => d.code === 'E101')) {
      const col = tok.startColumn! - leading.length + leading.indexOf('\t');
      diagnostics.push(diagnostic('E101', 'tab in indentation: indent with spaces', tok.startLine!, col));
    }
    return; // its width is meaningless: keep the current level rather than invent a dedent error
  }
  const width = tok.startColumn! - 1;
  const top = indents[indents.length - 1]!;
  if (width > top) {
    indents.push(width);
    out.push(at(Indent, tok));
    return;
  }
  while (width < indents[indents.length - 1]!) {
    indents.pop();
    out.push(at(Dedent, tok));
  }
  if (width !== indents[indents.length - 1]) {
    diagnostics.push(
      diagnostic(
        'E102',
        'unindent does not match any outer indentation level',
        tok.startLine!,
        tok.startColumn!,
      ),
    );
    indents.push(width); // carry on as if this level had been opened, to find later errors
  }
}

/** Track open brackets; a closing bracket must match the innermost open one. */
function pairBrackets(tok: IToken, open: IToken[], diagnostics: Diagnostic[]): void {
  if (OPENING_BRACKETS.has(tok.tokenType)) {
    open.push(tok);
    return;
  }
  if (!CLOSING_BRACKETS.has(tok.tokenType)) return;
  const opener = open.pop();
  if (opener === undefined) {
    diagnostics.push(diagnostic('E110', `unmatched '${tok.image}'`, tok.startLine!, tok.startColumn!));
  } else if (OPENING_BRACKETS.get(opener.tokenType) !== tok.image) {
    const where = opener.startLine === tok.startLine ? '' : ` on line ${opener.startLine}`;
    diagnostics.push(
      diagnostic(
        'E110',
        `closing bracket '${tok.image}' does not match opening bracket '${opener.image}'${where}`,
        tok.startLine!,
        tok.startColumn!,
      ),
    );
  }
}

/** A zero-width layout token just after `prev` (NEWLINE at the end of its line). */
function after(type: TokenType, prev: IToken): IToken {
  const offset = prev.endOffset! + 1;
  const col = prev.endColumn! + 1;
  return createTokenInstance(type, '', offset, offset, prev.endLine!, prev.endLine!, col, col);
}

/** A zero-width layout token at `tok` (INDENT/DEDENT before a line's first token). */
function at(type: TokenType, tok: IToken): IToken {
  const { startOffset: o, startLine: l, startColumn: c } = tok;
  return createTokenInstance(type, '', o, o, l!, l!, c!, c!);
}

function shiftToken(t: IToken, origin: Origin): void {
  if (t.startLine === 1) t.startColumn! += origin.col - 1;
  if (t.endLine === 1) t.endColumn! += origin.col - 1;
  t.startLine! += origin.line - 1;
  t.endLine! += origin.line - 1;
}
