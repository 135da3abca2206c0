import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/base/diagnostics.js';
import { parseExpression, parseProgram } from '../../src/lang/parse.js';
import { checkSpans } from './helpers.js';

/** Programs in and around the subset, to be mutated. */
const SEEDS = [
  `import threading
from threading import Thread, current_thread

counter, nthread, nloop = 0, 2, 3
lock = threading.Lock()


def increment(n, lock, step=1):
    global counter
    for _ in range(n):
        with lock:
            counter += step
    return counter


threads = [Thread(target=increment, args=(nloop, lock)) for _ in range(nthread)]
[t.start() for t in threads]
for t in threads:
    t.join()
print(f"{nloop:,} loops X {nthread:,} threads -> counter is {counter:,}")
assert counter == nloop * nthread, f"Invalid value for counter: {counter!r}"
`,
  `import time
items = []
d = {'a': 1, "b": [2, 3]}


def consumer(c):
    try:
        while len(items) == 0 and not done or x is not None:
            c.wait(timeout=0.5)
        del d['a']
    except RuntimeError as err:
        print(repr(err), file=sys.stderr)
    else:
        pass
    finally:
        x = y if z else -1
    if a < b <= c:
        raise ValueError('bad')
    elif q in d:
        return
`,
  `class A:\n    def f(self, *a, **k): return lambda: (yield)\nx = a[1:2] ** 2 | 3\n`,
];

type Mutation =
  | { kind: 'deleteLine' | 'duplicateLine' | 'deleteWord' | 'duplicateWord' | 'truncate'; at: number }
  | { kind: 'swapLines' | 'swapWords'; a: number; b: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('deleteLine', 'duplicateLine', 'deleteWord', 'duplicateWord', 'truncate' as const),
    at: fc.nat(),
  }),
  fc.record({ kind: fc.constantFrom('swapLines', 'swapWords' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        '(',
        ')',
        ':',
        '\t',
        '    ',
        '\n',
        '"',
        "'''",
        'f"{',
        '\\',
        'else',
        'def',
        ',',
        '=',
        '#',
        '\r',
      ),
      fc.string({ maxLength: 4 }),
    ),
  }),
);

/** Apply one mutation to lines (split on line breaks) or words (split on spaces). */
function mutate(source: string, m: Mutation): string {
  const byLines = m.kind.endsWith('Line') || m.kind === 'swapLines';
  const parts = byLines ? source.split('\n') : source.split(/(\s+)/);
  const n = Math.max(1, parts.length);
  switch (m.kind) {
    case 'deleteLine':
    case 'deleteWord':
      parts.splice(m.at % n, 1);
      break;
    case 'duplicateLine':
    case 'duplicateWord':
      parts.splice(m.at % n, 0, parts[m.at % n] ?? '');
      break;
    case 'swapLines':
    case 'swapWords': {
      const a = m.a % n;
      const b = m.b % n;
      [parts[a], parts[b]] = [parts[b] ?? '', parts[a] ?? ''];
      break;
    }
    case 'truncate':
      return source.slice(0, m.at % (source.length + 1));
    case 'insert': {
      const at = m.at % (source.length + 1);
      return source.slice(0, at) + m.text + source.slice(at);
    }
  }
  return parts.join(byLines ? '\n' : '');
}

/** What must hold for any input: no throw, a coherent result, and sound spans when it parses. */
function checkProgram(source: string): void {
  const { module, diagnostics } = parseProgram(source, 'fuzz.py');
  expect(module === null).toBe(diagnostics.length > 0);
  for (const d of diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
  }
  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.col - b.col);
  expect(diagnostics).toEqual(sorted);
  formatDiagnostics('fuzz.py', source, diagnostics);
  if (module !== null) checkSpans(source, module.body);
}

describe('the parser on mangled input', () => {
  it('never throws for mutated programs (300 runs, fixed seed)', () => {
    const program = fc
      .tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([seed, mutations]) => mutations.reduce(mutate, seed));
    fc.assert(fc.property(program, checkProgram), { seed: 20251129, numRuns: 300 });
  });

  it('never throws for random text and bytes (100 runs, fixed seed)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    fc.assert(
      fc.property(text, (source) => {
        checkProgram(source);
        parseExpression(source);
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});
