/**
 * The tokens of the thread language: Python 3 tokens, for the subset of docs/LANGUAGE.md and for
 * the constructs outside it that we must recognise in order to name them (`class`, `lambda`,
 * `**`, `&`, `:=`, ...), never misread them.
 *
 * Chevrotain tries the patterns in the order of `allTokens` and the first match wins, so
 * longer operators come before their prefixes, strings before identifiers (`f'...'`, `r'...'`)
 * and floats before ints and `.`. Every `label` is the token's text as the user types it:
 * error messages name tokens by it (`expected ':'`), never by the type name.
 *
 * NEWLINE, INDENT and DEDENT have no pattern: `lexer.ts` creates them from the physical line
 * breaks (`LineBreak`, `Continuation`) and the indentation, as Python's tokenizer does.
 */
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

// ---------------------------------------------------------------- layout

/** A logical line ends here (created by the indentation pass). */
export const Newline = createToken({ name: 'Newline', pattern: Lexer.NA, label: 'the end of the line' });
/** Indentation grew (created by the indentation pass). */
export const Indent = createToken({ name: 'Indent', pattern: Lexer.NA, label: 'an indent' });
/** Indentation shrank back to an outer level (created by the indentation pass). */
export const Dedent = createToken({ name: 'Dedent', pattern: Lexer.NA, label: 'the end of the block' });

/**
 * Text the lexer could not read (an unknown character, an unterminated string). It stays in
 * the stream, reported once by the lexer, so that the parser stops exactly there instead of
 * reporting a confusing error just before it.
 */
export const Invalid = createToken({ name: 'Invalid', pattern: Lexer.NA, label: 'an invalid character' });

/** A physical line break; the indentation pass turns it into NEWLINE or drops it. */
export const LineBreak = createToken({
  name: 'LineBreak',
  pattern: /\r\n|\r|\n/,
  line_breaks: true,
  label: 'a line break',
});
/** `\` at the end of a line joins it with the next one. */
export const Continuation = createToken({
  name: 'Continuation',
  pattern: /\\(?:\r\n|\r|\n)/,
  line_breaks: true,
  label: 'a line continuation',
});
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

// ---------------------------------------------------------------- literals

// A string may carry a prefix: r (raw), f (f-string), b (bytes, refused later), u, or rb/br/rf/fr.
const PREFIX = String.raw`(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?`;
const BODIES = [
  String.raw`'''(?:[^'\\]|\\[\s\S]|'(?!''))*'''`,
  String.raw`"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""`,
  // `'''x` is an unterminated triple-quoted string, never the empty string '' then 'x.
  String.raw`'(?!'')(?:[^'\\\r\n]|\\(?:\r\n|[\s\S]))*'`,
  String.raw`"(?!"")(?:[^"\\\r\n]|\\(?:\r\n|[\s\S]))*"`,
];
const STRING_START_CHARS = ['r', 'R', 'b', 'B', 'u', 'U', 'f', 'F', "'", '"'];

/** Any string literal, prefix included; `src/lang/literals.ts` decodes it. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: new RegExp(`${PREFIX}(?:${BODIES.join('|')})`),
  line_breaks: true,
  start_chars_hint: STRING_START_CHARS,
  label: 'a string',
});
/** A string whose closing quote never comes: the lexer reports E104 and drops it. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: new RegExp(`${PREFIX}(?:'''[\\s\\S]*|"""[\\s\\S]*|['"][^\\r\\n]*)`),
  line_breaks: true,
  start_chars_hint: STRING_START_CHARS,
  label: 'an unterminated string',
});

const DIGITS = String.raw`\d(?:_?\d)*`;
const EXPONENT = String.raw`[eE][+-]?${DIGITS}`;
const FLOAT = String.raw`(?:${DIGITS})?\.${DIGITS}(?:${EXPONENT})?|${DIGITS}\.(?:${EXPONENT})?|${DIGITS}${EXPONENT}`;

/** `1j`, `2.5J`: complex numbers, recognised only to be refused. */
export const ImaginaryLiteral = createToken({
  name: 'ImaginaryLiteral',
  pattern: new RegExp(`(?:${FLOAT}|${DIGITS})[jJ]`),
  start_chars_hint: ['.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  label: 'a complex number',
});
export const FloatLiteral = createToken({
  name: 'FloatLiteral',
  pattern: new RegExp(FLOAT),
  start_chars_hint: ['.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  label: 'a number',
});
export const IntLiteral = createToken({
  name: 'IntLiteral',
  pattern: /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|\d(?:_?\d)*/,
  label: 'a number',
});

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a name',
});

// ---------------------------------------------------------------- keywords

const keywords: TokenType[] = [];

/** A keyword is an Identifier-shaped word: `longer_alt` keeps `iffy` and `format` names. */
function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  const tok = createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'` });
  keywords.push(tok);
  return tok;
}

