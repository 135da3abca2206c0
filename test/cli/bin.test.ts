/**
 * The installed command, in fresh processes: the README's main command, its replay line,
 * and exit statuses. Runs bin/interleave.js on the build (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALUES_JSON, VALUES_PROGRAM, VALUES_REPRS } from '../report/values-program.js';

const root = join(import.meta.dirname, '..', '..');

function interleave(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'interleave.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/interleave.js', () => {
  it("runs the lesson's counter at full size, reports the lost updates, and replays it byte for byte", () => {
    const first = interleave('run', 'programs/counter_race.py');
    expect(first.status).toBe(1);
    const printed = /^50,000 loops X 100 threads -> counter is ([\d,]+)$/m.exec(first.stdout);
    expect(printed).not.toBeNull();
    expect(Number(printed![1]!.replace(/,/g, ''))).toBeLessThan(5_000_000);
    expect(first.stdout).toMatch(
      /^lost updates: [\d,]+ \(counter: [\d,]+\), by [\d,]+ stores? after a read that other threads overwrote$/m,
    );
    expect(first.stdout).toMatch(/^ {2}at programs\/counter_race\.py:14 {2}counter \+= 1$/m);
    const replay = /^replay: npx interleave (.*)$/m.exec(first.stdout)![1]!;
    expect(replay).toBe('run programs/counter_race.py --seed 1');
    const again = interleave(...replay.split(' '));
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toBe(first.stderr);
    expect(again.status).toBe(1);
  });

  it('prints typed globals and their reprs with run --json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'interleave-bin-'));
    const path = join(dir, 'values.py');
    writeFileSync(path, VALUES_PROGRAM);
    const r = interleave('run', path, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout) as { globals: unknown; globalsRepr: unknown };
    expect(o.globals).toEqual(VALUES_JSON);
    expect(o.globalsRepr).toEqual(VALUES_REPRS);
    expect(Object.keys(o.globals as object)).toEqual(Object.keys(VALUES_REPRS));
  });

  it('exits 0 on success and 2 on bad input, with no stack trace', () => {
    expect(interleave('dis', 'programs/counter_lock.py').status).toBe(0);
    const bad = interleave('run', 'README.md');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^README\.md:\d+:\d+: error E\d{3} /);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });
});
