/**
 * DPOR is sound for every primitive. On generated programs that use locks, RLocks, counting
 * semaphores, conditions, events (pre-set, cleared), timeouts, joins, nested starts, daemon
 * threads, random choices and containers (the package's `threadProgram`, configured in
 * primitive-programs.ts), the exhaustive search must find exactly what two independent oracles
 * find, neither of which uses a dependency relation:
 *
 * - the stateful search (every enabled thread from every state, with a visited set): the same
 *   outcomes (status, final globals, uncaught exceptions; deadlocks included), on every program;
 * - plain enumeration of every interleaving: the same outcomes and, execution by execution, the
 *   same data races, on programs of two threads of one statement each; and the same set of
 *   Mazurkiewicz traces, each explored once (optimality, and completeness trace by trace).
 *
 * Each property checks SOUNDNESS_RUNS programs (100); the slow suite (`npm run test:slow`)
 * checks thousands, with the same fixed seeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorePOR } from '../../src/explore/dpor.js';
import { enumerateAll } from '../../src/explore/enumerate.js';
import type { DrivenExecution } from '../../src/explore/execution.js';
import { endState, outcomeKey } from '../../src/explore/outcomes.js';
import { exploreStates } from '../../src/explore/stateful.js';
import type { CompiledProgram } from '../../src/compile/ops.js';
import { compile } from '../helpers.js';
import { primitivePrograms, smallPrimitivePrograms } from './primitive-programs.js';
import { traceOf } from './trace-of.js';

const RUNS = Number(process.env.SOUNDNESS_RUNS ?? 100);
const ENUMERATION_BOUND = 20_000;
/** A guard against a hang, not a speed check: the slow suite's programs take about 0.2 s each. */
const TIMEOUT_MS = Math.max(120_000, RUNS * 1_000);

function statusOf(r: DrivenExecution): 'completed' | 'step-bound' | 'deadlock' {
  return r.machine.finished ? 'completed' : r.truncated ? 'step-bound' : 'deadlock';
}

/** What one execution ended with, and the same with the cells it raced on. */
function keys(r: DrivenExecution): { outcome: string; withRaces: string } {
  const s = endState(r.machine, statusOf(r));
  const outcome = outcomeKey(s);
  return { outcome, withRaces: `${outcome} races=${[...s.races].sort().join(',')}` };
}

const sorted = (s: Set<string>): string[] => [...s].sort();

/** DPOR's outcomes, and its outcomes with the races of each execution; the search must be complete. */
function dpor(p: CompiledProgram): { outcomes: Set<string>; withRaces: Set<string> } {
  const outcomes = new Set<string>();
  const withRaces = new Set<string>();
  const result = explorePOR(p, {
    onExecution: (r) => {
      const k = keys(r);
      outcomes.add(k.outcome);
      withRaces.add(k.withRaces);
    },
  });
  expect(result.complete).toBe(true);
  expect(result.sleepBlocked).toBe(0);
  return { outcomes, withRaces };
}

describe('DPOR soundness over every primitive', () => {
  it(
    'finds every outcome and deadlock the stateful search finds',
    () => {
      fc.assert(
        fc.property(primitivePrograms, (source) => {
          const p = compile(source);
          const { outcomes } = dpor(p);
          const states = exploreStates(p, { maxStates: 200_000 });
          expect(states.complete).toBe(true);
          expect(sorted(outcomes)).toEqual(sorted(new Set(states.table.entries.map((e) => e.key))));
        }),
        { seed: 20261204, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'finds every outcome and, execution by execution, every data race that plain enumeration finds',
    () => {
      let compared = 0;
      fc.assert(
        fc.property(smallPrimitivePrograms, (source) => {
          const p = compile(source);
          const { withRaces } = dpor(p);
          const all = new Set<string>();
          const e = enumerateAll(p, (r) => void all.add(keys(r).withRaces), {
            maxExecutions: ENUMERATION_BOUND,
            races: true,
          });
          // A program too large to enumerate says nothing either way (a few of them are).
          fc.pre(e.complete);
          expect(sorted(withRaces)).toEqual(sorted(all));
          compared++;
        }),
        { seed: 20261205, numRuns: RUNS, maxSkipsPerRun: 0.25 },
      );
      expect(compared).toBe(RUNS);
    },
    TIMEOUT_MS,
  );

  it(
    'explores every Mazurkiewicz trace that plain enumeration reaches, each exactly once',
    () => {
      let compared = 0;
      fc.assert(
        fc.property(smallPrimitivePrograms, (source) => {
          const p = compile(source);
          const all = new Set<string>();
          const e = enumerateAll(p, (r) => void all.add(traceOf(r)), { maxExecutions: ENUMERATION_BOUND });
          fc.pre(e.complete);
          const explored: string[] = [];
          const result = explorePOR(p, { onExecution: (r) => void explored.push(traceOf(r)) });
          expect(result.complete).toBe(true);
          expect(explored.length).toBe(new Set(explored).size);
          expect([...explored].sort()).toEqual([...all].sort());
          compared++;
        }),
        { seed: 20261206, numRuns: RUNS, maxSkipsPerRun: 0.25 },
      );
      expect(compared).toBe(RUNS);
    },
    TIMEOUT_MS,
  );
});
