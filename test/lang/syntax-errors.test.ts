import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/base/diagnostics.js';
import { parseProgram } from '../../src/lang/parse.js';
import { errors, firstError } from './helpers.js';

describe('syntax errors', () => {
  it.each([
    ['if x\n    pass\n', 1, 5, "expected ':' after the if condition"],
    ['if x = 1:\n    pass\n', 1, 6, "expected ':' after the if condition (to compare, use '==')"],
    ['while True\n    pass\n', 1, 11, "expected ':' after the while condition"],
    ['for i range(3):\n    pass\n', 1, 7, "expected 'in' after the for loop's target"],
    ['def f(a b):\n    pass\n', 1, 9, "expected ',' or ')' but found 'b'"],
    ['def (a):\n    pass\n', 1, 5, "expected the function's name after 'def'"],
    ['x = )\n', 1, 5, "unmatched ')'"],
    ['x = (1, 2,,)\n', 1, 11, "expected an expression or ')' but found ','"],
    ['print(a b)\n', 1, 9, "expected ',' or ')' but found 'b'"],
    ['x = 1 +\n', 1, 8, 'expected an expression but found the end of the line'],
    ['x = 1 2\n', 1, 7, "expected the end of the line but found '2'"],
    [
      'print "hi"\n',
      1,
      7,
      'expected the end of the line but found the string "hi"; print is a function: print(...)',
    ],
    ['else:\n    pass\n', 1, 1, "expected a statement but found 'else'"],
    ['try:\n    pass\nx = 1\n', 3, 1, "expected 'except' or 'finally' after the try block but found 'x'"],
    ['x = 1 if y\n', 1, 11, "expected 'else' in the conditional expression 'a if c else b'"],
    ['import\n', 1, 7, "expected a module name after 'import' but found the end of the line"],
    [
      'from threading import\n',
      1,
      22,
      "expected the names to import after 'import' but found the end of the line",
    ],
    ['f(x=)\n', 1, 5, "expected an expression but found ')'"],
    ['x = [1, 2\ny = 3\n', 1, 5, "'[' was never closed"],
    ['x = (1, 2]\n', 1, 10, "closing bracket ']' does not match opening bracket '('"],
  ])('reports %j at %i:%i', (source, line, col, message) => {
    expect(firstError(source)).toEqual(['E110', line, col, message]);
  });

  it('asks for an indented block after a compound statement header', () => {
    expect(firstError('for i in range(3):\npass\n')).toEqual([
      'E110',
      2,
      1,
      "expected an indented block after 'for' statement on line 1",
    ]);
    expect(firstError('def f():\n\nx = 1\n')[3]).toBe(
      'expected an indented block after function definition on line 1',
    );
  });

  it('reports an unexpected indent as E103', () => {
    expect(firstError('x = 1\n    y = 2\n')).toEqual(['E103', 2, 5, 'unexpected indent']);
    expect(firstError('  x = 1\n')).toEqual(['E103', 1, 3, 'unexpected indent']);
  });

  it('reports lexical errors with their own codes', () => {
    expect(firstError('x = 1 ? 2\n')).toEqual(['E100', 1, 7, "unexpected character '?'"]);
    expect(firstError('if x:\n\tpass\n')).toEqual(['E101', 2, 1, 'tab in indentation: indent with spaces']);
    expect(firstError('if x:\n    a = 1\n  b = 2\n')).toEqual([
      'E102',
      3,
      3,
      'unindent does not match any outer indentation level',
    ]);
    expect(firstError("s = 'abc\n")).toEqual(['E104', 1, 5, "unterminated string: the closing ' is missing"]);
    expect(firstError('n = 9007199254740993\n')).toEqual([
      'E105',
      1,
      5,
      'integer literal 9007199254740993 is too large: ints are exact only up to 2^53 (9007199254740992)',
    ]);
  });

  it('reports only the lexical error, not its echo in the parser', () => {
    expect(errors('x = $\n')).toHaveLength(1);
    expect(errors('x = (\ny = 1\n')).toHaveLength(1);
  });

  it('keeps a syntax error that comes before a lexical error', () => {
    expect(errors('x = = 1\ny = $\n').map((d) => d.code)).toEqual(['E110', 'E100']);
  });

  it('reports what Python rejects after parsing', () => {
    expect(firstError('f() = 1\n')).toEqual(['E110', 1, 1, 'cannot assign to a function call']);
    expect(firstError('1 = x\n')).toEqual(['E110', 1, 1, 'cannot assign to a literal']);
    expect(firstError('None = x\n')).toEqual(['E110', 1, 1, 'cannot assign to None']);
    expect(firstError('for f() in x:\n    pass\n')).toEqual([
      'E110',
      1,
      5,
      'cannot assign to a function call',
    ]);
    expect(firstError('a, b += 1\n')).toEqual([
      'E110',
      1,
      1,
      "'+=' needs a name or a subscript on its left, not an expression",
    ]);
    expect(firstError('f(a=1, 2)\n')).toEqual(['E110', 1, 8, 'positional argument follows keyword argument']);
    expect(firstError('f(a=1, a=2)\n')).toEqual(['E110', 1, 8, "keyword argument repeated: 'a'"]);
    expect(firstError('f(a.b=1)\n')).toEqual([
      'E110',
      1,
      3,
      "expected a name before '=' in the call's keyword argument (to compare, use '==')",
    ]);
    expect(firstError('def f(a=1, b):\n    pass\n')).toEqual([
      'E110',
      1,
      12,
      'parameter without a default follows parameter with a default',
    ]);
    expect(firstError('def f(a, a):\n    pass\n')).toEqual([
      'E110',
      1,
      10,
      "duplicate parameter 'a' in function definition",
    ]);
    expect(firstError('try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n')).toEqual([
      'E110',
      3,
      1,
      "a bare 'except:' must be the last except clause",
    ]);
    expect(firstError('from time import sleep,\n')).toEqual([
      'E110',
      1,
      23,
      'trailing comma not allowed without surrounding parentheses',
    ]);
    expect(firstError('x = {1: 2, 3}\n')).toEqual(['E110', 1, 12, "expected ':' after the dict key"]);
    expect(firstError('x = 007\n')[3]).toBe(
      'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
    );
    expect(firstError("s = '\\x4'\n")).toEqual(['E110', 1, 6, 'bad \\x escape: it needs 2 hex digits']);
  });

  it('turns pathological nesting into a diagnostic at the deepest bracket, not a crash', () => {
    const deep = `x = ${'('.repeat(3000)}1${')'.repeat(3000)}\n`;
    expect(firstError(deep)).toEqual([
      'E110',
      1,
      3004,
      'the program is nested too deeply to parse: split the expression or the block',
    ]);
  });
});

describe('formatDiagnostics on a syntax error', () => {
  it('shows the line and a caret under the offending token', () => {
    const source = 'import threading\n\nif counter = 2:\n    pass\n';
    const { diagnostics } = parseProgram(source, 'race.py');
    expect(formatDiagnostics('race.py', source, diagnostics)).toBe(
      [
        "race.py:3:12: error E110 expected ':' after the if condition (to compare, use '==')",
        '  3 | if counter = 2:',
        '    |            ^',
      ].join('\n'),
    );
  });

  it('underlines the whole construct that is not supported', () => {
    const source = 'x = items[1:3]\n';
    const { diagnostics } = parseProgram(source, 's.py');
    expect(formatDiagnostics('s.py', source, diagnostics)).toBe(
      [
        's.py:1:11: error E120 unsupported construct: slices (a[i:j]) are not supported; index one element at a time',
        '  1 | x = items[1:3]',
        '    |           ^^^',
      ].join('\n'),
    );
  });
});
