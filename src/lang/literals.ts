/**
 * Literal tokens to values: ints (exact up to 2^53), floats, and string literals (prefix,
 * quotes, escape sequences). Positions inside a token are computed here too, so that a bad
 * escape or an f-string field points at its own column.
 */
import type { IToken } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';

/** A 1-based position in the file. */
export interface Position {
  line: number;
  col: number;
}

/** The file position of character `offset` of a token's image (images may span lines). */
export function positionIn(tok: IToken, offset: number): Position {
  let line = tok.startLine!;
  let col = tok.startColumn!;
  const image = tok.image;
  for (let i = 0; i < offset && i < image.length; i++) {
    const ch = image[i];
    if (ch === '\n' || (ch === '\r' && image[i + 1] !== '\n')) {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  return { line, col };
}

const MAX_EXACT = 2n ** 53n;

/** An int literal's value, or a diagnostic (E105 beyond 2^53, E110 for `007`). */
export function intValue(tok: IToken): number | Diagnostic {
  const text = tok.image.replace(/_/g, '');
  if (/^0\d+$/.test(text) && /[1-9]/.test(text)) {
    return diagnostic(
      'E110',
      'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
      tok.startLine!,
      tok.startColumn!,
      tok.image.length,
    );
  }
  const value = BigInt(text);
  if (value > MAX_EXACT) {
    return diagnostic(
      'E105',
      `integer literal ${tok.image} is too large: ints are exact only up to 2^53 (9007199254740992)`,
      tok.startLine!,
      tok.startColumn!,
      tok.image.length,
    );
  }
  return Number(value);
}

export function floatValue(tok: IToken): number {
  return Number(tok.image.replace(/_/g, ''));
}

/** A string token taken apart: `rf'''x'''` has prefix 'rf', body 'x' starting at offset 5. */
export interface StringParts {
  raw: boolean;
  fstring: boolean;
  bytes: boolean;
  body: string;
  /** Offset of `body` in the token's image. */
  bodyOffset: number;
}

export function splitString(tok: IToken): StringParts {
  const image = tok.image;
  const prefixLength = /^[a-zA-Z]*/.exec(image)![0].length;
  const prefix = image.slice(0, prefixLength).toLowerCase();
  const rest = image.slice(prefixLength);
  const quote = rest.startsWith("'''") || rest.startsWith('"""') ? 3 : 1;
  return {
    raw: prefix.includes('r'),
    fstring: prefix.includes('f'),
    bytes: prefix.includes('b'),
    body: rest.slice(quote, rest.length - quote),
    bodyOffset: prefixLength + quote,
  };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Line breaks inside a literal read as `\n`, whatever the file uses (Python reads source with universal newlines). */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Apply Python's escape sequences to `text` (part of a token's body). `at(i)` gives the file
 * position of character i of `text`, for the error of a truncated `\x`, `\u` or `\U` escape
 * (E110) or a `\N{...}` escape (E120). Unknown escapes such as `\d` stay as written, as in Python.
 */
export function decodeEscapes(text: string, at: (i: number) => Position, diagnostics: Diagnostic[]): string {
  if (!text.includes('\\')) return normalizeNewlines(text);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\r') {
      out += '\n';
      if (text[i + 1] === '\n') i++;
      continue;
    }
    if (ch !== '\\' || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[i + 1]!;
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next === '\n') {
      i++; // backslash-newline continues the string on the next line
    } else if (next === '\r') {
      i += text[i + 2] === '\n' ? 2 : 1;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + length);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === length ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(code) || code > 0x10ffff) {
        const p = at(i);
        diagnostics.push(
          diagnostic('E110', `bad \\${next} escape: it needs ${length} hex digits`, p.line, p.col, 2),
        );
        return out;
      }
      out += String.fromCodePoint(code);
      i += 1 + length;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(octal, 8));
      i += octal.length;
    } else if (next === 'N') {
      const p = at(i);
      diagnostics.push(
        diagnostic(
          'E120',
          'unsupported construct: named unicode escapes (\\N{...}) are not supported',
          p.line,
          p.col,
          2,
        ),
      );
      return out;
    } else {
      out += ch; // not an escape: Python keeps the backslash
    }
  }
  return out;
}
