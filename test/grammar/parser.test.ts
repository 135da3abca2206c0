import type { CstNode } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../grammar/lexer.js';
import { parseTokens } from '../../grammar/parser.js';

function parse(text: string): ReturnType<typeof parseTokens> {
  return parseTokens(tokenize(text).tokens, 'file');
}

describe('the grammar', () => {
  it('gives a CST rooted at the file rule', () => {
    const { cst, errors } = parse('x = 1\n');
    expect(errors).toEqual([]);
    expect((cst as CstNode).name).toBe('file');
  });

  it('stops at the first syntax error and gives no CST', () => {
    const { cst, errors } = parse('x = (1,,)\ny = )\n');
    expect(cst).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.token.startLine).toBe(1);
  });

  it('starts every parse afresh', () => {
    expect(parse('if x\n').errors).toHaveLength(1);
    expect(parse('if x:\n    pass\n').errors).toEqual([]);
  });

  it('accepts trailing commas where Python does', () => {
    for (const src of [
      'f(a, b,)\n',
      'x = [1, 2,]\n',
      'x = {1: 2,}\n',
      'x = 1,\n',
      'def f(a, b=1,):\n  pass\n',
    ]) {
      expect(parse(src).errors, src).toEqual([]);
    }
  });

  it('parses one expression and nothing more for expressionInput', () => {
    const ok = parseTokens(tokenize('[1, 2]', { mode: 'expression' }).tokens, 'expressionInput');
    expect(ok.errors).toEqual([]);
    const bad = parseTokens(tokenize('1 2', { mode: 'expression' }).tokens, 'expressionInput');
    expect(bad.errors[0]!.message).toBe("expected the end of the expression but found '2'");
  });
});
