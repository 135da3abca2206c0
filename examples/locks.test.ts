/**
 * Locks written in the Python subset, proven or refuted with `verify` and property-tested with
 * fast-check: Peterson's lock, Peterson with its two writes swapped, a check-then-set flag
 * "lock", a ticket lock and a lock built on Semaphore(1). Each program's critical section is
 * its function `critical()`; `mutualExclusion('critical')` says no two threads are inside it
 * at once, and the end check says no entry was lost (`count` is the number of entries).
 *
 * Copy this file and the .py files beside it into a project that installed `interleave-sim`,
 * `fast-check` and `@fast-check/vitest`.
 */
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { runProgram } from 'interleave-sim';
import { schedule, verify } from 'interleave-sim/fast-check';
import { exclusive, failureOf, fewestPreemptions, load, lockProperty } from './locks.js';

describe("Peterson's lock", () => {
  const program = load('peterson.py');

  it('is proven: mutual exclusion, and no entry lost (the stateful search handles the spin loop)', () => {
    const result = verify(program, lockProperty(4));
    expect(result.verdict).toBe('proven');
    expect(result.summary).toBe('proven (1,051 states, every reachable state)');
  });

  // A property over schedules, as @fast-check/vitest runs it: each schedule is one run.
  test.prop([schedule(program)], { numRuns: 50, seed: 7 })('no schedule puts both threads inside', (s) => {
    const run = runProgram(program, { schedule: s.schedule, invariants: exclusive });
    expect(run.violation).toBeNull();
  });
});

describe('Peterson with its two writes swapped', () => {
  const program = load('peterson_swapped.py');

  it('fails, and verify says how: both threads inside critical(), with the steps that led there', () => {
    const result = verify(program, lockProperty(2));
    expect(result.verdict).toBe('failed');
    if (result.verdict !== 'failed') return;
    expect(result.failure.reason).toBe(
      'mutual exclusion of critical(): Thread-1 (worker) and Thread-2 (worker) are both inside critical()',
    );
    expect(result.failure.report.match(/now in critical\(\)/g)).toHaveLength(2);
    expect(result.failure.preemptions).toBe(fewestPreemptions(program));
    expect(result.failure.replay).toMatch(/^npx interleave run .*peterson_swapped\.py --schedule 'v1:/);
  });

  // peterson-seeds.test.ts (in the slow project) checks 100 seeds: at least 95 shrink to the fewest.
  it('shrinks to the fewest preemptions that fail it, with both threads inside in the message', () => {
    const fewest = fewestPreemptions(program);
    expect(fewest).toBe(2);
    const f = failureOf(program, 2, 1)!;
    expect(f.execution.preemptions).toBe(fewest);
    expect(f.message).toContain('Thread-1 (worker) and Thread-2 (worker) are both inside critical()');
    expect(f.message).toContain('fast-check: { seed: 1, path: "');
  });
});

describe('a check-then-set flag "lock"', () => {
  const program = load('flag_lock.py');

  it('fails with a witness of the fewest preemptions', () => {
    expect(verify(program, lockProperty(2)).verdict).toBe('failed');
    const fewest = fewestPreemptions(program);
    expect(fewest).toBe(2);
    for (const seed of [1, 2, 3, 4, 5])
      expect(failureOf(program, 2, seed)?.execution.preemptions).toBe(fewest);
  });
});

describe('a ticket lock and a lock on Semaphore(1)', () => {
  it('the ticket lock is proven', () => {
    const result = verify(load('ticket_lock.py'), lockProperty(4));
    expect(result.verdict).toBe('proven');
    expect(result.summary).toBe('proven (1,170 states, every reachable state)');
  });

  it('the Semaphore(1) lock is proven', () => {
    const result = verify(load('semaphore_lock.py'), lockProperty(4));
    expect(result.verdict).toBe('proven');
    expect(result.summary).toBe('proven (69 executions, every Mazurkiewicz trace)');
  });
});

describe('verify within a budget too small to search it all', () => {
  it('tests instead, and says it did not prove', () => {
    const result = verify(load('ticket_lock.py'), lockProperty(4), {
      states: 100,
      executions: 1,
      schedules: 200,
      seed: 3,
    });
    expect(result.verdict).toBe('tested');
    expect(result.summary).toBe(
      'tested 200 schedules, not proven (the exhaustive search stopped: max-executions)',
    );
  });
});
