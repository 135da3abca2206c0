/**
 * The text structure of an f-string body: literal runs, `{{`/`}}` escapes and replacement
 * fields `{expr!conv:spec}`. Only the text is taken apart here; build-expr parses each
 * field's expression with the same parser, at the field's own position in the file.
 *
 * A field's expression ends at the first `}`, `!` (not `!=`) or `:` outside brackets and
 * strings, as in Python. Offsets are relative to the body (the text between the quotes).
 */
import type { UnsupportedConstruct } from './unsupported.js';

export type FStringPiece =
  | { kind: 'text'; raw: string; offset: number }
  | { kind: 'brace'; char: '{' | '}' }
  | {
      kind: 'field';
      expr: string;
      exprOffset: number;
      conversion: 'r' | 's' | null;
      spec: string | null;
    };

/** Why a body cannot be split: E106 with a message, or an unsupported construct (E120). */
export type FStringError =
  | { kind: 'bad'; message: string; offset: number }
  | { kind: 'unsupported'; what: UnsupportedConstruct; offset: number };

export type SplitResult = { ok: true; pieces: FStringPiece[] } | { ok: false; error: FStringError };

const OPENERS = '([{';
const CLOSERS = ')]}';

/** Split an f-string body. The first problem found is returned instead of the pieces. */
export function splitFString(body: string): SplitResult {
  const pieces: FStringPiece[] = [];
  let runStart = 0;
  const flush = (end: number): void => {
    if (end > runStart) pieces.push({ kind: 'text', raw: body.slice(runStart, end), offset: runStart });
  };
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if ((ch === '{' || ch === '}') && body[i + 1] === ch) {
      flush(i);
      pieces.push({ kind: 'brace', char: ch });
      i += 2;
      runStart = i;
    } else if (ch === '}') {
      return fail('bad', "single '}' is not allowed in an f-string: write '}}' for a literal brace", i);
    } else if (ch === '{') {
      flush(i);
      const field = readField(body, i);
      if ('error' in field) return { ok: false, error: field.error };
      pieces.push(field.piece);
      i = field.end;
      runStart = i;
    } else {
      i++;
    }
  }
  flush(body.length);
  return { ok: true, pieces };
}

function fail(kind: 'bad', message: string, offset: number): SplitResult {
  return { ok: false, error: { kind, message, offset } };
}

type FieldResult = { piece: FStringPiece; end: number } | { error: FStringError };

/** Read the field opened by the `{` at `open`; `end` is just past its `}`. */
function readField(body: string, open: number): FieldResult {
  const exprStart = open + 1;
  const scan = endOfExpression(body, exprStart);
  // A comment would swallow the rest of the field: CPython refuses '#' there too.
  if (scan.hash !== undefined) {
    return { error: { kind: 'bad', message: "an f-string field cannot contain '#'", offset: scan.hash } };
  }
  let j = scan.end;
  if (j >= body.length)
    return { error: { kind: 'bad', message: "'{' was never closed in the f-string", offset: open } };
  const expr = body.slice(exprStart, j);
  if (expr.trim() === '') {
    return { error: { kind: 'bad', message: 'empty expression in an f-string field', offset: open } };
  }
  const debug = /(?<![=!<>])=\s*$/.exec(expr);
  if (debug) return { error: { kind: 'unsupported', what: 'fstringDebug', offset: exprStart + debug.index } };

  let conversion: 'r' | 's' | null = null;
  if (body[j] === '!') {
    const c = body[j + 1];
    if (c === 'a') return { error: { kind: 'unsupported', what: 'fstringAscii', offset: j } };
    if ((c !== 'r' && c !== 's') || (body[j + 2] !== ':' && body[j + 2] !== '}')) {
      return {
        error: {
          kind: 'bad',
          message: "the conversion in an f-string field must be '!r' or '!s'",
          offset: j,
        },
      };
    }
    conversion = c;
    j += 2;
  }
  let spec: string | null = null;
  if (body[j] === ':') {
    const close = body.indexOf('}', j + 1);
    const nested = body.indexOf('{', j + 1);
    if (nested >= 0 && (close < 0 || nested < close)) {
      return { error: { kind: 'unsupported', what: 'fstringNested', offset: nested } };
    }
    if (close < 0)
      return { error: { kind: 'bad', message: "'{' was never closed in the f-string", offset: open } };
    spec = body.slice(j + 1, close);
    j = close;
  }
  return { piece: { kind: 'field', expr, exprOffset: exprStart, conversion, spec }, end: j + 1 };
}

/**
 * Index of the `}`, `!` or `:` that ends the expression starting at `start` (or body.length),
 * and of the first `#` outside strings if there is one.
 */
function endOfExpression(body: string, start: number): { end: number; hash?: number } {
  let depth = 0;
  let j = start;
  let hash: number | undefined;
  while (j < body.length) {
    const ch = body[j]!;
    if (ch === "'" || ch === '"') {
      j = endOfString(body, j);
      continue;
    }
    if (ch === '#') hash ??= j;
    if (OPENERS.includes(ch)) depth++;
    else if (CLOSERS.includes(ch)) {
      if (depth === 0 && ch === '}') return { end: j, hash };
      if (depth > 0) depth--;
    } else if (depth === 0 && ch === '!' && body[j + 1] !== '=') return { end: j, hash };
    else if (depth === 0 && ch === ':') return { end: j, hash };
    j++;
  }
  return { end: j, hash };
}

/** Index just past the string literal starting at `start` inside a field's expression. */
function endOfString(body: string, start: number): number {
  const quote = body.startsWith(body[start]!.repeat(3), start) ? body[start]!.repeat(3) : body[start]!;
  let j = start + quote.length;
  while (j < body.length && !body.startsWith(quote, j)) j += body[j] === '\\' ? 2 : 1;
  return Math.min(body.length, j + quote.length);
}
