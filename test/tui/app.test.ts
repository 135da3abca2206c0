/**
 * The ink app (src/tui/app.tsx) rendered by ink-testing-library: keys written to its stdin
 * reach the controller, and the frame it draws is the layout's frame of the controller's state.
 */
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrFail, stepConfig } from './step-setup.js';
import { App } from '../../src/tui/app.js';
import { Controller } from '../../src/tui/controller.js';

const SETS: [string, string][] = [
  ['nthread', '2'],
  ['nloop', '1'],
];

function controller(): Controller {
  const file = 'programs/counter_race.py';
  return new Controller(loadOrFail(file, SETS), stepConfig(file, SETS));
}

/** Let ink handle the input and draw. */
const settle = () => new Promise((r) => setTimeout(r, 30));

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

async function type(stdin: { write(s: string): void }, keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await settle();
  }
}

describe('the ink app', () => {
  it('draws step 0, then the stale copy and the lost update as keys arrive', async () => {
    const c = controller();
    const app = render(createElement(App, { controller: c, plain: true }));
    cleanup = app.unmount;
    await settle();
    expect(app.lastFrame()).toContain('programs/counter_race.py · step 0 of 0 · running');
    await type(app.stdin, [...'0000000000', '1', '2', '1', '1']);
    expect(c.step).toBe(14);
    expect(app.lastFrame()).toContain('thread 2 read counter = 0 at step 11: STALE');
    await type(app.stdin, ['2']);
    const frame = app.lastFrame()!;
    expect(frame).toContain('step 15 of 15 · last: you (2) · running, 1 update lost');
    expect(frame).toContain('lost update 1 of 1: Thread-2 (increment) overwrote 1 update to counter');
  });

  it('goes back with the left arrow, opens the help with ?, and quits with q', async () => {
    const c = controller();
    let quit = 0;
    const app = render(createElement(App, { controller: c, plain: true, onQuit: () => quit++ }));
    cleanup = app.unmount;
    await settle();
    await type(app.stdin, ['0', '0', '0', '\u001b[D']);
    expect(c.step).toBe(2);
    expect(app.lastFrame()).toContain('step 2 of 3');
    await type(app.stdin, ['?']);
    expect(app.lastFrame()).toContain('─ keys ─');
    expect(app.lastFrame()).toContain("s          finish the focused thread's current source line");
    await type(app.stdin, ['x']);
    expect(app.lastFrame()).not.toContain('─ keys ─');
    await type(app.stdin, ['q']);
    expect(c.quit).toBe(true);
    expect(quit).toBe(1);
  });
});
