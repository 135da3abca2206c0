import { describe, expect, it } from 'vitest';
import { expr, firstError, withoutSpans } from './helpers.js';

const name = (id: string) => ({ kind: 'Name', id });

describe('f-strings', () => {
  it('split into literal text and fields with their format specs', () => {
    expect(withoutSpans(expr('f"{nloop:,} loops -> {counter:,}"'))).toEqual({
      kind: 'FString',
      parts: [
        { expr: name('nloop'), conversion: null, spec: ',' },
        ' loops -> ',
        { expr: name('counter'), conversion: null, spec: ',' },
      ],
    });
  });

  it('read the !r and !s conversions, alone and with a spec', () => {
    expect(withoutSpans(expr("f'{err!r} in {t!s:>5} {x:.2f}'"))).toEqual({
      kind: 'FString',
      parts: [
        { expr: name('err'), conversion: 'r', spec: null },
        ' in ',
        { expr: name('t'), conversion: 's', spec: '>5' },
        ' ',
        { expr: name('x'), conversion: null, spec: '.2f' },
      ],
    });
  });

  it('turn {{ and }} into literal braces', () => {
    expect(withoutSpans(expr("f'{{x}} = {x}'"))).toEqual({
      kind: 'FString',
      parts: ['{x} = ', { expr: name('x'), conversion: null, spec: null }],
    });
  });

  it('parse each field as a full expression, strings and comparisons included', () => {
    expect(withoutSpans(expr(`f"{repr(d['k']) != x}"`))).toEqual({
      kind: 'FString',
      parts: [
        {
          expr: {
            kind: 'Compare',
            left: {
              kind: 'Call',
              func: name('repr'),
              args: [{ kind: 'Subscript', value: name('d'), index: { kind: 'Str', value: 'k' } }],
              keywords: [],
            },
            ops: ['!='],
            comparators: [name('x')],
          },
          conversion: null,
          spec: null,
        },
      ],
    });
  });

  it("point the field's spans into the file", () => {
    const f = expr('x = f"a {b + c} {  current_thread().name}"');
    expect(f.kind === 'FString' && f.parts).toMatchObject([
      'a ',
      {
        expr: { span: { line: 1, col: 10, endLine: 1, endCol: 15 }, left: { span: { col: 10, endCol: 11 } } },
      },
      ' ',
      { expr: { span: { line: 1, col: 20, endCol: 41 } } },
    ]);
  });

  it('point into later lines of a triple-quoted f-string', () => {
    const f = expr('x = f"""one\n  {value}"""');
    expect(f.kind === 'FString' && f.parts[1]).toMatchObject({
      expr: { span: { line: 2, col: 4, endCol: 9 } },
    });
  });

  it('decode escapes in the literal text, but not in raw f-strings', () => {
    expect(withoutSpans(expr(String.raw`f'\t{x}\n'`))).toMatchObject({ parts: ['\t', {}, '\n'] });
    expect(withoutSpans(expr(String.raw`rf'\t{x}'`))).toMatchObject({ parts: ['\\t', {}] });
  });

  it('join with adjacent plain strings', () => {
    expect(withoutSpans(expr(`'a' f'{x}' 'b'`))).toEqual({
      kind: 'FString',
      parts: ['a', { expr: name('x'), conversion: null, spec: null }, 'b'],
    });
  });

  it('report a malformed field as E106 at its position', () => {
    expect(firstError("x = f'{}'\n")).toEqual([
      'E106',
      1,
      7,
      'bad f-string: empty expression in an f-string field',
    ]);
    expect(firstError("x = f'{a'\n")).toEqual([
      'E106',
      1,
      7,
      "bad f-string: '{' was never closed in the f-string",
    ]);
    expect(firstError("x = f'a } b'\n")).toEqual([
      'E106',
      1,
      9,
      "bad f-string: single '}' is not allowed in an f-string: write '}}' for a literal brace",
    ]);
    expect(firstError("x = f'{x!q}'\n")).toEqual([
      'E106',
      1,
      9,
      "bad f-string: the conversion in an f-string field must be '!r' or '!s'",
    ]);
    expect(firstError("x = f'{a b}'\n")).toEqual([
      'E106',
      1,
      10,
      "bad f-string field: expected the end of the expression but found 'b'",
    ]);
    expect(firstError("x = f'{count#er:,}'\n")).toEqual([
      'E106',
      1,
      13,
      "bad f-string: an f-string field cannot contain '#'",
    ]);
    expect(firstError("x = f'{a $}'\n")).toEqual([
      'E106',
      1,
      10,
      "bad f-string field: unexpected character '$'",
    ]);
  });
});
