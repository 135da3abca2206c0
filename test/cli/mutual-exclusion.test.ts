/**
 * `--mutual-exclusion FUNCTION` on `run` and `explore`: the invariant checked after every step,
 * its failure reported with the slice that led to it, a replay command that checks it again,
 * and exit status 1; a function the program lacks is bad input (2).
 */
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

describe('explore --mutual-exclusion', () => {
  it('proves Peterson: no failure, exit 0', () => {
    const r = cli('explore', 'examples/peterson.py', '--mutual-exclusion', 'critical');
    expect(r.stdout).toContain('invariant failures: none\n');
    expect(r.code).toBe(0);
  });

  it('refutes swapped Peterson with a two-preemption witness whose replay fails the same way', () => {
    const r = cli('explore', 'examples/peterson_swapped.py', '--mutual-exclusion', 'critical');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('invariant failures:');
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  mutual exclusion of critical(): Thread-1 (worker) and Thread-2 (worker) are both inside critical()',
      '    6 states; witness with 2 preemptions (shrunk from 3):',
    ]);
    const replay = /--schedule '([^']+)' --mutual-exclusion critical$/.exec(lines[at + 3]!)![1]!;
    const again = cli(
      'run',
      'examples/peterson_swapped.py',
      '--schedule',
      replay,
      '--mutual-exclusion',
      'critical',
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(
      'invariant failed after step 20 (Thread-1 (worker)): mutual exclusion of critical(): Thread-1 (worker) and Thread-2 (worker) are both inside critical()',
    );
    expect(again.stdout.match(/; now in critical\(\)/g)).toHaveLength(2);
    const json = JSON.parse(
      cli('explore', 'examples/peterson_swapped.py', '--mutual-exclusion', 'critical', '--json').stdout,
    ) as { violations: { message: string; preemptions: number; schedule: string }[] };
    expect(json.violations.map((v) => [v.preemptions, v.schedule])).toEqual([[2, replay]]);
  });
});

describe('run --mutual-exclusion', () => {
  it('a function the program does not define is bad input', () => {
    const r = cli('run', 'examples/flag_lock.py', '--mutual-exclusion', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--mutual-exclusion nope: examples/flag_lock.py defines no function named nope',
    );
  });

  it('--json carries the violation', () => {
    const explored = JSON.parse(
      cli('explore', 'examples/flag_lock.py', '--mutual-exclusion', 'critical', '--json').stdout,
    ) as { violations: { schedule: string }[] };
    const r = cli(
      'run',
      'examples/flag_lock.py',
      '--schedule',
      explored.violations[0]!.schedule,
      '--mutual-exclusion',
      'critical',
      '--json',
    );
    expect(r.code).toBe(1);
    const o = JSON.parse(r.stdout) as { violation: { invariant: string; thread: string } };
    expect(o.violation.invariant).toBe('mutual exclusion of critical()');
  });
});
