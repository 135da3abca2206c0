/**
 * Arithmetic, comparison and number parsing against CPython 3.11: every expected line below was
 * printed by `python3` on the same program.
 */
import { describe, expect, it } from 'vitest';
import { py, run } from '../helpers.js';

/** What the program prints (stdout and stderr). */
function output(source: string): string {
  return run(source).out;
}

/** The last line of the traceback of a program that ends with an uncaught exception. */
function error(source: string): string {
  const lines = run(source).out.trimEnd().split('\n');
  return lines[lines.length - 1]!;
}

describe('float // and % follow CPython float_divmod', () => {
  it('snaps the quotient and signs the zero remainder like the denominator', () => {
    expect(
      output(py`
        print(1 // 0.1, 2.5 // 0.1, -0.0 % 5, -1 % 1.0, 5.0 % -5, 0.0 % -2)
        print(-7.5 // 2, 7.5 // -2, -0.0 // 3, 0.0 // -3, 3 % -0.5, 7 % 2.5, -7 % 2.5, 1e308 // 1e-308)
        `),
    ).toBe('9.0 24.0 0.0 0.0 -0.0 -0.0\n-4.0 -4.0 -0.0 -0.0 -0.0 2.0 0.5 inf\n');
  });

  it('handles infinities and NaN as CPython does', () => {
    expect(
      output(py`
        inf = float("inf")
        print(-1.0 // inf, inf // 1, 1.0 % inf, -1.0 % inf, 5 % -inf, 1.0 // inf, float("nan") % 2)
        `),
    ).toBe('-1.0 nan 1.0 inf -inf 0.0 nan\n');
  });

  it("keeps CPython's ZeroDivisionError messages", () => {
    const cases: [string, string][] = [
      ['1 % 0', 'integer modulo by zero'],
      ['1 // 0', 'integer division or modulo by zero'],
      ['1.0 % 0', 'float modulo'],
      ['1.0 // 0', 'float floor division by zero'],
      ['1 / 0', 'division by zero'],
      ['1.0 / 0', 'float division by zero'],
      ['1 % 0.0', 'float modulo'],
    ];
    for (const [expr, message] of cases)
      expect(error(`print(${expr})\n`)).toBe(`ZeroDivisionError: ${message}`);
  });
});

describe('int results are never -0', () => {
  it('gives the int 0 for 0 * -5, 0 // -5, -5 % 5, -0 and int(-0.5)', () => {
    expect(
      output(py`
        print(float(0 * -5), 0 // -5, float(0 // -5), float(-5 % 5), (0 * -1) * 1.0, float(-0), int(-0.5), float(int(-0.5)))
        print(f"{0 * -1:.2f}", float(-0 * 3), float(0 % -3), float(-(0)), float(-5 * 0), float(0 - 0))
        `),
    ).toBe('0.0 0 0.0 0.0 0.0 0.0 0 0.0\n0.00 0.0 0.0 0.0 0.0 0.0\n');
  });
});

describe('NaN', () => {
  it('is unequal to itself under ==, but found by identity in containers', () => {
    expect(
      output(py`
        n = float("nan")
        print(n == n, n != n, [n] == [n], (n,) == (n,), n in [n], float("nan") in [n])
        print(n in {n: 1}, float("nan") in {n: 1}, {1: n} == {1: n}, [n] < [n], [n] <= [n], n <= 1, n >= 1)
        print([n].count(n), [n].index(n), (n,) in {(n,): 2}, n in (n,), [n, 1] < [n, 2], [float("nan")] == [float("nan")])
        `),
    ).toBe(
      'False True True True True False\n' +
        'True False True False True False False\n' +
        '1 0 True True True False\n',
    );
  });
});

describe('comparisons', () => {
  it('orders lists and tuples by their first differing items, then by length', () => {
    expect(
      output(py`
        print([3, 1, 2] < [3, 2], (1, 2) < (1, 2, 3), [1, 2] >= [1, 2], (2,) > (1, 5), [] < [0], [[1, 2]] < [[1, 3]])
        print([[1, [2]]] == [[1, [2]]], {"a": [1]} == {"a": [1]}, (1, (2, 3)) == (1, (2, 3)), [1, 2] == (1, 2), 1 == 1.0 == True)
        `),
    ).toBe('True True True True True True\nTrue True True False True\n');
  });

  it('orders str by code point (astral characters after U+FFFF)', () => {
    expect(
      output(py`
        print("\\uffff" < "\\U00010000", "\\U00010000" > "\\ue000", "a" < "b", "ab" < "abc", sorted(["\\U00010000", "\\uffff", "a"])[2] == "\\U00010000", max("bca"))
        `),
    ).toBe('True True True True True c\n');
  });

  it('compares ranges as sequences', () => {
    expect(
      output(py`
        print(range(3) == range(0, 3), range(0) == range(5, 2), range(1, 2, 5) == range(1, 3, 7), range(0, 4, 2) == range(0, 3, 2), range(2) == range(3))
        `),
    ).toBe('True True True True False\n');
  });

  it("raises RecursionError (CPython's message) comparing self-containing lists", () => {
    expect(
      error(py`
        x = []
        x.append(x)
        y = []
        y.append(y)
        print(x == y)
        `),
    ).toBe('RecursionError: maximum recursion depth exceeded in comparison');
    expect(
      output(py`
        x = []
        x.append(x)
        print(x == x, x != x)
        `),
    ).toBe('True False\n');
    expect(
      error(py`
        x = []
        x.append(x)
        y = []
        y.append(y)
        print(x < y)
        `),
    ).toBe('RecursionError: maximum recursion depth exceeded in comparison');
  });

  it('compares 998 nested lists and refuses 999 at module level, as CPython', () => {
    const nested = (n: number, op: string): string => py`
      def mk(n):
          x = []
          for i in range(n):
              x = [x]
          return x
      try:
          print(mk(${n}) ${op} mk(${n}))
      except RecursionError as e:
          print("RecursionError", e)
      `;
    expect(output(nested(998, '=='))).toBe('True\n');
    expect(output(nested(999, '=='))).toBe('RecursionError maximum recursion depth exceeded in comparison\n');
    expect(output(nested(100000, '=='))).toBe(
      'RecursionError maximum recursion depth exceeded in comparison\n',
    );
    expect(output(nested(100000, '<'))).toBe(
      'RecursionError maximum recursion depth exceeded in comparison\n',
    );
  });
});

