/**
 * `interleave step` in a real terminal: tmux runs the bin in an 80 × 24 window (CI=false, since
 * ink draws only the last frame under CI), keys are sent as a person types them, and the pane
 * is read back. Checks keys, help, resize, the explore fork and its cancel, and that `q`
 * leaves the terminal to the shell with the replay command printed and exit status 0.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `interleave-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** The pane's text, wrapped lines joined (-J). */
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'ui');

/** Wait until the pane shows `text` (or `test` holds); fails with the pane after 20 s. */
async function until(test: string | ((s: string) => boolean)): Promise<string> {
  const ok = typeof test === 'string' ? (s: string) => s.includes(test) : test;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = screen();
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(test)}; it shows:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const keys = (...k: string[]) => void tmux('send-keys', '-t', 'ui', ...k);

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

describe.skipIf(!hasTmux)('interleave step in tmux', () => {
  it('steps, goes back, shows help, redraws on resize, forks, and quits to the shell', async () => {
    const cmd = `cd ${root} && CI=false node bin/interleave.js step programs/counter_race.py --set nthread=2 --set nloop=1; echo "EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', 'ui', '-x', '80', '-y', '24', cmd);
    let s = await until('step 0 of 0');
    expect(s).toContain('0-9 thread  n next');
    keys('0', '0', '0');
    s = await until('step 3 of 3 · last: you (0)');
    keys('b');
    s = await until('step 2 of 3');
    keys('Left');
    await until('step 1 of 3');
    keys('g', '3', 'Enter');
    await until('step 3 of 3');
    keys('?');
    s = await until('─ keys ─');
    expect(s).toContain('q, Ctrl-C  quit');
    keys('z');
    await until((x) => !x.includes('─ keys ─') && x.includes('─ threads'));
    // Every line fits the 80 columns.
    expect(
      Math.max(
        ...screen()
          .split('\n')
          .map((l) => [...l].length),
      ),
    ).toBeLessThanOrEqual(80);
    tmux('resize-window', '-t', 'ui', '-x', '120', '-y', '40');
    s = await until((x) => x.split('\n').some((l) => [...l].length > 100 && l.startsWith('─ threads')));
    expect(s.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(24);
    keys('e');
    s = await until('type an outcome number and Enter');
    expect(s).toContain('continuations of a prefix of 3 steps');
    keys('Escape');
    await until('─ threads');
    keys('q');
    s = await until('EXIT=');
    expect(s).toMatch(
      /replay: npx interleave run programs\/counter_race\.py --set nthread=2 --set nloop=1 --schedule 'v1:[0-9a-f]{8}:0\*3' --max-steps 3/,
    );
    expect(s).toContain('EXIT=0');
  }, 60_000);

  it('cancels a long exploration with Esc, and Ctrl-C quits with the replay command', async () => {
    tmux('kill-session', '-t', 'ui');
    // CI=true as a CI job would set it: step draws every frame all the same (it tells ink it is no CI job).
    const cmd = `cd ${root} && CI=true node bin/interleave.js step programs/counter_race.py --set nthread=4 --set nloop=4; echo "EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', 'ui', '-x', '80', '-y', '24', cmd);
    await until('step 0 of 0');
    keys('e');
    await until('exploring every continuation of steps 0 to 0');
    keys('Escape');
    await until('exploration cancelled');
    keys('0', '0');
    await until('step 2 of 2');
    keys('C-c');
    const s = await until('EXIT=');
    expect(s).toMatch(
      /replay: npx interleave run programs\/counter_race\.py .*--schedule 'v1:[0-9a-f]{8}:0\*2' --max-steps 2/,
    );
    expect(s).toContain('EXIT=0');
  }, 60_000);
});
