/**
 * Differential test of the code generator: small single-threaded programs generated with
 * fast-check (arithmetic, range loops with break/continue, functions with defaults, try/except,
 * lists) must print and end exactly as in the simulator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endState } from '../../src/explore/outcomes.js';
import { liveWorkers, runOnHardware } from '../../src/hw/runner.js';
import { compile, run } from '../helpers.js';

const small = fc.integer({ min: -20, max: 20 });
const name = fc.constantFrom('x', 'y', 'acc', 'i');

/** An int expression over x, y, acc, i (i is 0 outside loops). */
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    small.map(String),
    name,
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '//', '%'), tie('e'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
  ),
})).e;

const cond = fc
  .tuple(expr, fc.constantFrom('<', '<=', '==', '!=', '>'), expr)
  .map(([a, op, b]) => `${a} ${op} ${b}`);

const loop = fc
  .record({
    start: small,
    stop: small,
    step: fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0),
    body: expr,
    exit: fc.option(fc.tuple(cond, fc.constantFrom('break', 'continue')), { nil: undefined }),
  })
  .map(({ start, stop, step, body, exit }) =>
    [
      `for i in range(${start}, ${stop}, ${step}):`,
      ...(exit === undefined ? [] : [`    if ${exit[0]}:`, `        ${exit[1]}`]),
      `    acc = acc + ${body}`,
    ].join('\n'),
  );

const whileLoop = fc
  .tuple(fc.integer({ min: 0, max: 8 }), cond, expr)
  .map(([k, c, e]) => [`n = 0`, `while n < ${k} and ${c}:`, '    n += 1', `    acc = acc + ${e}`].join('\n'));

const floats = fc
  .tuple(expr, expr)
  .map(([a, b]) =>
    [
      'try:',
      `    fl = ${a} / ${b}`,
      'except ZeroDivisionError:',
      '    fl = 0.5',
      'print(f"{acc:,} {x!r} {fl} {fl:.3f}")',
    ].join('\n'),
  );

const guarded = expr.map((e) =>
  ['try:', `    acc = acc + ${e}`, 'except ZeroDivisionError:', '    acc = acc - 1'].join('\n'),
);

const program = fc
  .record({
    x: small,
    y: small,
    fbody: expr,
    fdefault: small,
    farg: small,
    statements: fc.array(fc.oneof(loop, guarded, whileLoop, floats), { minLength: 1, maxLength: 4 }),
    items: fc.array(small, { maxLength: 5 }),
  })
  .map(({ x, y, fbody, fdefault, farg, statements, items }) =>
    [
      `x = ${x}`,
      `y = ${y}`,
      'acc = 0',
      'i = 0',
      `def f(a, b=${fdefault}):`,
      `    i = a`,
      `    acc = b`,
      `    return ${fbody}`,
      ...statements,
      `lst = [${items.join(', ')}]`,
      'for v in lst:',
      '    acc += v',
      'try:',
      `    r = f(${farg})`,
      'except ZeroDivisionError as e:',
      '    r = str(e)',
      'print(acc, x, y, r)',
      '',
    ].join('\n'),
  );

describe('generated JavaScript against the simulator', () => {
  it('prints and ends the same for generated single-threaded programs', async () => {
    await fc.assert(
      fc.asyncProperty(program, async (source) => {
        const p = compile(source);
        const sim = run(p);
        let out = '';
        const [trial] = await runOnHardware(p, { trials: 1, onOutput: (_, t) => (out += t) });
        expect(out).toBe(sim.out);
        expect(trial!.status).toBe('completed');
        expect(trial!.end!.globals).toEqual(endState(sim.machine, 'completed').globals);
      }),
      { numRuns: 25, seed: 20261129 },
    );
    expect(liveWorkers()).toBe(0);
  }, 300_000);
});
