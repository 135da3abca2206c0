/**
 * Format specs (f-string fields) against CPython 3.11: every expected string below was printed
 * by `python3` for `format(value, spec)` (an error as `!Type: message`).
 */
import { describe, expect, it } from 'vitest';
import { PyRaise } from '../../src/semantics/exceptions.js';
import { exceptionLine, floatRepr, formatValue, reprCapped } from '../../src/semantics/format.js';
import { PyFloat, PyList, type Value } from '../../src/semantics/values.js';
import { py, run } from '../helpers.js';

const f = (x: number): PyFloat => new PyFloat(x);

/** format(v, spec), or `!Type: message` for the Python exception it raises. */
function format(v: Value, spec: string): string {
  try {
    return formatValue(v, spec);
  } catch (e) {
    if (e instanceof PyRaise) return `!${exceptionLine(e.exc)}`;
    throw e;
  }
}

function expectFormats(cases: [Value, string, string][]): void {
  const actual = cases.map(([v, spec]) => [v, spec, format(v, spec)]);
  expect(actual).toEqual(cases);
}

describe('format specs match CPython', () => {
  it('rounds on the exact binary value, half to even only on exact ties', () => {
    expectFormats([
      [f(0.005), '.2f', '0.01'],
      [f(0.015), '.2f', '0.01'],
      [f(2.675), '.2f', '2.67'],
      [f(1.005), '.2f', '1.00'],
      [f(0.125), '.2f', '0.12'],
      [f(0.375), '.2f', '0.38'],
      [f(2.5), '.0f', '2'],
      [f(3.5), '.0f', '4'],
      [f(0.5), '.0f', '0'],
      [f(1.125), '.3', '1.12'],
      [f(1.125), '.3g', '1.12'],
      [f(2.5), '.1e', '2.5e+00'],
      [f(1.5), '.0e', '2e+00'],
      [f(99.96), '.1f', '100.0'],
      [f(9.995), '.2f', '9.99'],
      [f(0.0005), '.3f', '0.001'],
      [f(0.0015), '.3f', '0.002'],
      [f(-2.675), '.2f', '-2.67'],
      [f(0.1), '.17', '0.10000000000000001'],
      [f(0.1), '.20f', '0.10000000000000000555'],
      [f(0.3333333333333333), '.20g', '0.33333333333333331483'],
      [f(5e-324), '.3e', '4.941e-324'],
      [f(1.7976931348623157e308), 'e', '1.797693e+308'],
      [f(2.2250738585072014e-308), '.5g', '2.2251e-308'],
    ]);
  });

  it("follows Python's g and no-type rules for the exponent switch and trailing zeros", () => {
    expectFormats([
      [f(100000.0), 'g', '100000'],
      [f(1000000.0), 'g', '1e+06'],
      [f(20.0), '.2g', '20'],
      [f(500.0), '.3g', '500'],
      [f(123.0), '.2', '1.2e+02'],
      [f(1.0), '.1', '1e+00'],
      [f(20.0), '.3', '20.0'],
      [f(1e16), '.20', '10000000000000000.0'],
      [f(1e16), '.16', '1e+16'],
      [f(1e16), '.17', '1e+16'],
      [f(0.0001), '.3', '0.0001'],
      [f(1e-5), '.3', '1e-05'],
      [f(0.0001), 'g', '0.0001'],
      [f(1e-5), 'g', '1e-05'],
      [f(123456.0), '.0g', '1e+05'],
      [f(0.0), 'g', '0'],
      [f(0.0), '.3', '0.0'],
      [f(0.0), '#g', '0.00000'],
      [f(1.5), '#', '1.5'],
      [f(1.0), '#.3', '1.00'],
      [f(640.3494451225772), '#.3g', '640.'],
      [f(1.5), '#.0f', '2.'],
      [f(1.5), '#.0e', '2.e+00'],
      [f(12.5), 'n', '12.5'],
      [f(1e16), '', '1e+16'],
      [f(1e16), '>8', '   1e+16'],
      [f(123456789.0), ',', '123,456,789.0'],
      [f(1234567.0), ',.3', '1.23e+06'],
      [f(1e22), ',', '1e+22'],
      [f(1.5e-7), 'g', '1.5e-07'],
      [f(2.5), 'G', '2.5'],
      [f(1e300), '.3G', '1E+300'],
      [f(1.5), 'E', '1.500000E+00'],
      [f(1e20), 'F', '100000000000000000000.000000'],
    ]);
  });

  it('prints big magnitudes in full with f', () => {
    expectFormats([
      [f(1e21), '.2f', '1000000000000000000000.00'],
      [f(1e22), 'f', '10000000000000000000000.000000'],
      [f(1.2345678901234568e17), '.1f', '123456789012345680.0'],
      [f(1.1805916207174113e21), '.0f', '1180591620717411303424'],
      [
        f(1e300),
        '%',
        '100000000000000007629703079084894925347346855150656811701601734206211380288125794484142188964691784076639747577138548761372210387844799938291815611350519830750167649856488981626536368095414607314235151058373458986890825155659063617715863205282622390509284183439858617103083735673849899204570498157510656.000000%',
      ],
    ]);
  });

  it('handles signs, zeros, infinities and NaN', () => {
    expectFormats([
      [f(-0.0), '.2f', '-0.00'],
      [f(-0.0), '', '-0.0'],
      [f(-0.0), 'g', '-0'],
      [f(-0.001), '.2f', '-0.00'],
      [f(-0.001), 'z.2f', '0.00'],
      [f(-0.0), 'z', '0.0'],
      [f(-0.4), 'z.0f', '0'],
      [f(-1.5), 'z.1f', '-1.5'],
      [f(1.5), '+', '+1.5'],
      [f(1.5), ' .2f', ' 1.50'],
      [f(Infinity), '.2f', 'inf'],
      [f(-Infinity), 'e', '-inf'],
      [f(Infinity), 'F', 'INF'],
      [f(NaN), '+', '+nan'],
      [f(NaN), 'G', 'NAN'],
      [f(Infinity), '%', 'inf%'],
      [f(Infinity), '010', '0000000inf'],
      [f(NaN), '+010,', '+000000nan'],
      [f(-Infinity), '=+9', '-     inf'],
    ]);
  });

  it('pads with fill and alignment, zeros after the sign, separators in zero padding', () => {
    expectFormats([
      [12, '<08', '12000000'],
      [-12, '>08', '00000-12'],
      [-12, '08', '-0000012'],
      [-12, '^08', '00-12000'],
      ['x', '<08', 'x0000000'],
      ['x', '08', 'x0000000'],
      ['x', '*<08', 'x*******'],
      [f(-1.5), '010,.2f', '-00,001.50'],
      [1234567, '012,', '0,001,234,567'],
      [1, '04,', '0,001'],
      [1, '05,', '0,001'],
      [1, '06_', '00_001'],
      [1234, '0=12,', '0,000,001,234'],
      [1234, '*=12,', '*******1,234'],
      [-3, '^+6', '  -3  '],
      [f(1.5), '=+10', '+      1.5'],
      [255, '#010x', '0x000000ff'],
      [-255, '#010x', '-0x00000ff'],
      [123456, '#_b', '0b1_1110_0010_0100_0000'],
      [74565, '_x', '1_2345'],
      [255, '#X', '0XFF'],
      [65, 'c', 'A'],
      [65, '>5c', '    A'],
      [65, '05c', '0000A'],
      [f(3.25), '*^12.3%', '**325.000%**'],
      [f(-1234.5678), '+015_.2f', '-000_001_234.57'],
      [true, '>6', '     1'],
      [true, '', 'True'],
      [false, 'f', '0.000000'],
      [true, 'c', '\u0001'],
    ]);
  });

  it('measures str widths and precisions in code points', () => {
    expectFormats([
      ['abc', '.1', 'a'],
      ['abc', '^7', '  abc  '],
      ['ab', '^7', '  ab   '],
      ['\ud83d\ude00a', '^6', '  \ud83d\ude00a  '],
      ['\u65e5\u672c\u8a9e', '.2', '\u65e5\u672c'],
      ['a', '\ud83d\ude00>4', '\ud83d\ude00\ud83d\ude00\ud83d\ude00a'],
      ['\ud83d\ude00\ud83d\ude00b', '.2', '\ud83d\ude00\ud83d\ude00'],
    ]);
  });

  it('precision beyond 100', () => {
    expectFormats([
      [f(1.0), '.101f', '1.' + '0'.repeat(101)],
      [f(1.0), '.101e', '1.' + '0'.repeat(101) + 'e+00'],
      [f(1.0), '.101', '1.0'],
      [f(1.0), '.101%', '100.' + '0'.repeat(101) + '%'],
      [1, '.101f', '1.' + '0'.repeat(101)],
      [f(0.1), '.110f', '0.1000000000000000055511151231257827021181583404541015625' + '0'.repeat(55)],
      [f(0.1), '.1000g', '0.1000000000000000055511151231257827021181583404541015625'],
      [f(5e-324), '.30e', '4.940656458412465441765687928682e-324'],
      [
        f(5e-324),
        '.1100g',
        '4.940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625e-324',
      ],
    ]);
  });

  it("raises CPython's ValueError messages", () => {
    expectFormats([
      [5, ',x', "!ValueError: Cannot specify ',' with 'x'."],
      ['x', '=5', "!ValueError: '=' alignment not allowed in string format specifier"],
      [f(1.5), '.f', '!ValueError: Format specifier missing precision'],
      [5, '.f', '!ValueError: Format specifier missing precision'],
      ['x', '.f', '!ValueError: Format specifier missing precision'],
      [5, '.2', '!ValueError: Precision not allowed in integer format specifier'],
      [5, '.2d', '!ValueError: Precision not allowed in integer format specifier'],
      ['x', ' 5', '!ValueError: Space not allowed in string format specifier'],
      ['x', '+5', '!ValueError: Sign not allowed in string format specifier'],
      ['x', '#', '!ValueError: Alternate form (#) not allowed in string format specifier'],
      ['x', 'z', '!ValueError: Negative zero coercion (z) not allowed in string format specifier'],
      ['x', ',', "!ValueError: Cannot specify ',' with 's'."],
      [f(1.5), 'd', "!ValueError: Unknown format code 'd' for object of type 'float'"],
      [5, 's', "!ValueError: Unknown format code 's' for object of type 'int'"],
      [5, 'ff', "!ValueError: Invalid format specifier 'ff' for object of type 'int'"],
      [f(1.5), 'ff', "!ValueError: Invalid format specifier 'ff' for object of type 'float'"],
      [5, ',_', "!ValueError: Cannot specify both ',' and '_'."],
      [5, '_,', "!ValueError: Cannot specify both ',' and '_'."],
      [5, ',n', "!ValueError: Cannot specify ',' with 'n'."],
      [5, 'z', '!ValueError: Negative zero coercion (z) not allowed in integer format specifier'],
      [-1, 'c', '!OverflowError: %c arg not in range(0x110000)'],
      [5, '+c', "!ValueError: Sign not allowed with integer format specifier 'c'"],
      [5, '#c', "!ValueError: Alternate form (#) not allowed with integer format specifier 'c'"],
      [true, 's', "!ValueError: Unknown format code 's' for object of type 'bool'"],
      [5, '\u20ac', "!ValueError: Unknown format code '\\x20ac' for object of type 'int'"],
      [5, ',\u0001', "!ValueError: Cannot specify ',' with '\\x1'."],
      [f(1.5), '.9999999999', '!ValueError: precision too big'],
      [f(1.5), '99999999999999999999', '!ValueError: Too many decimal digits in format string'],
      [f(1.5), '.99999999999999999999', '!ValueError: Too many decimal digits in format string'],
    ]);
  });

  it('never prints an int as negative zero', () => {
    expectFormats([
      [-0, '.2f', '0.00'],
      [-0, '+', '+0'],
      [-0, 'e', '0.000000e+00'],
      [-0, '05', '00000'],
    ]);
  });

  // The exception class is strTooLong's (arith.ts), shared with `"a" * 10**9`.
  it('refuses a result longer than the str cap with a Python exception, not a JS crash', () => {
    for (const [v, spec] of [
      [1, '>999999999'],
      [f(0.1), '.999999999f'],
      [f(0.1), '.1000000000e'],
      ['a', '\u{1f600}>200000000'],
      [1, '0=300000000,'],
    ] as [Value, string][]) {
      expect(format(v, spec)).toMatch(/^!(OverflowError|MemoryError): formatted string is too long/);
    }
  });
});