describe('ints stay exact (beyond 2**53: OverflowError, never a wrong number)', () => {
  const overflow =
    'OverflowError: integer result beyond 2**53: the simulator keeps ints exact only up to 2**53';

  it('parses int() strings exactly, with underscores only between digits', () => {
    expect(
      output(py`
        print(int("9007199254740992"), int("-9007199254740992"), int("9_007_199_254_740_992"), int("0_0"), int("-0"), int(" 12 "), int("00012"), int("+5"))
        for s in ["+_1", "_1", "1_", "1__2", ""]:
            try:
                int(s)
            except ValueError as e:
                print(e)
        `),
    ).toBe(
      '9007199254740992 -9007199254740992 9007199254740992 0 0 12 12 5\n' +
        "invalid literal for int() with base 10: '+_1'\n" +
        "invalid literal for int() with base 10: '_1'\n" +
        "invalid literal for int() with base 10: '1_'\n" +
        "invalid literal for int() with base 10: '1__2'\n" +
        "invalid literal for int() with base 10: ''\n",
    );
    expect(error('print(int("9007199254740993"))\n')).toBe(overflow);
    expect(error('print(int("9_007_199_254_740_993"))\n')).toBe(overflow);
    expect(error('print(int("-9007199254740993"))\n')).toBe(overflow);
  });

  it('sums exactly', () => {
    expect(
      output('print(sum([1, 2, 3]), sum([1.5, 2]), sum([True, True]), sum([9007199254740991, 1]))\n'),
    ).toBe('6 3.5 2 9007199254740992\n');
    expect(error('print(sum([9007199254740991, 1, 1]))\n')).toBe(overflow);
  });

  it('computes range lengths, items and membership exactly for operands near 2**53', () => {
    expect(
      output(py`
        print(len(range(-9007199254740992, 9007199254740991, 3)), range(-9007199254740992, 9007199254740992, 3)[-1])
        r = range(-9007199254740992, 9007199254740992)
        print(r[-1], r[0], r[9007199254740991], r[-9007199254740992], bool(r), r[5])
        print(range(9007199254740992, -9007199254740992, -1)[-1], len(range(9007199254740992, -9007199254740992, -3)))
        print(9007199254740991 in range(-9007199254740992, 9007199254740992, 3), 9007199254740990 in range(-9007199254740992, 9007199254740992, 3))
        print(-9007199254740992 in range(-9007199254740992, 9007199254740992, 7), 9007199254740988 in range(-9007199254740992, 9007199254740992, 7))
        print(range(0, 10, 3)[-1], range(10, 0, -3)[2], len(range(10, 0, -3)), 9 in range(0, 10, 3), 10 in range(0, 10, 3), -3 in range(0, -10, -3))
        `),
    ).toBe(
      '6004799503160661 9007199254740991\n' +
        '9007199254740991 -9007199254740992 -1 0 True -9007199254740987\n' +
        '-9007199254740991 6004799503160662\n' +
        'True False\n' +
        'True False\n' +
        '9 4 4 True False True\n',
    );
    // CPython: 18014398509481983, beyond what the simulator keeps exact.
    expect(error('print(len(range(-9007199254740992, 9007199254740991)))\n')).toBe(overflow);
  });
});

describe('float()', () => {
  it('accepts underscores between digits (PEP 515), and signed inf/nan in any case', () => {
    expect(
      output(py`
        print(float("1_0"), float("1_0.5_5"), float("1e1_0"), float(" 1_0 "), float("-nan"), float("+inf"), float("iNfInItY"), float("1.5e+0_1"), float(".5_5"), float("1.e5"))
        `),
    ).toBe('10.0 10.55 10000000000.0 10.0 nan inf inf 15.0 0.55 100000.0\n');
  });

  it('rejects leading, trailing and doubled underscores', () => {
    const bad = ['_1', '1_', '1__0', '1_.5', '1._5', '1e_5', '+_1', '1_0e', '5._', 'e5', '.', '1e', 'nan_'];
    expect(
      output(
        `for s in ${JSON.stringify(bad)}:\n    try:\n        float(s)\n    except ValueError as e:\n        print(e)\n`,
      ),
    ).toBe(bad.map((s) => `could not convert string to float: '${s}'\n`).join(''));
  });
});
