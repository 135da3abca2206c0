/** executionRecord: one execution's facts for library users, each checked against the run. */
import { describe, expect, it } from 'vitest';
import { executionRecord } from '../../src/report/record.js';
import { runProgram } from '../../src/run/run.js';
import { mutualExclusion } from '../../src/session/invariant.js';
import { compile, TWO_INCREMENTS } from '../helpers.js';

const program = compile(`${TWO_INCREMENTS}print("counter is", counter)\n`);

describe('executionRecord', () => {
  it('a lost update: the window, the output, the replay command, failed', () => {
    // The first seed of the uniform random scheduler that loses an update.
    const seed = [...Array(50).keys()].find(
      (k) => runProgram(program, { scheduler: 'uniform', seed: k }).machine.lost!.lost > 0,
    )!;
    const r = executionRecord(runProgram(program, { scheduler: 'uniform', seed }));
    expect(r.failed).toBe(true);
    expect(r.values).toEqual({ counter: 1, ts: r.values.ts });
    expect(r.output).toBe('counter is 1\n');
    expect(r.lostUpdates.lost).toBe(1);
    expect(r.windows.map((w) => w.rows.map((row) => row.text))).toEqual([
      ['LOAD counter → 0', 'LOAD counter → 0', 'STORE counter ← 1', 'STORE counter ← 1'],
    ]);
    expect(r.replay).toBe(`npx interleave run test.py --scheduler uniform --seed ${seed}`);
    expect(r.violation).toBeNull();
    expect(r.slice).toBeNull();
  });

  it('an invariant failure: its slice', () => {
    const r = executionRecord(
      runProgram(program, { scheduler: 'uniform', seed: 1, invariants: [mutualExclusion('inc')] }),
    );
    expect(r.failed).toBe(true);
    expect(r.violation?.message).toBe(
      'mutual exclusion of inc(): Thread-1 (inc) and Thread-2 (inc) are both inside inc()',
    );
    expect(r.slice?.steps.flatMap((s) => s.entered)).toEqual(['1:inc', '2:inc']);
  });
});
