import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, replayArgs } from './run-cli.js';
import { OUTCOME_JSON_KEYS, VALUES_JSON, VALUES_PROGRAM, VALUES_REPRS } from '../report/values-program.js';

const tmp = mkdtempSync(join(tmpdir(), 'interleave-cli-'));
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('interleave --help', () => {
  it('lists the commands, and each command has its own help', () => {
    const top = cli('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/run \[options\] <file>/);
    expect(top.stdout).toMatch(/dis \[options\] <file>/);
    const run = cli('run', '--help');
    expect(run.code).toBe(0);
    for (const flag of [
      '--seed',
      '--schedule',
      '--set',
      '--trace',
      '--json',
      '--scheduler',
      '--slice',
      '--max-steps',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(cli('dis', '--help').stdout).toMatch(/Usage: interleave dis/);
  });

  it('exits 2 on an unknown command or option', () => {
    expect(cli('frobnicate').code).toBe(2);
    expect(cli('run', 'x.py', '--bogus').code).toBe(2);
    expect(cli('run', 'programs/counter_race.py', '--seed', 'abc').stderr).toMatch(/expected a whole number/);
  });
});

describe('bad input', () => {
  it('names file, line:col, shows the line with a caret and says what was expected, with no stack trace', () => {
    const path = file('syntax.py', 'x = 1\nif x = 1:\n    pass\n');
    const r = cli('run', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${path}:2:6: error E110 expected ':' after the if condition (to compare, use '==')\n  2 | if x = 1:\n    |      ^\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('names an unsupported construct', () => {
    const path = file('class.py', 'class A:\n    pass\n');
    const r = cli('dis', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /class\.py:1:1: error E120 unsupported construct: class definitions are not supported/,
    );
  });

  it('reports a missing file and a bad --set as errors, exit 2', () => {
    const missing = cli('run', join(tmp, 'nope.py'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error E150 cannot read .*nope\.py: no such file/);
    const set = cli('run', 'programs/counter_race.py', '--set', 'nthread=lots');
    expect(set.code).toBe(2);
    expect(set.stderr).toMatch(/error E140 --set nthread=lots: the value must be a Python literal/);
    expect(cli('run', 'programs/counter_race.py', '--set', 'oops').stderr).toMatch(/expected name=value/);
  });

  it('refuses --seed with --schedule, and a schedule that does not fit, exit 2', () => {
    expect(cli('run', 'programs/deadlock.py', '--seed', '1', '--schedule', 'v1:00000000:0').code).toBe(2);
    const wrong = cli('run', 'programs/deadlock.py', '--schedule', 'v1:00000000:0');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /^interleave: schedule does not fit at step 0: the schedule was recorded for another program/,
    );
    expect(cli('run', 'programs/deadlock.py', '--schedule', 'garbage').stderr).toMatch(/bad --schedule/);
  });

  it('turns a runtime error into a Python exception of the program, not a crash of the tool', () => {
    const path = file('boom.py', 'x = [1, 2]\nprint(x[5])\n');
    const r = cli('run', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Traceback (most recent call last):\n  File "${path}", line 2, in <module>\n    print(x[5])\nIndexError: list index out of range\n`,
    );
    expect(r.stdout).toMatch(
      /uncaught exceptions:\n {2}MainThread: IndexError: list index out of range \(line 2\)/,
    );
  });

  it('says so when a run hits the step bound', () => {
    const path = file('spin.py', 'x = 0\nwhile True:\n    x += 1\n');
    const r = cli('run', path, '--max-steps', '5000');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/stopped after 5,000 steps: step bound of 5,000 steps reached/);
    expect(r.stdout).toMatch(/--max-steps 5000/);
  });
});

describe('interleave run', () => {
  it('shows where += loses an update, and its replay command prints the same bytes', () => {
    const first = cli(
      'run',
      'programs/counter_race.py',
      '--set',
      'nthread=3',
      '--set',
      'nloop=20',
      '--scheduler',
      'uniform',
      '--seed',
      '3',
    );
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^20 loops X 3 threads -> counter is \d+$/m);
    expect(first.stdout).toMatch(
      /lost update 1 of \d+: Thread-\d \(increment\) overwrote \d+ updates? to counter/,
    );
    expect(first.stdout).toMatch(/at programs\/counter_race\.py:14 {2}counter \+= 1/);
    expect(first.stdout).toMatch(/LOAD counter → \d+/);
    expect(first.stdout).toMatch(/STORE counter ← \d+/);
    const args = replayArgs(first.stdout);
    expect(args).toEqual([
      'run',
      'programs/counter_race.py',
      '--set',
      'nthread=3',
      '--set',
      'nloop=20',
      '--scheduler',
      'uniform',
      '--seed',
      '3',
    ]);
    const again = cli(...args);
    expect(again).toEqual(first);
  });

  it('replays a --schedule of a failing run byte for byte', () => {
    let schedule = '';
    for (let seed = 1; schedule === '' && seed < 50; seed++) {
      const json = JSON.parse(
        cli('run', 'programs/deadlock.py', '--scheduler', 'uniform', '--seed', String(seed), '--json').stdout,
      ) as {
        schedule: string;
        status: string;
      };
      if (json.status === 'deadlock') schedule = json.schedule;
    }
    expect(schedule).not.toBe('');
    const viaSchedule = cli('run', 'programs/deadlock.py', '--schedule', schedule);
    expect(viaSchedule.code).toBe(1);
    expect(viaSchedule.stdout).toMatch(
      /wait-for cycle: Thread-1 \(a_then_b\) → Thread-2 \(b_then_a\) → Thread-1 \(a_then_b\)/,
    );
    expect(cli(...replayArgs(viaSchedule.stdout))).toEqual(viaSchedule);
  });

  it('ends the locked counter with the exact count and no lost update for seeds 1..100', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const r = cli('run', 'programs/counter_lock.py', '--scheduler', 'uniform', '--seed', String(seed));
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ {2}COUNTER = 10000\n/);
      expect(r.stdout).toMatch(/lost updates: none/);
    }
  });

  it('says, for a deadlocking seed of faulty_handler, that MainThread waits for the lock of the thread that died with TypeError', () => {
    const r = cli('run', 'programs/faulty_handler.py');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'MainThread waits at line 24 to acquire `lock`, held by Thread-1 (faulty_lock_handler), which has finished',
    );
    expect(r.stdout).toContain(
      "Thread-1 (faulty_lock_handler) died at line 17 with TypeError: 'str' object cannot be interpreted as an integer, still holding `lock` (acquired at line 14)",
    );
  });

  it('prints the outcome as JSON with the program output captured', () => {
    const r = cli('run', 'programs/fixed_handler.py', '--json');
    const o = JSON.parse(r.stdout) as {
      status: string;
      exceptions: { type: string; line: number }[];
      output: { stream: string; text: string }[];
      globals: Record<string, unknown>;
      globalsRepr: Record<string, string>;
    };
    expect(o.status).toBe('completed');
    expect(o.exceptions).toEqual([expect.objectContaining({ type: 'TypeError', line: 18 })]);
    expect(o.output[0]).toEqual({ stream: 'stdout', text: '\t\tThread: Acquiring lock.\n' });
    expect(o.globals).toEqual({ still_locked: false });
    expect(o.globalsRepr).toEqual({ still_locked: 'False' });
  });

  it('gives the final globals in --json as typed JSON values, with their reprs in globalsRepr', () => {
    const path = file('values.py', VALUES_PROGRAM);
    const text = cli('run', path, '--scheduler', 'round-robin');
    const r = cli('run', path, '--scheduler', 'round-robin', '--json');
    expect(r.code).toBe(text.code);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(o.globals).toEqual(VALUES_JSON);
    expect(Object.keys(o.globals as object)).toEqual(Object.keys(VALUES_JSON));
    expect(o.globalsRepr).toEqual(VALUES_REPRS);
    expect(Object.keys(o.globalsRepr as object)).toEqual(Object.keys(VALUES_REPRS));
    expect(Object.keys(o)).toEqual([
      'file',
      'fingerprint',
      'output',
      'outputDroppedChars',
      ...OUTCOME_JSON_KEYS,
      'windows',
      'replay',
    ]);
    // The text report shows the same reprs.
    for (const [name, repr] of Object.entries(VALUES_REPRS))
      expect(text.stdout).toContain(`  ${name} = ${repr}\n`);
  });

  it('prints every step with --trace', () => {
    const r = cli('run', 'programs/deadlock.py', '--trace', '--scheduler', 'round-robin');
    expect(r.stdout.split('\n')[0]).toBe(
      '       0  MainThread                line 11   STORE lock_a ← <unlocked _thread.lock object>',
    );
  });
});

describe('interleave dis', () => {
  it('shows the four ops of counter += 1, with the visible ones marked', () => {
    const r = cli('dis', 'programs/counter_race.py');
    expect(r.code).toBe(0);
    const body = r.stdout.slice(r.stdout.indexOf('Disassembly of increment(n):'));
    expect(body).toMatch(
      / 14 +\* +\d+ LOAD +\d+ \(counter\)\n +\d+ CONST +\d+ \(1\)\n +\d+ ADD\n +\* +\d+ STORE +\d+ \(counter\)/,
    );
  });
});

describe('options that do not apply', () => {
  it('refuses --slice with the uniform scheduler, --seed with round-robin, --trace with --json, and huge seeds', () => {
    expect(cli('run', 'programs/deadlock.py', '--scheduler', 'uniform', '--slice', '5').stderr).toMatch(
      /--slice applies to/,
    );
    expect(cli('run', 'programs/deadlock.py', '--scheduler', 'round-robin', '--seed', '5').stderr).toMatch(
      /--seed applies to/,
    );
    expect(cli('run', 'programs/deadlock.py', '--trace', '--json').stderr).toMatch(
      /cannot be combined with --json/,
    );
    expect(cli('run', 'programs/deadlock.py', '--seed', '4294967296').stderr).toMatch(
      /a seed is at most 4294967295/,
    );
    expect(
      cli('run', 'programs/deadlock.py', '--schedule', 'v1:00000000:0', '--scheduler', 'uniform').code,
    ).toBe(2);
  });

  it('refuses a file that is not UTF-8 text, or a directory', () => {
    const path = join(tmp, 'latin1.py');
    writeFileSync(path, Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a]));
    expect(cli('run', path).stderr).toMatch(
      /error E150 cannot read .*latin1\.py: it is not valid UTF-8 text/,
    );
    expect(cli('run', tmp).stderr).toMatch(/it is a directory/);
  });

  it('refuses a device, a binary and a file too large to be a program, without reading them', () => {
    expect(cli('run', '/dev/zero')).toEqual({
      code: 2,
      stdout: '',
      stderr: '/dev/zero: error E150 cannot read /dev/zero: it is not a regular file\n',
    });
    const binary = join(tmp, 'binary.py');
    writeFileSync(binary, Buffer.from('x = 1\n\0\0\0\n'));
    expect(cli('run', binary).stderr).toMatch(
      /cannot read .*binary\.py: it is not a text file \(it holds NUL bytes\)/,
    );
    const big = file('big.py', `x = 1\n${'#'.repeat(1_000_000)}\n`);
    expect(cli('dis', big).stderr).toMatch(
      /cannot read .*big\.py: it is 1,000,007 bytes; a program may have at most 1,000,000/,
    );
  });

  it('shows the first 20 errors of a garbage file, and cuts long lines around the caret', () => {
    const garbage = file('garbage.py', '$\n'.repeat(30));
    const out = cli('run', garbage);
    expect(out.code).toBe(2);
    expect(out.stderr.split('\n').filter((l) => l.includes('error E'))).toHaveLength(20);
    expect(out.stderr).toMatch(/… and 10 more errors\n$/);
    const long = file('long.py', `x = ${'1 + '.repeat(100)}$ + 1${' + 1'.repeat(100)}\n`);
    const lines = cli('run', long).stderr.split('\n');
    expect(lines[1]).toMatch(/^ {2}1 \| …[ +1]+\$[ +1]+…$/);
    expect(lines[1]!.length).toBe('  1 | '.length + 122);
    const caretAt = lines[2]!.indexOf('^');
    expect(lines[1]![caretAt]).toBe('$');
  });

  it('keeps the first 16 MB of the program output in --json, and counts what it dropped', () => {
    const big = file('bigprint.py', 's = "x" * 10000000\nprint(s)\nprint(s)\n');
    const json = JSON.parse(cli('run', big, '--json').stdout) as {
      output: { text: string }[];
      outputDroppedChars: number;
    };
    expect(json.output.map((o) => o.text).join('').length).toBe(16 * 2 ** 20);
    expect(json.outputDroppedChars).toBe(20_000_002 - 16 * 2 ** 20);
  });

  it('stops a run at the work bound, and the replay command carries --max-ops', () => {
    const spin = file('spin.py', 'g = 0\ndef f():\n    while True:\n        x = g\nf()\n');
    const out = cli('run', spin, '--max-ops', '5000');
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(
      /stopped after [\d,]+ steps: work bound of 5,000 micro-ops reached \(raise it with --max-ops\)/,
    );
    expect(replayArgs(out.stdout)).toEqual(['run', spin, '--seed', '1', '--max-ops', '5000']);
  });
});
