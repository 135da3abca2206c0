/**
 * Honest verdicts and one exit-code rule (issue 9): 0 nothing wrong was found and every claim
 * holds; 1 a failure was found, or a claim does not hold or is not proven; 2 bad input. Driven
 * through the CLI as a person would call it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, replayArgs } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'interleave-verdicts-'));
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

const SPIN_WAIT = `import threading
data = 0
flag = False
got = None
def producer():
    global data, flag
    data = 42
    flag = True
def consumer():
    global got
    while not flag:
        pass
    got = data
a = threading.Thread(target=producer)
b = threading.Thread(target=consumer)
b.start(); a.start()
a.join(); b.join()
`;

/** A thread that never ends (issue 9's `always` over no finished execution). */
const FOREVER = 'test/explore/regressions/forever.py';

const DEADLOCK = `import threading
a = threading.Lock()
b = threading.Lock()
def t1():
    with a:
        with b:
            pass
def t2():
    with b:
        with a:
            pass
x = threading.Thread(target=t1)
y = threading.Thread(target=t2)
x.start(); y.start(); x.join(); y.join()
`;

describe('explore', () => {
  it('hands a spin loop to the stateful search and shows data = 42 (exit 0: nothing wrong)', () => {
    const r = cli('explore', file('spin.py', SPIN_WAIT));
    expect(r.stdout).toContain('data = 42, flag = True, got = 42');
    expect(r.stdout).toMatch(/coverage: complete: every reachable state explored \(\d+ states;/);
    expect(r.stdout).not.toContain('STEP BOUND');
    expect(r.code).toBe(0);
  });

  it('exits 1 when executions did not end within the step bound', () => {
    const r = cli('explore', FOREVER);
    expect(r.stdout).toContain('STEP BOUND');
    expect(r.code).toBe(1);
  });

  it('does not say "no failure found" beside a data race, and exits 1', () => {
    const race = file(
      'race.py',
      'import threading\nx = 0\ndef f():\n    global x\n    x += 1\nt = threading.Thread(target=f)\nt.start()\nx += 1\nt.join()\n',
    );
    const r = cli('explore', race, '--strategy', 'random', '--runs', '50');
    expect(r.stdout).toMatch(
      /coverage: 50 random runs; no deadlock, exception or step bound; data races on 1 cell/,
    );
    expect(r.code).toBe(1);
  });

  it('prints witnesses cut by the step bound with the --max-steps their replay needs', () => {
    const r = cli('explore', FOREVER);
    const command = r.stdout.split('\n').find((l) => l.includes('npx interleave run'))!;
    expect(command).toMatch(/--max-steps \d+$/);
    const replay = cli(...replayArgs(`replay: ${command.trim()}`));
    expect(replay.stdout).toMatch(/stopped after \d+ steps/);
    expect(replay.code).toBe(1);
  });
});

describe('check', () => {
  it('says that no execution finished instead of proving an always over none (exit 1)', () => {
    const r = cli('check', FOREVER);
    expect(r.stdout).toContain('? not proven  always counter == 12345');
    expect(r.stdout).toContain('no execution finished');
    expect(r.code).toBe(1);
  });

  it('reports a file with no # expect: lines as not checked (exit 2), not as a failed claim', () => {
    const r = cli('check', file('none.py', 'x = 1\n'));
    expect(r.stdout).toContain('no `# expect:` lines: nothing to verify');
    expect(r.stdout).toMatch(/nothing was checked; 1 file could not be checked/);
    expect(r.code).toBe(2);
  });

  it('checks every file it can when one does not compile', () => {
    const good = file('good.py', '# expect: always x == 1\nx = 1\n');
    const bad = file('bad.py', 'x = = 1\n');
    const r = cli('check', bad, good);
    expect(r.stderr).toContain('bad.py:1:');
    expect(r.stdout).toContain('line 1: ✓ holds  always x == 1');
    expect(r.stdout).toMatch(/every expectation holds \(1 file\); 1 file could not be checked/);
    expect(r.code).toBe(2);
    // A claim that fails outranks a file that could not be checked.
    const failing = file('failing.py', '# expect: always x == 2\nx = 1\n');
    expect(cli('check', bad, failing).code).toBe(1);
  });

  it("gives the exhaustive stage's own execution count on its lines, as in the header", () => {
    const r = cli(
      'check',
      file(
        'count.py',
        '# expect: outcomes x = {1}\nimport threading\nx = 0\ndef f():\n    global x\n    x += 1\nt = threading.Thread(target=f)\nt.start()\nt.join()\nx += 0\n',
      ),
    );
    const header = /exhaustive DPOR search \((\d+) executions?, complete\)/.exec(r.stdout);
    const line = /every interleaving explored \((\d+) executions?\)/.exec(r.stdout);
    expect(header).not.toBeNull();
    expect(line![1]).toBe(header![1]);
  });
});

describe('run --schedule', () => {
  it('refuses items after a deadlock, naming their position', () => {
    const path = file('deadlock.py', DEADLOCK);
    const explored = cli('explore', path);
    const command = explored.stdout
      .split('\n')
      .find((l) => l.includes('npx interleave run') && l.includes("'v1:"))!;
    const schedule = /--schedule '([^']+)'/.exec(command)!;
    const deadlocks = explored.stdout.split('\n').findIndex((l) => l.includes('DEADLOCK'));
    const witness = explored.stdout.split('\n')[deadlocks + 2]!;
    const s = /--schedule '([^']+)'/.exec(witness)![1]!;
    expect(schedule).not.toBeNull();
    const r = cli('run', path, '--schedule', `${s},9*2`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the program deadlocked before the schedule ended: item \d+ of \d+ \(9\*2\) is left over/,
    );
    expect(cli('run', path, '--schedule', s).code).toBe(1);
  });
});
