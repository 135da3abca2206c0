/**
 * `--mutual-exclusion FUNCTION` on `run` and `explore`: the invariant checked after every step,
 * its failure reported with the slice that led to it, a replay command that checks it again,
 * and exit status 1; a function the program lacks is bad input (2). And a livelock found by the
 * stateful search.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'interleave-livelock-'));
function writeProgram(source: string): string {
  const file = join(tmp, 'program.py');
  writeFileSync(file, source);
  return file;
}

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

describe('explore: a livelock', () => {
  it('is reported with the steps to it, and exits 1', () => {
    const r = cli(
      'explore',
      writeProgram(
        'import threading\nflag = False\nx = 0\ndef waiter():\n    while not flag:\n        pass\ndef setter():\n    global flag\n    if x == 0:\n        flag = True\na = threading.Thread(target=waiter)\nb = threading.Thread(target=setter)\na.start()\nb.start()\nx = 1\na.join()\nb.join()\n',
      ),
    );
    expect(r.stdout).toContain(
      'livelock: from 6 reachable states no execution can end (a thread loops for ever); the steps to one:',
    );
    expect(r.stdout).toMatch(/--schedule 'v1:[0-9a-f]{8}:0\*9' --max-steps 9\n/);
    expect(r.code).toBe(1);
  });
});
