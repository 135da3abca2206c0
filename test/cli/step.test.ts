/**
 * `interleave step` through its bin, without a terminal: `--keys` prints the screen as text;
 * without --keys it needs a terminal (exit 2); bad input is refused with exit 2 and a message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function interleave(args: string[], env: Record<string, string> = {}, cwd = root) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'interleave.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const COUNTER = ['programs/counter_race.py', '--set', 'nthread=2', '--set', 'nloop=1'];

describe('interleave step --keys', () => {
  it('prints the 80 × 24 screen after the keys (23 lines: ink needs the last row)', () => {
    const r = interleave(['step', ...COUNTER, '--keys', '0000000000 1 2 1 1 2']);
    // A lost update so far: exit status 1, as `run` gives for one.
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(23);
    expect(Math.max(...lines.map((l) => [...l].length))).toBe(80);
    // The header wraps to a second line rather than cutting the outcome.
    expect(lines.slice(0, 2)).toEqual([
      'programs/counter_race.py · step 15 of 15 · last: you (2) · running, 1 update',
      '  lost, 2 data races',
    ]);
    expect(r.stdout).toContain('lost update 1 of 1: Thread-2 (increment) overwrote 1 update to counter');
    expect(lines.at(-1)).toMatch(/^0-9 thread {2}n next/);
  });

  it('takes its size from COLUMNS and LINES', () => {
    const r = interleave(['step', ...COUNTER, '--keys', 'n'], { COLUMNS: '120', LINES: '40' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(39);
    expect(Math.max(...lines.map((l) => [...l].length))).toBe(120);
  });

  it('x writes the schedule so far; its replay command and --schedule @FILE both reach the same step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interleave-step-'));
    writeFileSync(join(dir, 'p.py'), readFileSync(join(root, 'programs/counter_race.py')));
    const sets = ['--set', 'nthread=2', '--set', 'nloop=1'];
    const r = interleave(['step', 'p.py', ...sets, '--keys', '0000000000 1 2 x'], { COLUMNS: '300' }, dir);
    const shown = /wrote \.\/(p\.step-12\.schedule); replay: npx interleave (.*)$/m.exec(r.stdout);
    expect(shown).not.toBeNull();
    expect(readFileSync(join(dir, shown![1]!), 'utf8')).toMatch(/^v1:[0-9a-f]{8}:0\*10,1,2\n$/);
    const args = (shown![2]!.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'|'$/g, ''));
    expect(args.slice(-4)).toEqual(['--schedule', '@./p.step-12.schedule', '--max-steps', '12']);
    const replay = interleave(args, {}, dir);
    expect(replay.stdout).toContain('stopped after 12 steps: step bound of 12 steps reached');
    expect(replay.stdout).toMatch(/^ {2}Thread-1 \(increment\) at line 14 \(STORE counter\)$/m);
    expect(replay.stdout).toMatch(/^ {2}Thread-2 \(increment\) at line 14 \(STORE counter\)$/m);
    const tape = interleave(
      ['step', 'p.py', ...sets, '--schedule', `@${shown![1]!}`, '--keys', 'g 12 enter'],
      {},
      dir,
    );
    expect(tape.status).toBe(0);
    expect(tape.stdout.split('\n')[0]).toBe('p.py · step 12 of 12 · last: tape (2) · running');
  });

  it('--seed loads the run of that seed as the tape', () => {
    const end = interleave(['step', ...COUNTER, '--seed', '3', '--keys', 'g 999 enter']);
    const length = Number(/step 999 is outside this execution \(0 to (\d+)\)/.exec(end.stdout)![1]);
    const run = interleave(['run', ...COUNTER, '--seed', '3', '--json']);
    expect(length).toBe(JSON.parse(run.stdout).steps);
    const atEnd = interleave(['step', ...COUNTER, '--seed', '3', '--keys', `g ${length} enter`]);
    expect(atEnd.stdout.split('\n')[0]).toContain(`step ${length} of ${length} · last: tape`);
  });
});

describe('interleave step: refusals', () => {
  it('needs a terminal or --keys (exit 2)', () => {
    const r = interleave(['step', ...COUNTER]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('step needs a terminal');
    expect(r.stderr).toContain('--keys');
  });

  it('refuses a program with a syntax error, naming file:line:col (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interleave-step-'));
    writeFileSync(join(dir, 'bad.py'), 'x = (\n');
    const r = interleave(['step', join(dir, 'bad.py'), '--keys', 'n']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'bad.py')}:1:5: error`);
    expect(r.stdout).toBe('');
  });

  it('refuses a bad --schedule and --seed with --schedule (exit 2)', () => {
    const bad = interleave(['step', ...COUNTER, '--schedule', 'v1:zz:0*3', '--keys', 'n']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad --schedule');
    const both = interleave([
      'step',
      ...COUNTER,
      '--seed',
      '1',
      '--schedule',
      'v1:00000000:0',
      '--keys',
      'n',
    ]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('give either --seed or --schedule');
  });

  it('refuses a schedule that does not fit the program before the screen opens, as run does (exit 2)', () => {
    const run = interleave(['run', ...COUNTER, '--seed', '3', '--json']);
    const good: string = JSON.parse(run.stdout).schedule;
    // Thread 7 at the first step: the fingerprint is right, the steps are not.
    const wrong = good.replace(/^(v1:[0-9a-f]{8}:)0\*(\d+)/, '$17*$2');
    expect(wrong).not.toBe(good);
    const refused = interleave(['step', ...COUNTER, '--schedule', wrong, '--keys', 'n']);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    const asRun = interleave(['run', ...COUNTER, '--schedule', wrong]);
    expect(asRun.status).toBe(2);
    const reason = /schedule does not fit at step 0: thread 7 does not exist[^\n]*/.exec(asRun.stderr)![0];
    expect(refused.stderr).toContain(reason);
    const long = interleave(['step', ...COUNTER, '--schedule', good, '--max-steps', '5', '--keys', 'n']);
    expect(long.status).toBe(2);
    expect(long.stderr).toMatch(/the schedule has \d+ steps, more than --max-steps 5; raise --max-steps/);
  });

  it('refuses a --keys word that is no key, rather than typing its letters (exit 2)', () => {
    const r = interleave(['step', ...COUNTER, '--keys', 'n entr']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--keys: "entr" is not a key');
    const typed = interleave(['step', ...COUNTER, '--keys', 'nnn 00']);
    expect(typed.stdout.split('\n')[0]).toContain('step 5 of 5');
  });

  it('keeps the text screen within 1000 columns whatever COLUMNS says', () => {
    const r = interleave(['step', ...COUNTER, '--keys', 'n'], { COLUMNS: '100000', LINES: '30' });
    expect(r.status).toBe(0);
    expect(Math.max(...r.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(1000);
  });

  it('exits 1 when what it shows at the end has gone wrong: the work bound, here', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interleave-step-'));
    writeFileSync(join(dir, 'spin.py'), 'while True:\n    pass\n');
    const r = interleave(['step', 'spin.py', '--max-ops', '2000', '--keys', 'r'], { COLUMNS: '200' }, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'MainThread ran 100 loop iterations without a visible operation (raise it with --max-ops)',
    );
  });

  it('shows a key that does nothing on the screen and goes on', () => {
    const r = interleave(['step', ...COUNTER, '--keys', 'Z n']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain('step 1 of 1');
    const other = interleave(['step', ...COUNTER, '--keys', 'n Z']);
    expect(other.stdout).toContain('key Z does nothing here (? lists the keys)');
  });
});
