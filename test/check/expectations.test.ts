import { describe, expect, it } from 'vitest';
import { evaluate, parseExpectations } from '../../src/check/expectations.js';
import { PyList } from '../../src/semantics/values.js';

describe('# expect: lines', () => {
  it('reads every form of LANGUAGE.md', () => {
    const { expectations, errors } = parseExpectations(
      [
        '# expect: outcomes counter = {2..4}',
        '# expect: outcomes made = {1, 3}',
        '#expect:always counter == 4',
        '# expect: sometimes counter == 2',
        '# expect: never deadlock',
        '# expect: sometimes deadlock',
        '# expect: sometimes exception RuntimeError',
        '# expect: never exception AssertionError',
        '# expect: sometimes race counter',
        '# expect: never race',
        'x = 1  # expect: ignored, not a whole-line comment',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(expectations).toEqual([
      {
        kind: 'outcomes',
        line: 1,
        text: 'outcomes counter = {2..4}',
        name: 'counter',
        values: ['2', '3', '4'],
      },
      { kind: 'outcomes', line: 2, text: 'outcomes made = {1, 3}', name: 'made', values: ['1', '3'] },
      {
        kind: 'quantified',
        line: 3,
        text: 'always counter == 4',
        quantifier: 'always',
        predicate: { kind: 'expr', text: 'counter == 4' },
      },
      {
        kind: 'quantified',
        line: 4,
        text: 'sometimes counter == 2',
        quantifier: 'sometimes',
        predicate: { kind: 'expr', text: 'counter == 2' },
      },
      {
        kind: 'quantified',
        line: 5,
        text: 'never deadlock',
        quantifier: 'never',
        predicate: { kind: 'deadlock' },
      },
      {
        kind: 'quantified',
        line: 6,
        text: 'sometimes deadlock',
        quantifier: 'sometimes',
        predicate: { kind: 'deadlock' },
      },
      {
        kind: 'quantified',
        line: 7,
        text: 'sometimes exception RuntimeError',
        quantifier: 'sometimes',
        predicate: { kind: 'exception', type: 'RuntimeError' },
      },
      {
        kind: 'quantified',
        line: 8,
        text: 'never exception AssertionError',
        quantifier: 'never',
        predicate: { kind: 'exception', type: 'AssertionError' },
      },
      {
        kind: 'quantified',
        line: 9,
        text: 'sometimes race counter',
        quantifier: 'sometimes',
        predicate: { kind: 'race', cell: 'counter' },
      },
      {
        kind: 'quantified',
        line: 10,
        text: 'never race',
        quantifier: 'never',
        predicate: { kind: 'race', cell: null },
      },
    ]);
  });

  it('says what is wrong with a line it cannot read', () => {
    const { errors } = parseExpectations(
      '# expect: usually counter == 4\n# expect: outcomes x = {5..1}\n# expect: always counter ==\n',
    );
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3]);
    expect(errors[0]!.message).toMatch(/expected outcomes NAME = \{\.\.\.\}, or always\/never\/sometimes/);
    expect(errors[1]!.message).toMatch(/bad value set \{5\.\.1\}/);
    expect(errors[2]!.message).toMatch(/is not a Python expression/);
  });

  it('evaluates Python expressions over final globals with the VM', () => {
    const globals = new Map<string, import('../../src/semantics/values.js').Value>([
      ['counter', 4],
      ['items', new PyList(1, [1, 2])],
    ]);
    expect(evaluate('counter == 2 * 2 and len(items) == 2', globals)).toEqual({ value: true });
    expect(evaluate('items[-1] + counter', globals)).toEqual({ value: 6 });
    expect(evaluate('missing == 1', globals)).toEqual({ error: "NameError: name 'missing' is not defined" });
  });
});
