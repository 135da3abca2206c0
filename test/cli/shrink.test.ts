/**
 * The witnesses `explore --strategy random|pct` and `check` print are shrunk to the fewest
 * preemptions before they are shown (src/explore/shrink-witness.ts): each one replays to what
 * it witnesses, and every other line of the output is what `--no-shrink` prints.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decisionsOf } from '../../src/explore/preemption-points.js';
import { loadProgram } from '../../src/run/run.js';
import { decodeSchedule, type Schedule } from '../../src/schedule/schedule.js';
import { cli } from './run-cli.js';

const COUNTER = ['programs/counter_race.py', '--set', 'nthread=2', '--set', 'nloop=1'];
const COUNTER3 = ['programs/counter_race.py', '--set', 'nthread=2', '--set', 'nloop=3'];

/** The words of a printed replay command, after `npx interleave`. */
function words(command: string): string[] {
  const line = command.slice(command.indexOf('npx interleave ') + 'npx interleave '.length);
  return (line.match(/'[^']*'|\S+/g) ?? []).map((w) => (w.startsWith("'") ? w.slice(1, -1) : w));
}

/** The schedule of a printed replay command. */
function scheduleOf(command: string): Schedule {
  const s = decodeSchedule(/--schedule '([^']+)'/.exec(command)![1]!);
  if ('error' in s) throw new Error(s.error);
  return s.schedule;
}

/** Preemptions of a printed replay command's schedule, counted by replaying it. */
function preemptionsOf(file: string, sets: [string, string][], command: string): number {
  return decisionsOf(loadProgram(file, sets).program!, scheduleOf(command))!.preemptions;
}

/** The final globals `run` prints, as the outcome table writes them (`a = 1, b = 2`). */
function finalGlobals(stdout: string): string {
  const lines = stdout.split('\n');
  const out: string[] = [];
  for (let i = lines.indexOf('final globals:') + 1; i > 0 && lines[i]?.startsWith('  '); i++)
    out.push(lines[i]!.trim());
  return out.join(', ');
}

/** The outcome table's entries: the globals line, the witness line and the replay command. */
function outcomes(stdout: string): { globals: string; witness: string; replay: string }[] {
  const lines = stdout.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++)
    if (/^ {2}[ \d]\d\. /.test(lines[i]!))
      out.push({
        globals: lines[i]!.replace(/^ {2}[ \d]\d\. /, ''),
        witness: lines[i + 1]!,
        replay: lines[i + 2]!,
      });
  return out;
}

