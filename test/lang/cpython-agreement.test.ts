/**
 * Differential test against CPython's own parser (skipped where no python3 >= 3.9 is found):
 * on the example programs and on a few hundred mutants of them,
 * - what CPython rejects, we reject too (we never accept invalid Python);
 * - what both accept gives the same AST, spans included (the `ast` module's positions).
 * The mutants come from fast-check with a fixed seed, so every run checks the same programs.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/lang/parse.js';

const script = new URL('./cpython/ast_json.py', import.meta.url).pathname;
const version = spawnSync('python3', ['-c', 'import sys; print(sys.version_info >= (3, 9))'], {
  encoding: 'utf8',
});
const havePython = version.status === 0 && version.stdout.trim() === 'True';

// The repository's own programs, so the mutants are the same in every checkout.
const programsDir = new URL('../../programs/', import.meta.url).pathname;
const SEEDS = [
  `import threading, time
from sys import stdout as out
x = [a for a in b if c]
d = {1: (2,), 'k': [3, 4,]}
y = a if b else c
z = not a < b <= c is not d
w = -x * +y // 3 % 4 / 5 - (6 + 7)
f(a, b=1)[0].g
t, u = (), (1,)
s = 'a' "b" f'{x!r:>5} {y:,} z'
while x: pass
try:
    pass
except E as e:
    raise
except (A, B):
    pass
else:
    pass
finally:
    del d[k], e[1, 2]
assert x, 'm'
with a, b: pass
if a:
    pass
elif b:
    x = y = 1, 2,
else:
    (a, [b, c]) = v
d[k] -= 1


def g(a, b=2, c=(1, 2)):
    global q
    for i, (j, k) in z:
        continue
    return x or y and z
`,
  ...readdirSync(programsDir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => readFileSync(join(programsDir, f), 'utf8')),
];

/** Insert, delete or swap small pieces of a seed: mostly near-valid programs. */
function mutants(count: number): string[] {
  const words = [
    '(',
    ')',
    ',',
    '=',
    'if',
    'else',
    'not',
    'x',
    '1',
    "'s'",
    '.',
    'and',
    'or',
    '-',
    '*',
    '//',
    '[0]',
  ];
  const edit = fc.tuple(fc.nat(), fc.nat(5), fc.constantFrom(...words), fc.boolean());
  const gen = fc.tuple(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 2 }));
  return fc.sample(gen, { seed: 4242, numRuns: count }).map(([seed, edits]) =>
    edits.reduce((src, [at, cut, word, insert]) => {
      const i = at % (src.length + 1);
      return insert ? `${src.slice(0, i)} ${word} ${src.slice(i)}` : src.slice(0, i) + src.slice(i + cut + 1);
    }, seed),
  );
}

/** Our AST without what the converter leaves out: parameter spans, spans inside f-string fields. */
function comparable(value: unknown, inField = false): unknown {
  if (Array.isArray(value)) return value.map((v) => comparable(v, inField));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'span' && inField) continue;
    if (key === 'params') {
      out[key] = (v as Record<string, unknown>[]).map(({ span: _span, ...rest }) => comparable(rest));
      continue;
    }
    out[key] = comparable(v, inField || key === 'expr');
  }
  return out;
}

describe.skipIf(!havePython)('agreement with CPython', () => {
  it('rejects what CPython rejects and builds the same AST as CPython for the rest', () => {
    const sources = [...SEEDS, ...mutants(600)];
    const run = spawnSync('python3', [script], {
      input: JSON.stringify(sources),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(run.status, run.stderr).toBe(0);
    const theirs = JSON.parse(run.stdout) as { ok: boolean; body?: unknown }[];
    let compared = 0;
    sources.forEach((source, i) => {
      const ours = parseProgram(source, 'm.py');
      const cpython = theirs[i]!;
      if (!cpython.ok) expect(ours.module, `accepted invalid Python:\n${source}`).toBeNull();
      if (ours.module !== null && cpython.body) {
        expect(comparable(ours.module.body), source).toEqual(cpython.body);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(100);
  });
});
