/**
 * DPOR is sound: on small generated programs (2–3 threads, a few shared reads and writes,
 * one lock), the set of outcomes found with DPOR equals the set found by enumerating every
 * interleaving, and DPOR never runs an execution that ends blocked by its sleep set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorePOR } from '../../src/explore/dpor.js';
import { enumerateAll } from '../../src/explore/enumerate.js';
import type { DrivenExecution } from '../../src/explore/execution.js';
import { endState, outcomeKey } from '../../src/explore/outcomes.js';
import { compile } from '../helpers.js';

const shared = ['x', 'y'];
const value = fc.oneof(
  fc.constantFrom('x', 'y', 'x + 1', 'y + 1', 'x + y'),
  fc.integer({ min: 0, max: 3 }).map(String),
);
const simple = fc.oneof(
  fc.tuple(fc.constantFrom(...shared), value).map(([v, e]) => `${v} = ${e}`),
  fc.constantFrom(...shared).map((v) => `${v} += 1`),
  fc
    .tuple(fc.constantFrom(...shared), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...shared))
    .map(([c, k, v]) => `if ${c} == ${k}:\n        ${v} = ${k + 1}`),
  fc.constant('r = lock.acquire(blocking=False)\n    if r:\n        lock.release()'),
);
const statement = fc.oneof(
  { weight: 3, arbitrary: simple },
  {
    weight: 1,
    arbitrary: fc
      .array(simple, { minLength: 1, maxLength: 2 })
      .map(
        (body) =>
          `with lock:\n        ${body.map((b) => b.replace(/\n {4}/g, '\n        ')).join('\n        ')}`,
      ),
  },
);
const program = fc
  .array(fc.array(statement, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 3 })
  .map((threads) => {
    const defs = threads
      .map((body, i) => `def t${i}():\n    global x, y\n    ${body.join('\n    ')}\n`)
      .join('\n');
    // main keeps its threads in locals, so that its own steps are only the starts and joins.
    const names = threads.map((_, i) => `h${i}`);
    const main = [
      ...names.map((h, i) => `${h} = threading.Thread(target=t${i})`),
      ...names.map((h) => `${h}.start()`),
      ...names.map((h) => `${h}.join()`),
    ].join('\n    ');
    return `import threading\nlock = threading.Lock()\nx = 0\ny = 0\n${defs}\ndef main():\n    ${main}\n\nmain()\n`;
  });

function outcomes(run: (cb: (r: DrivenExecution) => void) => void): Set<string> {
  const seen = new Set<string>();
  run((r) => {
    const status = r.machine.finished ? 'completed' : r.truncated ? 'step-bound' : 'deadlock';
    seen.add(outcomeKey(endState(r.machine, status)));
  });
  return seen;
}

describe('DPOR soundness', () => {
  it('finds exactly the outcomes of plain enumeration on generated programs', () => {
    fc.assert(
      fc.property(program, (source) => {
        const p = compile(source);
        let blocked = 0;
        let infeasible = 0;
        const dpor = outcomes((cb) => {
          const r = explorePOR(p, { onExecution: cb });
          blocked = r.sleepBlocked;
          infeasible = r.infeasible;
          expect(r.complete).toBe(true);
        });
        let enumerated = true;
        const all = outcomes((cb) => {
          enumerated = enumerateAll(p, cb, { maxExecutions: 5_000 }).complete;
        });
        // Programs too large to enumerate say nothing either way.
        fc.pre(enumerated);
        expect([...dpor].sort()).toEqual([...all].sort());
        expect(blocked).toBe(0);
        expect(infeasible).toBe(0);
      }),
      { seed: 1129, numRuns: 40, maxSkipsPerRun: 10 },
    );
    // A guard against a hang, not a speed check (about 20 s alone).
  }, 120_000);
});
