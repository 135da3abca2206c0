import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/lang/parse.js';
import { withoutSpans } from './helpers.js';

function value(text: string): unknown {
  const { expr, diagnostics } = parseExpression(text);
  expect(diagnostics).toEqual([]);
  return withoutSpans(expr);
}

describe('parseExpression, for --set values', () => {
  it('reads numbers, negative numbers, strings, booleans and None', () => {
    expect(value('2')).toEqual({ kind: 'Int', value: 2 });
    expect(value('-3')).toEqual({ kind: 'UnaryOp', op: '-', operand: { kind: 'Int', value: 3 } });
    expect(value('0.5')).toEqual({ kind: 'Float', value: 0.5 });
    expect(value("'abc'")).toEqual({ kind: 'Str', value: 'abc' });
    expect(value('True')).toEqual({ kind: 'Bool', value: true });
    expect(value('None')).toEqual({ kind: 'None' });
  });

  it('reads lists and tuples, with or without parentheses', () => {
    expect(value('[1, 2]')).toEqual({ kind: 'List', elts: [1, 2].map((v) => ({ kind: 'Int', value: v })) });
    expect(value('1, 2')).toEqual({ kind: 'Tuple', elts: [1, 2].map((v) => ({ kind: 'Int', value: v })) });
  });

  it('ignores surrounding spaces and gives spans within the text', () => {
    expect(parseExpression('  50_000 ').expr).toEqual({
      kind: 'Int',
      value: 50000,
      span: { line: 1, col: 3, endLine: 1, endCol: 9 },
    });
  });

  it('rejects anything after the expression, and an empty text', () => {
    expect(parseExpression('1 2')).toEqual({
      expr: null,
      diagnostics: [
        {
          code: 'E110',
          message: "expected the end of the expression but found '2'",
          line: 1,
          col: 3,
          width: 1,
        },
      ],
    });
    expect(parseExpression('').diagnostics.map((d) => d.message)).toEqual([
      'expected an expression but found the end of the file',
    ]);
    expect(parseExpression('x = 1').expr).toBeNull();
  });

  it('reports lexical errors and constructs outside the subset', () => {
    expect(parseExpression('$').diagnostics.map((d) => d.code)).toEqual(['E100']);
    expect(parseExpression('2 ** 8').diagnostics.map((d) => d.code)).toEqual(['E120']);
    expect(parseExpression('99999999999999999999').diagnostics.map((d) => d.code)).toEqual(['E105']);
  });
});