describe('float repr', () => {
  it('uses the shortest digits and switches to an exponent below 1e-4 and from 1e16', () => {
    const values = [0.1, 1e16, 9999999999999998, 1e-4, 1e-5, 5e-324, 1.7976931348623157e308, -0, 1, 123.456];
    expect(values.map(floatRepr)).toEqual([
      '0.1',
      '1e+16',
      '9999999999999998.0',
      '0.0001',
      '1e-05',
      '5e-324',
      '1.7976931348623157e+308',
      '-0.0',
      '1.0',
      '123.456',
    ]);
  });
});

describe('f-strings in programs', () => {
  it('prints what CPython prints', () => {
    const out = run(py`
      x = 2.675
      print(f"{0.005:.2f} {x:.2f} {100000.0:g} {20.0:.2g} {123.0:.2} {1e21:.2f}")
      print(f"{12:<08}|{-12:>08}|{'x':<08}|{-1.5:010,.2f}|{1234567:012,}|{0 * -1:.2f}")
      `).out;
    expect(out).toBe(
      '0.01 2.67 100000 20 1.2e+02 1000000000000000000000.00\n' +
        '12000000|00000-12|x0000000|-00,001.50|0,001,234,567|0.00\n',
    );
  });

  it('raises TypeError for a spec on a type with object.__format__', () => {
    const out = run(py`
      import threading
      for v in [None, [1], (1,), {}, threading.Lock(), range(3), ValueError("x")]:
          try:
              print(f"{v:>6}")
          except TypeError as e:
              print(e)
      print(f"{None}|{[1]}|{(1,)}")
      `).out;
    expect(out).toBe(
      [
        'unsupported format string passed to NoneType.__format__',
        'unsupported format string passed to list.__format__',
        'unsupported format string passed to tuple.__format__',
        'unsupported format string passed to dict.__format__',
        'unsupported format string passed to _thread.lock.__format__',
        'unsupported format string passed to range.__format__',
        'unsupported format string passed to ValueError.__format__',
        'None|[1]|(1,)',
        '',
      ].join('\n'),
    );
  });

  it('raises a huge width as a catchable Python exception', () => {
    const out = run(py`
      x = 1
      try:
          s = f"{x:>999999999}"
      except Exception as e:
          print("caught:", "formatted string is too long" in str(e))
      `).out;
    expect(out).toBe('caught: True\n');
  });
});

describe('repr of deep and huge values', () => {
  it('raises RecursionError past 1000 levels, as CPython, and reports cut the repr instead', () => {
    const r = run(py`
      x = []
      for i in range(2000):
          x = [x]
      try:
          print(repr(x))
      except RecursionError as e:
          print(e)
      y = [1]
      y.append(y)
      print(y)
      `);
    expect(r.out).toBe('maximum recursion depth exceeded while getting the repr of an object\n[1, [...]]\n');
    const deep = r.machine.finalGlobals().get('x')!;
    expect(reprCapped(deep, 50)).toBe(`${'['.repeat(49)}…`);
    expect(reprCapped(new PyList(1, Array<Value>(1_000_000).fill(7)), 12)).toBe('[7, 7, 7, 7…');
    expect(reprCapped(new PyList(1, [1, 2]), 12)).toBe('[1, 2]');
  });
});
