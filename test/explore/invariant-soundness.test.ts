/**
 * Exhaustive search stays sound with invariants: on small generated programs whose threads
 * call two "critical" functions (under a lock or not) and read and write shared globals, DPOR
 * with invariants finds exactly the invariant failures (first failure per execution, by
 * message) and the outcomes that plain enumeration of every interleaving finds, and the
 * stateful search finds exactly the failing messages of every reachable state.
 *
 * The invariants read functions (mutual exclusion), globals (a relation between x and y, with
 * the values in its message) and lines: each kind of read the reduction must see.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorePOR } from '../../src/explore/dpor.js';
import { enumerateAll } from '../../src/explore/enumerate.js';
import type { DrivenExecution } from '../../src/explore/execution.js';
import { endState, outcomeKey } from '../../src/explore/outcomes.js';
import { exploreStates } from '../../src/explore/stateful.js';
import { invariant, mutualExclusion, type Invariant } from '../../src/session/invariant.js';
import { compile } from '../helpers.js';

const simple = fc.constantFrom(
  'x = x + 1',
  'y = x',
  'x += 1',
  'y = y + 1',
  'z = x',
  'if x == 1:\n        y = 2',
);
const statement = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a(me)', 'b(me)') },
  { weight: 1, arbitrary: fc.constantFrom('a', 'b').map((f) => `with lock:\n        ${f}(me)`) },
  { weight: 2, arbitrary: simple },
);
// Writes of a thread's own item (`own[i]`) are independent of every other thread's steps: only
// the invariant's reads order two threads' calls of a() and b() then.
const body = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('own[i] = own[i] + 1', 'own[i] = 1') },
  { weight: 1, arbitrary: fc.constantFrom('x += 1', 'y = x', 'z = z + 1', 'x = 0') },
);
const program = fc
  .record({
    a: fc.array(body, { minLength: 1, maxLength: 2 }),
    b: fc.array(body, { minLength: 1, maxLength: 2 }),
    threads: fc.array(fc.array(statement, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
  })
  .map(({ a, b, threads }) => {
    const fns = `def a(i):\n    global x, y, z\n    ${a.join('\n    ')}\n\ndef b(i):\n    global x, y, z\n    ${b.join('\n    ')}\n`;
    const defs = threads
      .map((ss, i) => `def t${i}():\n    global x, y, z\n    me = ${i}\n    ${ss.join('\n    ')}\n`)
      .join('\n');
    const names = threads.map((_, i) => `h${i}`);
    const main = [
      ...names.map((h, i) => `${h} = threading.Thread(target=t${i})`),
      ...names.map((h) => `${h}.start()`),
      ...names.map((h) => `${h}.join()`),
    ].join('\n    ');
    return `import threading\nlock = threading.Lock()\nx = 0\ny = 0\nz = 0\nown = [0, 0, 0]\n${fns}\n${defs}\ndef main():\n    ${main}\n\nmain()\n`;
  });

const invariantSets: Record<string, Invariant[]> = {
  'mutual exclusion of a()': [mutualExclusion('a')],
  'a() and b() exclusive, x ≤ y + 1': [
    invariant(
      'a and b exclusive',
      (s) => {
        const inA = s.threads.filter((t) => t.inside('a')).map((t) => t.name);
        const inB = s.threads.filter((t) => t.inside('b')).map((t) => t.name);
        return (
          inA.length === 0 || inB.length === 0 || `${inA.join(',')} in a() while ${inB.join(',')} in b()`
        );
      },
      { reads: [], functions: ['a', 'b'] },
    ),
    invariant(
      'x ≤ y + 1',
      (s) => (s.globals.x as number) <= (s.globals.y as number) + 1 || `x=${s.globals.x} y=${s.globals.y}`,
      {
        reads: ['x', 'y'],
      },
    ),
  ],
  'no thread in a() while x is 1, by line': [
    invariant(
      'line',
      (s) =>
        s.globals.x !== 1 ||
        !s.threads.some((t) => t.function === 'a') ||
        `x is 1 with ${s.threads
          .filter((t) => t.function === 'a')
          .map((t) => `${t.name}@${t.line}`)
          .join(' ')}`,
      { reads: ['x'], lines: true },
    ),
  ],
};

interface Found {
  outcomes: Set<string>;
  violations: Set<string>;
}

function collect(run: (cb: (r: DrivenExecution) => void) => void): Found {
  const found: Found = { outcomes: new Set(), violations: new Set() };
  run((r) => {
    const status = r.machine.finished ? 'completed' : r.truncated ? 'step-bound' : 'deadlock';
    found.outcomes.add(outcomeKey(endState(r.machine, status)));
    // The first failure of each invariant in the execution.
    for (const v of r.session.violations) found.violations.add(v.message);
  });
  return found;
}

describe('exhaustive search with invariants', () => {
  for (const [name, invariants] of Object.entries(invariantSets)) {
    it(`DPOR finds the invariant failures and outcomes of plain enumeration: ${name}`, () => {
      let failing = 0;
      fc.assert(
        fc.property(program, (source) => {
          const p = compile(source);
          // Enumeration first: a program too big for it is skipped before DPOR runs.
          let complete = true;
          const all = collect((cb) => {
            complete = enumerateAll(p, cb, { maxExecutions: 2_000, invariants }).complete;
          });
          fc.pre(complete);
          const dpor = collect((cb) => {
            const r = explorePOR(p, { onExecution: cb, invariants });
            expect(r.complete).toBe(true);
            expect(r.sleepBlocked).toBe(0);
          });
          expect([...dpor.violations].sort()).toEqual([...all.violations].sort());
          expect([...dpor.outcomes].sort()).toEqual([...all.outcomes].sort());
          if (all.violations.size > 0) failing++;
        }),
        { numRuns: 30, seed: 1206 },
      );
      // The generator reaches failures: the comparison is not only of empty sets.
      expect(failing).toBeGreaterThanOrEqual(3);
    });
  }

  it('the stateful search finds every failing message of the reachable states', () => {
    const invariants = invariantSets['a() and b() exclusive, x ≤ y + 1']!;
    fc.assert(
      fc.property(program, (source) => {
        const p = compile(source);
        const everyState = new Set<string>();
        // Plain enumeration checks each state on every path: with the first failure forgotten
        // after each step, every failing state's message is seen.
        let complete = true;
        complete = enumerateAll(p, () => {}, {
          maxExecutions: 2_000,
          invariants: [collecting(invariants, everyState)],
        }).complete;
        fc.pre(complete);
        const st = exploreStates(p, { invariants });
        expect(st.complete).toBe(true);
        expect([...st.table.violations.keys()].sort()).toEqual([...everyState].sort());
      }),
      { numRuns: 20, seed: 612 },
    );
  });
});

/**
 * One invariant that evaluates `invs` in order, as the monitor does, adds the first failing
 * one's message (as the monitor words it) to `into`, and always holds.
 */
function collecting(invs: Invariant[], into: Set<string>): Invariant {
  return {
    name: 'collect',
    reads: invs.flatMap((i) => i.reads ?? []),
    functions: invs.flatMap((i) => i.functions ?? []),
    check: (s) => {
      for (const inv of invs) {
        const verdict = inv.check(s);
        if (verdict === false) into.add(`${inv.name} does not hold`);
        else if (typeof verdict === 'string') into.add(`${inv.name}: ${verdict}`);
        else continue;
        break;
      }
      return true;
    },
  };
}
