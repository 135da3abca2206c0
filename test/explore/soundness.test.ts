/**
 * DPOR is sound: on small generated programs (the package's `threadProgram`: 2–3 threads, a
 * few shared reads and writes, one lock taken in with-blocks, tried and timed), the set of
 * outcomes found with DPOR equals the set found by enumerating every interleaving, and DPOR
 * never runs an execution that ends blocked by its sleep set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorePOR } from '../../src/explore/dpor.js';
import { enumerateAll } from '../../src/explore/enumerate.js';
import type { DrivenExecution } from '../../src/explore/execution.js';
import { endState, outcomeKey } from '../../src/explore/outcomes.js';
import { threadProgram } from '../../src/fast-check.js';
import { compile } from '../helpers.js';

/** 2–3 workers of 1–2 statements: shared reads, writes, `+=` and ifs, and the lock `lk`. */
const program = threadProgram({
  primitives: ['plain', 'lock'],
  statements: { min: 1, max: 2 },
  mainStatements: { min: 0, max: 0 },
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
