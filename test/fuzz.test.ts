/**
 * Fuzzing the whole tool: mutate real programs (delete, duplicate and swap lines and tokens,
 * insert random bytes) and check that compiling and running always ends with diagnostics or a
 * result, never an internal error or a hang (every run is bounded in steps and loop iterations).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../src/run/run.js';
import { compileSource } from '../src/compile/index.js';
import { formatDiagnostics, DIAGNOSTIC_CODES } from '../src/base/diagnostics.js';
import { windowRows } from '../src/report/lost-update-window.js';
import { traceLostUpdateWindows } from '../src/run/lost-update-trace.js';
import { outcomeOf } from '../src/report/outcome.js';
import { renderOutcome } from '../src/report/text.js';

const root = join(import.meta.dirname, '..');
const corpus = [
  ...readdirSync(join(root, 'programs')).map((f) => join(root, 'programs', f)),
  ...readdirSync(join(root, 'test/vm/golden')).map((f) => join(root, 'test/vm/golden', f)),
]
  .filter((f) => f.endsWith('.py'))
  .map((f) => readFileSync(f, 'utf8'));

type Mutation = (text: string, a: number, b: number, bytes: Uint8Array) => string;

const lines = (t: string): string[] => t.split('\n');
const tokens = (t: string): string[] => t.split(/(\s+|[()[\]{}:,.=+\-*/%<>!'"])/).filter((x) => x !== '');
const at = <T>(xs: T[], i: number): number => (xs.length === 0 ? 0 : i % xs.length);

const MUTATIONS: Record<string, Mutation> = {
  deleteLine: (t, a) => {
    const ls = lines(t);
    ls.splice(at(ls, a), 1);
    return ls.join('\n');
  },
  duplicateLine: (t, a) => {
    const ls = lines(t);
    const i = at(ls, a);
    ls.splice(i, 0, ls[i] ?? '');
    return ls.join('\n');
  },
  swapLines: (t, a, b) => {
    const ls = lines(t);
    const i = at(ls, a);
    const j = at(ls, b);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return ls.join('\n');
  },
  deleteToken: (t, a) => {
    const ts = tokens(t);
    ts.splice(at(ts, a), 1);
    return ts.join('');
  },
  duplicateToken: (t, a) => {
    const ts = tokens(t);
    const i = at(ts, a);
    ts.splice(i, 0, ts[i] ?? '');
    return ts.join('');
  },
  swapTokens: (t, a, b) => {
    const ts = tokens(t);
    const i = at(ts, a);
    const j = at(ts, b);
    [ts[i], ts[j]] = [ts[j]!, ts[i]!];
    return ts.join('');
  },
  randomBytes: (t, a, _b, bytes) => {
    const i = t.length === 0 ? 0 : a % t.length;
    return t.slice(0, i) + String.fromCharCode(...bytes) + t.slice(i);
  },
};

const mutant = fc
  .tuple(
    fc.integer({ min: 0, max: corpus.length - 1 }),
    fc.array(
      fc.tuple(
        fc.constantFrom(...Object.keys(MUTATIONS)),
        fc.nat(),
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 6 }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([index, steps]) =>
    steps.reduce((text, [name, a, b, bytes]) => MUTATIONS[name]!(text, a, b, bytes), corpus[index]!),
  );

describe('the tool on mutated programs', () => {
  it('always ends with diagnostics or a result, never an internal error or a hang', () => {
    let compiled = 0;
    fc.assert(
      fc.property(mutant, fc.nat(1000), (source, seed) => {
        const { program, diagnostics } = compileSource(source, 'mutant.py');
        if (program === null) {
          expect(diagnostics.length).toBeGreaterThan(0);
          for (const d of diagnostics) {
            expect(Object.keys(DIAGNOSTIC_CODES)).toContain(d.code);
            expect(d.message.length).toBeGreaterThan(0);
          }
          expect(formatDiagnostics('mutant.py', source, diagnostics)).toMatch(
            /^mutant\.py:\d+(:\d+)?: error E\d{3} /,
          );
          return;
        }
        compiled++;
        const result = runProgram(program, {
          scheduler: 'uniform',
          seed,
          maxSteps: 20_000,
          spinLimit: 100_000,
          output: () => {},
        });
        expect(['completed', 'deadlock', 'step-bound']).toContain(result.execution.status);
        const outcome = outcomeOf(result);
        const text = renderOutcome(
          result,
          outcome,
          windowRows(traceLostUpdateWindows(result, outcome.lostUpdates.first)),
          null,
        );
        expect(text).toMatch(/^── interleave: mutant\.py/);
      }),
      { seed: 20261129, numRuns: 400 },
    );
    // The mutants must reach the VM often enough for the test to mean something.
    expect(compiled).toBeGreaterThan(40);
  });
});
