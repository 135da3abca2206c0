/**
 * The README's examples, run as doctests: every `$ npx interleave …` command shown in a code
 * block runs through the bin, and its shown output must match what it prints. A line `...`
 * stands for any number of lines; in a block after `<!-- doctest: hardware -->`, numbers and
 * the lines after each trial's first vary with the hardware, so only the header lines are held
 * to the text. A block after `<!-- output of: COMMAND -->` is the output of COMMAND.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Example {
  command: string;
  shown: string[];
  hardware: boolean;
}

function examples(readme: string): Example[] {
  const out: Example[] = [];
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('```')) continue;
    const plain = lines[i] === '```';
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const marker = k >= 0 && lines[k]!.startsWith('<!--') ? lines[k]! : '';
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    if (!plain) continue;
    const hardware = marker.includes('doctest: hardware');
    const of = /<!-- output of: (.*) -->/.exec(marker);
    if (of !== null) out.push({ command: of[1]!, shown: body, hardware });
    else
      for (const l of body) {
        if (l.startsWith('$ ')) out.push({ command: l.slice(2), shown: [], hardware });
        else out.at(-1)?.shown.push(l);
      }
  }
  return out.filter((e) => e.command.startsWith('npx interleave '));
}

/** Shell words of a command line (single quotes only, as interleave prints them). */
function words(command: string): string[] {
  return (command.match(/'[^']*'|\S+/g) ?? []).map((w) => (w.startsWith("'") ? w.slice(1, -1) : w));
}

/** Whether `actual` shows every line of `shown` in order, `...` standing for any lines. */
function matches(shown: string[], actual: string[], same: (a: string, b: string) => boolean): string | null {
  let j = 0;
  let skipping = false;
  for (const s of shown) {
    if (s.trim() === '...') {
      skipping = true;
      continue;
    }
    // Blank lines around an elision stand for nothing.
    if (skipping && s.trim() === '') continue;
    if (skipping) {
      while (j < actual.length && !same(s, actual[j]!)) j++;
      if (j === actual.length) return `not found after '...': ${s}`;
    } else if (j >= actual.length || !same(s, actual[j]!))
      return `expected: ${s}\n     got: ${actual[j] ?? '(end)'}`;
    j++;
    skipping = false;
  }
  return null;
}

const readme = readFileSync('README.md', 'utf8');
const all = examples(readme);

describe('the README', () => {
  it('has its examples found by this test', () => {
    expect(all.map((e) => e.command.split(' ').slice(0, 3).join(' '))).toEqual([
      'npx interleave run',
      'npx interleave step',
      'npx interleave explore',
      'npx interleave hw',
      'npx interleave hw',
    ]);
  });

  it.each(all.map((e) => [e.command, e] as const))(
    '%s prints what the README shows',
    (_command, e) => {
      const args = words(e.command).slice(2);
      const r = spawnSync(process.execPath, ['bin/interleave.js', ...args], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true', NO_COLOR: '1' },
        timeout: 120_000,
      });
      const actual = `${r.stdout}`.replace(/\n$/, '').split('\n');
      const digitsVary = (a: string, b: string): boolean =>
        a.replace(/\d[\d,]*/g, '0') === b.replace(/\d[\d,]*/g, '0');
      const shown = e.hardware
        ? e.shown.filter((l) => l.startsWith('──')).flatMap((l) => ['...', l])
        : e.shown;
      expect(matches(shown, actual, e.hardware ? digitsVary : (a, b) => a === b)).toBeNull();
    },
    180_000,
  );
});