/** The output with every witness's schedule and preemptions blotted out: what shrinking may change. */
function blotted(stdout: string): string {
  return stdout
    .replace(/--schedule '[^']+'/g, '--schedule S')
    .replace(/\(witness with \d+ preemptions?, shrunk from \d+: /g, '(witness: ')
    .replace(/ \(witness with \d+ preemptions?, shrunk from \d+\)$/gm, '')
    .replace(/ with \d+ preemptions?( \(shrunk from \d+\))?/g, ' with K preemptions')
    .replace(/ \(shrunk from \d+ preemptions? to \d+\)/g, '');
}

describe('explore --strategy random|pct', () => {
  for (const strategy of ['random', 'pct']) {
    it(`${strategy}: prints the lost update's witness with the one preemption it needs, which replays to it`, () => {
      const r = cli('explore', ...COUNTER, '--strategy', strategy, '--runs', '300');
      const plain = cli('explore', ...COUNTER, '--strategy', strategy, '--runs', '300', '--no-shrink');
      expect(r.code).toBe(1); // a data race on counter
      const lost = outcomes(r.stdout).find((o) => o.globals.startsWith('counter = 1,'))!;
      expect(lost.witness).toMatch(/; witness with 1 preemption( \(shrunk from \d+\))?:$/);
      expect(
        preemptionsOf(
          COUNTER[0]!,
          [
            ['nthread', '2'],
            ['nloop', '1'],
          ],
          lost.replay,
        ),
      ).toBe(1);
      expect(finalGlobals(cli(...words(lost.replay)).stdout)).toBe(lost.globals);
      // Nothing else changes.
      expect(blotted(r.stdout)).toBe(blotted(plain.stdout));
      expect(r.code).toBe(plain.code);
    });
  }

  it("gives each outcome of the counter a witness with as few preemptions as the exhaustive search's", () => {
    const exhaustive = outcomes(cli('explore', ...COUNTER3).stdout);
    const fewest = new Map(exhaustive.map((o) => [o.globals, /witness with (\d+)/.exec(o.witness)![1]]));
    const r = cli('explore', ...COUNTER3, '--strategy', 'random', '--runs', '1000');
    const plain = cli('explore', ...COUNTER3, '--strategy', 'random', '--runs', '1000', '--no-shrink');
    const shown = outcomes(r.stdout);
    expect(shown.length).toBe(5);
    for (const o of shown) {
      expect(/witness with (\d+)/.exec(o.witness)![1], o.globals).toBe(fewest.get(o.globals));
      expect(finalGlobals(cli(...words(o.replay)).stdout)).toBe(o.globals);
    }
    // Before shrinking, the witnesses of the runs have more.
    expect(outcomes(plain.stdout).some((o) => /witness with ([5-9]|\d\d)/.test(o.witness))).toBe(true);
    expect(r.stdout).toMatch(
      /^ {2}counter {2}\(witness with 0 preemptions, shrunk from \d+: npx interleave run /m,
    );
    expect(blotted(r.stdout)).toBe(blotted(plain.stdout));
  });

  it("shows each failing run's outcome shrunk, saying from how many preemptions", () => {
    const r = cli('explore', 'programs/deadlock.py', '--strategy', 'random', '--runs', '40');
    const plain = cli(
      'explore',
      'programs/deadlock.py',
      '--strategy',
      'random',
      '--runs',
      '40',
      '--no-shrink',
    );
    const lines = r.stdout.split('\n');
    const first = lines.findIndex((l) => /^ {2}run \d+, seed \d+: deadlock/.test(l));
    expect(lines[first]).toMatch(/: deadlock \(shrunk from \d+ preemptions to 1\)$/);
    expect(preemptionsOf('programs/deadlock.py', [], lines[first + 1]!)).toBe(1);
    expect(cli(...words(lines[first + 1]!)).stdout).toMatch(/deadlock after \d+ steps/);
    expect(blotted(r.stdout)).toBe(blotted(plain.stdout));
    const json = JSON.parse(
      cli('explore', 'programs/deadlock.py', '--strategy', 'random', '--runs', '40', '--json').stdout,
    ) as {
      failures: { schedule: string; preemptions?: number; shrunkFrom?: number }[];
    };
    expect(json.failures[0]).toMatchObject({ preemptions: 1 });
    expect(json.failures[0]!.shrunkFrom).toBeGreaterThan(1);
  });
});

describe('check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-shrink-'));
  const source = readFileSync('programs/counter_race.py', 'utf8').replace(
    '# expect: sometimes counter != nloop * nthread',
    '# expect: always counter == nloop * nthread\n# expect: outcomes counter = {2}\n# expect: never race',
  );
  const file = join(dir, 'counter_always.py');
  writeFileSync(file, source);
  const sets: [string, string][] = [
    ['nthread', '2'],
    ['nloop', '1'],
  ];
  const args = [file, '--set', 'nthread=2', '--set', 'nloop=1'];

  it('prints the witness of a failing line with the one preemption it needs, which fails the line', () => {
    const r = cli('check', ...args);
    const plain = cli('check', ...args, '--no-shrink');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const always = lines.findIndex((l) => l.includes('✗ violated  always counter == nloop * nthread'));
    expect(lines[always + 1]).toMatch(
      /^ {6}false in this execution( \(witness with 1 preemption, shrunk from \d+\))?$/,
    );
    expect(preemptionsOf(file, sets, lines[always + 2]!)).toBe(1);
    expect(finalGlobals(cli(...words(lines[always + 2]!)).stdout)).toMatch(/^counter = 1, /);
    const outcomesLine = lines.findIndex((l) => l.includes('✗ violated  outcomes counter = {2}'));
    expect(preemptionsOf(file, sets, lines[outcomesLine + 2]!)).toBe(1);
    const race = lines.findIndex((l) => l.includes('✗ violated  never race'));
    expect(preemptionsOf(file, sets, lines[race + 2]!)).toBe(0);
    expect(cli(...words(lines[race + 2]!)).stdout).toMatch(/^data races: \d+ \(counter: /m);
    expect(blotted(r.stdout)).toBe(blotted(plain.stdout));
  });
});
