import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, replayArgs } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'interleave-explore-'));
/** Write a program to a temporary folder; its path. */
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('interleave explore', () => {
  it('lists the distinct outcomes with counts, witnesses and a coverage line', () => {
    const r = cli('explore', 'programs/counter_race.py', '--set', 'nthread=2', '--set', 'nloop=3');
    expect(r.code).toBe(1); // a data race on counter
    expect(r.stdout).toMatch(/^5 distinct outcomes:$/m);
    for (const v of [2, 3, 4, 5, 6])
      expect(r.stdout).toMatch(new RegExp(`counter = ${v}, nthread = 2, nloop = 3`));
    expect(r.stdout).toMatch(
      /^coverage: 2,296 executions, complete: every interleaving explored up to equivalence/m,
    );
    expect(r.stdout).toMatch(/without reduction: 3,432 interleavings of 7 \+ 7 thread steps/);
    expect(r.stdout).toMatch(/^data races:\n {2}counter /m);
  });

  it('gives executions, complete and outcomes (globals, count, schedule) as JSON, and each witness replays', () => {
    const r = cli('explore', 'programs/deadlock.py', '--json');
    const x = JSON.parse(r.stdout) as {
      executions: number;
      complete: boolean;
      outcomes: {
        status: string;
        globals: Record<string, unknown>;
        globalsRepr: Record<string, string>;
        count: number;
        schedule: string;
        replay: string;
      }[];
    };
    expect(x.executions).toBe(3);
    expect(x.complete).toBe(true);
    expect(x.outcomes.map((o) => [o.status, o.globals.transfers, o.globalsRepr.transfers, o.count])).toEqual([
      ['completed', 2, '2', 2],
      ['deadlock', 0, '0', 1],
    ]);
    const deadlock = x.outcomes[1]!;
    const replay = cli(
      ...deadlock.replay
        .replace(/^npx interleave /, '')
        .match(/'[^']*'|\S+/g)!
        .map((w) => w.replace(/^'|'$/g, '')),
    );
    expect(replay.stdout).toMatch(/deadlock after \d+ steps/);
  });

  it("gives each outcome's globals in --json as typed JSON values, with their reprs in globalsRepr", () => {
    const path = file(
      'append.py',
      [
        'import threading',
        'items = []',
        "seen = {'n': 0}",
        'def add(x):',
        '    items.append((x, str(x)))',
        "    seen['n'] += 1",
        't = threading.Thread(target=add, args=(1,))',
        't.start()',
        'add(2)',
        't.join()',
        '',
      ].join('\n'),
    );
    const r = cli('explore', path, '--json');
    const x = JSON.parse(r.stdout) as {
      outcomes: { globals: Record<string, unknown>; globalsRepr: Record<string, string> }[];
    };
    const shown = x.outcomes.map((o) => [o.globals, o.globalsRepr]);
    const first = (a: number, b: number, n: number): [Record<string, unknown>, Record<string, string>] => [
      {
        items: [
          [a, String(a)],
          [b, String(b)],
        ],
        seen: { n },
      },
      { items: `[(${a}, '${a}'), (${b}, '${b}')]`, seen: `{'n': ${n}}` },
    ];
    for (const o of [first(1, 2, 2), first(2, 1, 2)]) expect(shown).toContainEqual(o);
    // Every outcome's typed globals and reprs have the same names, in definition order.
    for (const [globals, reprs] of shown) expect(Object.keys(globals!)).toEqual(Object.keys(reprs!));
    expect(r.stdout).not.toMatch(/"values"/);
  });

  it('runs random and PCT runs and names the first failing run', () => {
    const r = cli('explore', 'programs/deadlock.py', '--strategy', 'random', '--runs', '40');
    expect(r.stdout).toMatch(
      /^coverage: 40 random runs; \d+ failing runs; the first at run \d+ \(seed \d+\)$/m,
    );
    const failure = r.stdout.split('\n').findIndex((l) => l.startsWith('failing runs'));
    expect(failure).toBeGreaterThan(0);
    const pct = cli('explore', 'programs/deadlock.py', '--strategy', 'pct', '--runs', '20', '--depth', '2');
    expect(pct.stdout).toMatch(/^coverage: 20 pct runs;/m);
  });

  it('says that no execution ended, and exits 1, when every one spins in a cycle of states', () => {
    const waits = file(
      'waits.py',
      'import threading\nflag = False\ndef spin():\n    while not flag:\n        pass\nt = threading.Thread(target=spin)\nt.start()\nt.join()\n',
    );
    const r = cli('explore', waits);
    expect(r.stdout).toContain(
      '0 distinct outcomes:\n  none: no execution ended (every one loops without end, or stopped at a bound)\n',
    );
    expect(r.code).toBe(1);
  });
});

describe('interleave check (command line)', () => {
  it('exits 0 when every line holds and 1 otherwise', () => {
    const ok = cli('check', 'programs/deadlock.py', 'programs/release_unlocked.py');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/every expectation holds \(2 files\)/);
    const lock = cli('check', 'programs/counter_lock.py', '--set', 'NTHREADS=2', '--set', 'ITERATIONS=2');
    expect(lock.code).toBe(0);
    const unproven = cli(
      'check',
      'programs/counter_lock.py',
      '--max-executions',
      '1',
      '--time-limit',
      '1',
      '--set',
      'NTHREADS=3',
    );
    expect(unproven.code).toBe(1);
    expect(unproven.stdout).toMatch(/\? not proven/);
  });

  it('does not pass a program with no expectations: it could not be checked (exit 2)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'interleave-check-')), 'plain.py');
    writeFileSync(path, 'x = 1\n');
    expect(cli('check', path)).toEqual({
      code: 2,
      stdout: `${path}\n  no \`# expect:\` lines: nothing to verify\n\nnothing was checked; 1 file could not be checked: ${path}\n`,
      stderr: '',
    });
  });

  it('prints a replay command for a violated line', () => {
    const r = cli('check', 'programs/counter_race.py', '--set', 'nthread=2', '--set', 'nloop=2', '--json');
    const [file] = JSON.parse(r.stdout) as { lines: { verdict: string }[] }[];
    expect(file!.lines.map((l) => l.verdict)).toEqual(['holds']);
    void replayArgs;
  });
});
