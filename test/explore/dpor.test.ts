/**
 * Optimal DPOR explores exactly one execution per Mazurkiewicz trace: the counts of the
 * literature, with no sleep-set-blocked and no infeasible executions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../src/run/run.js';
import { MAX_CHOICE_BRANCHES, explorePOR } from '../../src/explore/dpor.js';
import { exploreProgram } from '../../src/explore/explore.js';
import { compile, py } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

function traces(path: string, sets: [string, string][]): number {
  const r = explorePOR(compile(read(path), sets, path));
  expect(r.complete).toBe(true);
  expect(r.sleepBlocked).toBe(0);
  expect(r.infeasible).toBe(0);
  return r.executions;
}

describe('optimal DPOR', () => {
  it('explores 4, 34, 328 traces of the unsynchronized counter with 2 threads and 1, 2, 3 increments', () => {
    expect(
      [1, 2, 3].map((n) =>
        traces('bench/programs/counter.py', [
          ['T', '2'],
          ['N', String(n)],
        ]),
      ),
    ).toEqual([4, 34, 328]);
  });

  it('explores 36 and 7134 traces with 3 threads and 1, 2 increments', () => {
    expect(
      [1, 2].map((n) =>
        traces('bench/programs/counter.py', [
          ['T', '3'],
          ['N', String(n)],
        ]),
      ),
    ).toEqual([36, 7134]);
  });

  it('explores 2, 6, 20 traces of the lock-protected counter with 2 threads, and 90 with 3 threads × 2', () => {
    expect(
      [1, 2, 3].map((n) =>
        traces('bench/programs/counter_locked.py', [
          ['T', '2'],
          ['N', String(n)],
        ]),
      ),
    ).toEqual([2, 6, 20]);
    expect(
      traces('bench/programs/counter_locked.py', [
        ['T', '3'],
        ['N', '2'],
      ]),
    ).toBe(90);
  });

  it('explores 2, 5, 12, 28, 64 traces of lastzero(1..5)', () => {
    expect([1, 2, 3, 4, 5].map((n) => traces('bench/programs/lastzero.py', [['n', String(n)]]))).toEqual([
      2, 5, 12, 28, 64,
    ]);
  });

  it('finds exactly the outcomes {2..2N} of the lesson counter for N ≥ 2, with a replayable witness for 2', () => {
    for (const n of [2, 3]) {
      const program = compile(
        read('programs/counter_race.py'),
        [
          ['nthread', '2'],
          ['nloop', String(n)],
        ],
        'programs/counter_race.py',
      );
      const x = exploreProgram(program);
      expect(x.complete).toBe(true);
      const values = x.table.entries.map((e) => Number(e.state.globals.counter)).sort((a, b) => a - b);
      expect(values).toEqual(Array.from({ length: 2 * n - 1 }, (_, i) => i + 2));
      const two = x.table.entries.find((e) => e.state.globals.counter === '2')!;
      const replay = runProgram(program, { schedule: two.witness.schedule });
      expect(replay.machine.finalGlobals().get('counter')).toBe(2);
    }
    // With one increment each, the second thread can overwrite the first: {1, 2}.
    const one = exploreProgram(
      compile(read('programs/counter_race.py'), [
        ['nthread', '2'],
        ['nloop', '1'],
      ]),
    );
    expect(one.table.entries.map((e) => e.state.globals.counter).sort()).toEqual(['1', '2']);
  });

  it('explores at most MAX_CHOICE_BRANCHES options of one random call, and says the search is not complete', () => {
    const x = exploreProgram(
      compile(py`
        import random
        x = random.randint(1, 3000000)
      `),
      { maxExecutions: 5000 },
    );
    expect(x.table.executions).toBe(MAX_CHOICE_BRANCHES);
    expect(x.complete).toBe(false);
    expect(x.stoppedBy).toEqual(['choice-bound']);
  });

  it('finds both lock orders and the deadlock of two threads taking two locks in opposite orders', () => {
    const x = exploreProgram(compile(read('programs/deadlock.py'), [], 'programs/deadlock.py'));
    expect(x.complete).toBe(true);
    expect(x.table.executions).toBe(3);
    expect(x.table.entries.map((e) => `${e.state.status} ${e.state.globals.transfers}`).sort()).toEqual([
      'completed 2',
      'deadlock 0',
    ]);
  });

  it('stops at the preemption bound and says the search is not complete', () => {
    const program = compile(read('bench/programs/counter.py'), [
      ['T', '2'],
      ['N', '3'],
    ]);
    const zero = exploreProgram(program, { preemptionBound: 0 });
    expect(zero.complete).toBe(false);
    expect(zero.stoppedBy).toContain('preemption-bound');
    expect(zero.table.entries.map((e) => e.state.globals.counter)).toEqual(['6']);
    const one = exploreProgram(program, { preemptionBound: 1 });
    expect(one.table.executions).toBeGreaterThan(zero.table.executions);
    expect(one.table.executions).toBeLessThan(328);
  });

  it('branches on random choices like threads', () => {
    const x = exploreProgram(compile('import random\nx = random.randint(1, 3) + random.choice([10, 20])\n'));
    expect(x.complete).toBe(true);
    expect(x.table.entries.map((e) => e.state.globals.x).sort()).toEqual([
      '11',
      '12',
      '13',
      '21',
      '22',
      '23',
    ]);
  });
});