export const False = keyword('False');
export const None = keyword('None');
export const True = keyword('True');
export const And = keyword('and');
export const As = keyword('as');
export const Assert = keyword('assert');
export const Async = keyword('async');
export const Await = keyword('await');
export const Break = keyword('break');
export const Class = keyword('class');
export const Continue = keyword('continue');
export const Def = keyword('def');
export const Del = keyword('del');
export const Elif = keyword('elif');
export const Else = keyword('else');
export const Except = keyword('except');
export const Finally = keyword('finally');
export const For = keyword('for');
export const From = keyword('from');
export const Global = keyword('global');
export const If = keyword('if');
export const Import = keyword('import');
export const In = keyword('in');
export const Is = keyword('is');
export const Lambda = keyword('lambda');
export const Nonlocal = keyword('nonlocal');
export const Not = keyword('not');
export const Or = keyword('or');
export const Pass = keyword('pass');
export const Raise = keyword('raise');
export const Return = keyword('return');
export const Try = keyword('try');
export const While = keyword('while');
export const With = keyword('with');
export const Yield = keyword('yield');

// ---------------------------------------------------------------- operators and delimiters

/** Every `x op= e` token; the parser consumes the category, build-ast reads the image. */
export const AugAssign = createToken({
  name: 'AugAssign',
  pattern: Lexer.NA,
  label: 'an augmented assignment',
});

function punct(name: string, text: string, categories?: TokenType[]): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const config = { name, pattern: new RegExp(escaped), label: `'${text}'` };
  return createToken(categories ? { ...config, categories } : config);
}

export const PowAssign = punct('PowAssign', '**=', [AugAssign]);
export const FloorDivAssign = punct('FloorDivAssign', '//=', [AugAssign]);
export const ShiftRightAssign = punct('ShiftRightAssign', '>>=', [AugAssign]);
export const ShiftLeftAssign = punct('ShiftLeftAssign', '<<=', [AugAssign]);
export const Ellipsis = punct('Ellipsis', '...');
export const Arrow = punct('Arrow', '->');
export const Walrus = punct('Walrus', ':=');
export const DoubleStar = punct('DoubleStar', '**');
export const DoubleSlash = punct('DoubleSlash', '//');
export const ShiftRight = punct('ShiftRight', '>>');
export const ShiftLeft = punct('ShiftLeft', '<<');
export const LessEqual = punct('LessEqual', '<=');
export const GreaterEqual = punct('GreaterEqual', '>=');
export const EqualEqual = punct('EqualEqual', '==');
export const NotEqual = punct('NotEqual', '!=');
export const PlusAssign = punct('PlusAssign', '+=', [AugAssign]);
export const MinusAssign = punct('MinusAssign', '-=', [AugAssign]);
export const StarAssign = punct('StarAssign', '*=', [AugAssign]);
export const SlashAssign = punct('SlashAssign', '/=', [AugAssign]);
export const PercentAssign = punct('PercentAssign', '%=', [AugAssign]);
export const AmpersandAssign = punct('AmpersandAssign', '&=', [AugAssign]);
export const PipeAssign = punct('PipeAssign', '|=', [AugAssign]);
export const CaretAssign = punct('CaretAssign', '^=', [AugAssign]);
export const AtAssign = punct('AtAssign', '@=', [AugAssign]);
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Star = punct('Star', '*');
export const Slash = punct('Slash', '/');
export const Percent = punct('Percent', '%');
export const Less = punct('Less', '<');
export const Greater = punct('Greater', '>');
export const Assign = punct('Assign', '=');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');
export const Comma = punct('Comma', ',');
export const Colon = punct('Colon', ':');
export const Semicolon = punct('Semicolon', ';');
export const Dot = punct('Dot', '.');
export const At = punct('At', '@');
export const Ampersand = punct('Ampersand', '&');
export const Pipe = punct('Pipe', '|');
export const Caret = punct('Caret', '^');
export const Tilde = punct('Tilde', '~');

/** Brackets open and close implicit line joining; the lexer pairs them. */
export const OPENING_BRACKETS: ReadonlyMap<TokenType, string> = new Map([
  [LParen, ')'],
  [LBracket, ']'],
  [LBrace, '}'],
]);
export const CLOSING_BRACKETS: ReadonlySet<TokenType> = new Set([RParen, RBracket, RBrace]);

/** The tokens the chevrotain lexer tries, in order (first match wins). */
export const lexerTokens: TokenType[] = [
  LineBreak,
  Continuation,
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  ImaginaryLiteral,
  FloatLiteral,
  IntLiteral,
  // Longest first, so that `as` does not claim the start of `assert` or `async`.
  ...[...keywords].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  PowAssign,
  FloorDivAssign,
  ShiftRightAssign,
  ShiftLeftAssign,
  Ellipsis,
  Arrow,
  Walrus,
  DoubleStar,
  DoubleSlash,
  ShiftRight,
  ShiftLeft,
  LessEqual,
  GreaterEqual,
  EqualEqual,
  NotEqual,
  PlusAssign,
  MinusAssign,
  StarAssign,
  SlashAssign,
  PercentAssign,
  AmpersandAssign,
  PipeAssign,
  CaretAssign,
  AtAssign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Less,
  Greater,
  Assign,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Semicolon,
  Dot,
  At,
  Ampersand,
  Pipe,
  Caret,
  Tilde,
];

/** Lexer tokens that the indentation pass consumes or replaces: the parser never sees them. */
const PASS_ONLY: ReadonlySet<TokenType> = new Set([
  LineBreak,
  Continuation,
  WhiteSpace,
  Comment,
  UnterminatedString,
]);

/** The tokens the parser sees: the lexer's significant ones and those the indentation pass creates. */
export const parserTokens: TokenType[] = [
  Newline,
  Indent,
  Dedent,
  Invalid,
  AugAssign,
  ...lexerTokens.filter((t) => !PASS_ONLY.has(t)),
];
