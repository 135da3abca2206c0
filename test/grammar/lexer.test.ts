import type { IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../grammar/lexer.js';
import { Dedent, Indent, Newline } from '../../grammar/tokens.js';

/** Tokens as text: layout tokens by name, the others by their image. */
function layout(tokens: IToken[]): string {
  return tokens
    .map((t) => {
      if (t.tokenType === Newline) return 'NEWLINE';
      if (t.tokenType === Indent) return 'INDENT';
      if (t.tokenType === Dedent) return 'DEDENT';
      return t.image;
    })
    .join(' ');
}

function lex(text: string): string {
  const { tokens, diagnostics } = tokenize(text);
  expect(diagnostics).toEqual([]);
  return layout(tokens);
}

describe('the indentation pass', () => {
  it('ends every logical line with NEWLINE, the last one too', () => {
    expect(lex('x = 1\ny = 2')).toBe('x = 1 NEWLINE y = 2 NEWLINE');
  });

  it('opens a block with INDENT and closes it with DEDENT', () => {
    expect(lex('if x:\n    y = 1\nz = 2\n')).toBe('if x : NEWLINE INDENT y = 1 NEWLINE DEDENT z = 2 NEWLINE');
  });

  it('closes several nested blocks with one DEDENT each', () => {
    const src = 'def f():\n    for i in r:\n        if i:\n            pass\nx = 1\n';
    expect(lex(src)).toBe(
      'def f ( ) : NEWLINE INDENT for i in r : NEWLINE INDENT if i : NEWLINE INDENT pass NEWLINE ' +
        'DEDENT DEDENT DEDENT x = 1 NEWLINE',
    );
  });

  it('closes the blocks still open at the end of the file', () => {
    expect(lex('while a:\n  while b:\n    pass')).toBe(
      'while a : NEWLINE INDENT while b : NEWLINE INDENT pass NEWLINE DEDENT DEDENT',
    );
  });

  it('joins the lines inside brackets into one logical line', () => {
    expect(lex('x = (1,\n  2,\n        3)\ny = [\n]\n')).toBe('x = ( 1 , 2 , 3 ) NEWLINE y = [ ] NEWLINE');
  });

  it('joins a line ending with a backslash to the next one', () => {
    expect(lex('x = 1 + \\\n    2\n')).toBe('x = 1 + 2 NEWLINE');
  });

  it('takes the indentation of a joined line from its first physical line, as CPython does', () => {
    expect(lex('if x:\n    \\\nfoo()\n')).toBe('if x : NEWLINE INDENT foo ( ) NEWLINE DEDENT');
  });

  it('ignores blank lines and comment-only lines, whatever their indentation', () => {
    const src =
      '# header\n\nif x:  # why\n\n        # deep comment\n    y = 1\n   \n  # shallow comment\nz = 2\n';
    expect(lex(src)).toBe('if x : NEWLINE INDENT y = 1 NEWLINE DEDENT z = 2 NEWLINE');
  });

  it('gives nothing for an empty or comment-only file', () => {
    expect(lex('')).toBe('');
    expect(lex('# nothing\n\n')).toBe('');
  });

  it('places NEWLINE just after the last token of its line', () => {
    const { tokens } = tokenize('if x:   # c\n    pass\n');
    const newline = tokens.find((t) => t.tokenType === Newline)!;
    expect([newline.startLine, newline.startColumn]).toEqual([1, 6]);
  });

  it('places INDENT and DEDENT on the first token of their line', () => {
    const { tokens } = tokenize('if x:\n    pass\ny = 1\n');
    const indent = tokens.find((t) => t.tokenType === Indent)!;
    const dedent = tokens.find((t) => t.tokenType === Dedent)!;
    expect([indent.startLine, indent.startColumn]).toEqual([2, 5]);
    expect([dedent.startLine, dedent.startColumn]).toEqual([3, 1]);
  });

  it('reads Windows and old Mac line breaks like Unix ones', () => {
    expect(lex('if x:\r\n    y = 1\r\nz = 2\r')).toBe(
      'if x : NEWLINE INDENT y = 1 NEWLINE DEDENT z = 2 NEWLINE',
    );
  });

  it('skips a byte order mark at the start of the file', () => {
    expect(lex('\uFEFFimport time\n')).toBe('import time NEWLINE');
  });

  it('keeps no state between calls', () => {
    tokenize('if x:\n    if y:\n        (');
    expect(lex('a = 1\n')).toBe('a = 1 NEWLINE');
  });

  it('treats the whole text as one line in expression mode', () => {
    const { tokens, diagnostics } = tokenize('  [1,\n 2]', { mode: 'expression' });
    expect(diagnostics).toEqual([]);
    expect(layout(tokens)).toBe('[ 1 , 2 ] NEWLINE');
  });

  it('shifts positions to an origin in the file', () => {
    const { tokens } = tokenize('a +\nb', { mode: 'expression', origin: { line: 3, col: 10 } });
    expect(tokens.map((t) => [t.image, t.startLine, t.startColumn])).toEqual([
      ['a', 3, 10],
      ['+', 3, 12],
      ['b', 4, 1],
      ['', 4, 2],
    ]);
  });
});

describe('the words', () => {
  it('reads int literals with underscores, hex, octal and binary', () => {
    expect(lex('50_000 0x1F 0o17 0b101 0')).toBe('50_000 0x1F 0o17 0b101 0 NEWLINE');
    const { tokens } = tokenize('50_000 0x1F 1e3 .5 1.');
    expect(tokens.slice(0, 5).map((t) => t.tokenType.name)).toEqual([
      'IntLiteral',
      'IntLiteral',
      'FloatLiteral',
      'FloatLiteral',
      'FloatLiteral',
    ]);
  });

  it('reads strings with prefixes, both quotes and triple quotes as one token each', () => {
    const src = `'a' "b" r'\\d' f"{x}" '''l1\nl2''' """q"q""" rb'x' 'it\\'s'`;
    const { tokens } = tokenize(src);
    expect(tokens.filter((t) => t.tokenType.name === 'StringLiteral').map((t) => t.image)).toEqual([
      "'a'",
      '"b"',
      "r'\\d'",
      'f"{x}"',
      "'''l1\nl2'''",
      '"""q"q"""',
      "rb'x'",
      "'it\\'s'",
    ]);
  });

  it('tells keywords from names that start with them', () => {
    const { tokens } = tokenize('if iffy in into is isinstance not nothing assert as');
    expect(tokens.slice(0, 10).map((t) => t.tokenType.name)).toEqual([
      'If',
      'Identifier',
      'In',
      'Identifier',
      'Is',
      'Identifier',
      'Not',
      'Identifier',
      'Assert',
      'As',
    ]);
  });

  it('reads the longest operator first', () => {
    expect(lex('a //= b ** c != d <= e -> f := g')).toBe('a //= b ** c != d <= e -> f := g NEWLINE');
  });
});

describe('lexical errors', () => {
  it('reports a tab in indentation at the tab, once', () => {
    const { diagnostics } = tokenize('if x:\n\ty = 1\n\tz = 2\n');
    expect(diagnostics).toEqual([
      { code: 'E101', message: 'tab in indentation: indent with spaces', line: 2, col: 1, width: 1 },
    ]);
  });

  it('reports a tab after spaces at its own column', () => {
    const { diagnostics } = tokenize('if x:\n  \ty = 1\n');
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['E101', 2, 3]]);
  });

  it('accepts a tab that is not indentation', () => {
    expect(tokenize('x =\t1\n').diagnostics).toEqual([]);
  });

  it('reports a dedent to a level that was never opened', () => {
    const { diagnostics } = tokenize('if x:\n    a = 1\n  b = 2\n');
    expect(diagnostics).toEqual([
      {
        code: 'E102',
        message: 'unindent does not match any outer indentation level',
        line: 3,
        col: 3,
        width: 1,
      },
    ]);
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(tokenize('x = "abc\n').diagnostics).toEqual([
      { code: 'E104', message: 'unterminated string: the closing " is missing', line: 1, col: 5, width: 1 },
    ]);
    expect(tokenize("s = '''abc\n\n").diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ['E104', 1, 5, "unterminated string: the closing ''' is missing"],
    ]);
  });

  it('names a character it does not know', () => {
    expect(tokenize('x = 1 $ 2\n').diagnostics).toEqual([
      { code: 'E100', message: "unexpected character '$'", line: 1, col: 7, width: 1 },
    ]);
    expect(tokenize('if !x: pass').diagnostics[0]!.message).toBe(
      "unexpected character '!': use 'not' for negation and '!=' for inequality",
    );
    expect(tokenize('x = \u0007').diagnostics[0]!.message).toBe('unexpected character U+0007');
  });

  it('keeps an unknown character in the stream as an Invalid token', () => {
    const { tokens } = tokenize('x = $\n');
    expect(tokens.map((t) => t.tokenType.name)).toEqual(['Identifier', 'Assign', 'Invalid', 'Newline']);
  });

  it('pairs brackets and names the one that does not match', () => {
    expect(tokenize('x = (1, 2]\n').diagnostics.map((d) => [d.line, d.col, d.message])).toEqual([
      [1, 10, "closing bracket ']' does not match opening bracket '('"],
    ]);
    expect(tokenize('x = [\n1,\n2)\n').diagnostics[0]!.message).toBe(
      "closing bracket ')' does not match opening bracket '[' on line 1",
    );
    expect(tokenize('x = 1)\n').diagnostics.map((d) => [d.line, d.col, d.message])).toEqual([
      [1, 6, "unmatched ')'"],
    ]);
    expect(tokenize('f(a,\n  [b\n').diagnostics.map((d) => [d.line, d.col, d.message])).toEqual([
      [2, 3, "'[' was never closed"],
    ]);
  });
});
