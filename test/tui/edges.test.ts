/**
 * The step UI where it meets the edges: programs that raise, spin or use conditions, typing the
 * wrong thing at a prompt, keys typed while an exploration runs, panes shorter than what they
 * hold, windows too small, files already there. Each case is driven key by key and read from
 * the frame or the pane models, as the screen draws them.
 */
import { TWO_INCREMENTS } from '../helpers.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrFail, stepConfig } from './step-setup.js';
import { Controller, type StepConfig } from '../../src/tui/controller.js';
import { exploreInPlace, type ExploreCallbacks, type Explorer } from '../../src/tui/explore-job.js';
import { parseKeys } from '../../src/tui/keys.js';
import { box, buildFrame, frameLines, wrap } from '../../src/tui/layout.js';
import { CONTROL_CHARS, line } from '../../src/tui/model.js';
import { viewModel } from '../../src/tui/view-model.js';

const dir = mkdtempSync(join(tmpdir(), 'interleave-edges-'));

/** A controller on `source` written to `name` in a fresh folder (also the folder `x` writes to). */
function on(name: string, source: string, over: Partial<StepConfig> = {}, explorer?: Explorer): Controller {
  const file = join(dir, name);
  writeFileSync(file, source);
  return new Controller(loadOrFail(file), stepConfig(file, [], { outDir: dir, ...over }), explorer);
}

function press(c: Controller, keys: string): Controller {
  for (const k of parseKeys(keys)) c.press(k);
  return c;
}

const text = (c: Controller, columns = 80, rows = 24) => frameLines(buildFrame(c, columns, rows));

const RAISES = `import threading
x = 0
def worker():
    global x
    tmp = x
    x = tmp + 1
    raise ValueError("boom")
t = threading.Thread(target=worker)
t.start()
t.join()
print(x)
`;

const SPINS = `import threading
def spin():
    n = 0
    while True:
        n += 1
t = threading.Thread(target=spin)
t.start()
t.join()
`;

const CONDITION = `import threading
cond = threading.Condition()
items = []
def consumer():
    with cond:
        while not items:
            cond.wait()
def producer():
    with cond:
        items.append(1)
        cond.notify()
a = threading.Thread(target=consumer)
b = threading.Thread(target=producer)
a.start(); b.start()
a.join(); b.join()
`;

const COUNTER = TWO_INCREMENTS;

describe('an exception', () => {
  it('is shown once in the events, as CPython prints it, and the output keeps only what was printed', () => {
    const c = press(on('raises.py', RAISES), 'r r r r r r r r');
    expect(c.session.ended).toBe(true);
    const events = viewModel(c).events.lines.map((l) => l.text);
    expect(events.filter((l) => l.includes('ValueError: boom'))).toHaveLength(1);
    expect(events.filter((l) => l.startsWith('Exception in thread Thread-1 (worker):'))).toHaveLength(1);
    expect(events.some((l) => l.startsWith('exception in '))).toBe(false);
    expect(events.slice(events.indexOf('output:'))).toEqual(['output:', '  1']);
    expect(c.failure()).toBe('an exception in Thread-1 (worker)');
  });

  it("main's read of x to print it is not a stale copy that will be stored", () => {
    const c = on('raises.py', RAISES);
    // Step main until it is past `print(x)`'s LOAD; the worker never runs after main's read.
    while (!c.session.ended) c.press({ kind: 'char', char: 'n' });
    for (let k = c.step; k >= 0; k--) {
      c.seek(k);
      expect(
        viewModel(c)
          .memory.lines.map((l) => l.text)
          .join('\n'),
      ).not.toContain('thread 0 read');
    }
  });
});

describe('a loop with no end', () => {
  it('stops at the work bound, and the header, events and n say which bound and how to raise it', () => {
    const c = on('spins.py', SPINS, { maxOps: 20_000 });
    press(c, 'r 1 r');
    // A twentieth of the work bound: the spin limit, loop iterations with no visible operation.
    const reason =
      'Thread-1 (spin) ran 1,000 loop iterations without a visible operation (raise it with --max-ops)';
    expect(c.session.machine.halt?.reason).toBe(reason);
    const screen = text(c).join('\n');
    expect(screen.replace(/\n {2}/g, ' ')).toContain(`stopped: ${reason}`);
    press(c, 'n');
    expect(c.message?.text).toBe(`the run stopped: ${reason}`);
    expect(c.failure()).toBe(`stopped: ${reason}`);
    expect(viewModel(c).events.lines[0]!.text).toBe(`stopped at step ${c.step}: ${reason}`);
  });
});

describe('the locks pane', () => {
  it("names a Condition's own lock after the condition", () => {
    const c = press(on('cond.py', CONDITION), 'r r r');
    const locks = viewModel(c).locks.lines.map((l) => l.text);
    expect(locks.some((l) => l.startsWith("cond's lock RLock"))).toBe(true);
    expect(locks.some((l) => /^RLock#\d+/.test(l))).toBe(false);
  });
});

describe('g: go to a step', () => {
  it('keeps its prompt open on a key that is not a digit, and says what to type', () => {
    const c = press(on('counter.py', COUNTER), 'n n n n n g 2 x');
    expect(c.overlay).toEqual({ kind: 'goto', digits: '2' });
    expect(c.message?.text).toBe('go to step: type digits, Enter goes, Esc cancels (not x)');
    expect(viewModel(c).message.text).toContain('go to step: 2_');
    press(c, 'enter');
    expect(c.step).toBe(2);
  });

  it('refuses a 13th digit with a message and keeps the 12', () => {
    const c = press(on('counter.py', COUNTER), 'g 1234567890123');
    expect(c.overlay).toEqual({ kind: 'goto', digits: '123456789012' });
    expect(c.message?.text).toBe('a step has at most 12 digits');
    press(c, 'esc');
    expect(c.overlay.kind).toBe('none');
    expect(c.step).toBe(0);
  });
});

describe('v: the events full-screen', () => {
  it('shows every event line, scrolls, and any other key closes it', () => {
    const c = press(on('raises.py', RAISES), 'r r r r r r r r');
    const all = viewModel(c).events.lines.map((l) => l.text);
    press(c, 'v');
    expect(c.overlay).toEqual({ kind: 'events', scroll: 0 });
    expect(text(c, 80, 24).join('\n')).toContain(all.at(-1)!);
    press(c, 'down down pgdn');
    expect(c.overlay).toEqual({ kind: 'events', scroll: all.length - 1 });
    press(c, 'up');
    expect(c.overlay).toEqual({ kind: 'events', scroll: all.length - 2 });
    press(c, 'esc');
    expect(c.overlay.kind).toBe('none');
  });
});

describe('keys typed while an exploration runs', () => {
  it('wait for its end and then apply in order; Esc cancels and drops them', () => {
    let pending: (() => void) | null = null;
    // An explorer that finishes only when the test says so, as the worker does in the terminal.
    const later: Explorer = (program, request, cb: ExploreCallbacks) => {
      let cancelled = false;
      pending = () => {
        if (!cancelled) exploreInPlace(program, request, cb);
      };
      return { cancel: () => void (cancelled = true) };
    };
    const c = on('counter.py', COUNTER, {}, later);
    press(c, 'e 1 enter');
    expect(c.overlay.kind).toBe('exploring');
    expect(c.message?.text).toBe('exploring: Esc or q cancels it; 2 keys typed will apply when it ends');
    pending!();
    // Outcome 1's witness is the line now, and n steps along it.
    expect(c.overlay.kind).toBe('none');
    expect(c.message?.text).toBe('following the witness of outcome 1; n steps along it');
    expect(c.length).toBeGreaterThan(0);

    const d = on('counter.py', COUNTER, {}, later);
    press(d, 'e 1 esc');
    expect(d.message?.text).toBe('exploration cancelled');
    pending!();
    expect(d.overlay.kind).toBe('none');
    press(d, 'n');
    expect(d.step).toBe(1);
  });
});

describe('focus after going back', () => {
  it('moves to a thread that exists at the earlier step', () => {
    const c = on('counter.py', COUNTER);
    while (c.session.machine.threads.length < 3) c.press({ kind: 'char', char: '0' });
    press(c, 'down down');
    expect(c.focus).toBe(2);
    press(c, 'b');
    expect(c.session.machine.threads.length).toBe(2);
    expect(c.focus).toBe(1);
    expect(() => text(c)).not.toThrow();
  });
});

describe('x', () => {
  it('never overwrites a schedule saved before: the next one gets -2', () => {
    const c = on('xsave.py', COUNTER);
    press(c, '0 0 x');
    press(c, 'b 0 x');
    const first = join(dir, 'xsave.step-2.schedule');
    const second = join(dir, 'xsave.step-2-2.schedule');
    expect(c.message?.text).toContain(`wrote ${second}`);
    expect(readFileSync(first, 'utf8')).toBe(readFileSync(second, 'utf8'));
  });
});

describe('q at step 0', () => {
  it('gives the step command with the tape it was opened with', () => {
    const c = on('counter.py', COUNTER, { tapeArgs: ['--seed', '7', '--scheduler', 'uniform'] });
    expect(c.replayCommand()).toBe(
      `npx interleave step ${join(dir, 'counter.py')} --seed 7 --scheduler uniform`,
    );
  });
});

describe('the frame', () => {
  it('below 40 × 12 says the window is too small, in the width there is', () => {
    const c = on('counter.py', COUNTER);
    const lines = text(c, 30, 8);
    expect(lines.join(' ')).toBe('window too small: 30×8; interleave step needs at least 40×12');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(30);
    expect(text(c, 40, 12)).toHaveLength(11);
  });

  it('wraps at spaces and indents what follows; a word longer than the line is cut', () => {
    expect(wrap('abc def ghi', 7, 2)).toEqual(['abc def', '  ghi']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('short', 10)).toEqual(['short']);
  });

  it('a pane keeps its focus above the "more lines" row, and a one-row pane shows a line, not the marker', () => {
    const pane = { title: 't', lines: ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => line(s)), focus: 2 };
    const shown = box(pane, 20, 4).lines.map((l) => l.text.trimEnd());
    expect(shown).toEqual(['─ t ────────────────', 'b', 'c', '… 3 more lines']);
    const one = box({ ...pane, focus: -1 }, 20, 2).lines.map((l) => l.text.trimEnd());
    expect(one).toEqual(['─ t ────────────────', 'a']);
  });
});

describe('every terminal size from 40 × 12 up', () => {
  it('gives a frame of exactly rows − 1 lines, none wider than the terminal', () => {
    const states = [
      press(on('raises.py', RAISES), 'r r r r r r r r'),
      press(on('cond.py', CONDITION), 'r r r x'),
      press(on('counter.py', COUNTER), 'g 1 x'),
      press(on('counter.py', COUNTER), '?'),
    ];
    for (const c of states)
      for (const columns of [40, 41, 57, 80, 133])
        for (const rows of [12, 13, 16, 24, 50]) {
          const lines = text(c, columns, rows);
          expect(lines, `${columns}×${rows}`).toHaveLength(rows - 1);
          expect(Math.max(...lines.map((l) => [...l].length)), `${columns}×${rows}`).toBeLessThanOrEqual(
            columns,
          );
        }
  });
});

describe('what the program prints', () => {
  it('is shown with control characters as escapes, never written to the terminal as it is', () => {
    const c = press(on('ctl.py', 'print("tab\\there\\x1b[31mRED\\x1b[0m bell\\x07 cr\\rX")\n'), 'r');
    const events = viewModel(c).events.lines.map((l) => l.text);
    expect(events).toContain('  tab\\there\\x1b[31mRED\\x1b[0m bell\\x07 cr\\rX');
    expect(text(c).join('').match(CONTROL_CHARS)).toBeNull();
  });

  it('shows a line of millions of characters cut to its first 400', () => {
    const c = press(on('big.py', 'print("x" * 5_000_000)\n'), 'r');
    const out = viewModel(c).events.lines.at(-1)!.text;
    expect(out).toBe(`  ${'x'.repeat(400)}…`);
    expect(text(c)).toHaveLength(23);
  });
});

describe('overlays', () => {
  it('the help scrolls to its last line; any other key closes it', () => {
    const c = press(on('counter.py', COUNTER), '? pgdn pgdn');
    expect(c.overlay.kind).toBe('help');
    expect(text(c).join('\n')).toContain('any other key closes it');
    press(c, 'n');
    expect(c.overlay.kind).toBe('none');
    expect(c.step).toBe(0);
  });

  it('e on a program whose executions never end says there is no outcome to follow', () => {
    const source =
      'import threading\nflag = False\ndef spin():\n    while not flag:\n        pass\nt = threading.Thread(target=spin)\nt.start()\nt.join()\n';
    const c = press(on('waits.py', source), 'e');
    expect(c.overlay.kind).toBe('explore');
    expect(c.overlay.kind === 'explore' && c.overlay.witnesses).toEqual([]);
    expect(c.message?.text).toBe(
      'no execution from this step ended within the bounds: there is no outcome to follow (Esc closes)',
    );
  });

  it('a header longer than two lines ends in … rather than losing its end unseen', () => {
    const c = press(on('spins.py', SPINS, { maxOps: 20_000 }), 'r');
    const [first, second, third] = text(c, 40, 24);
    expect(first).toMatch(/^\/.*spins\.py/);
    expect(second!.endsWith('…')).toBe(true);
    expect(third).toMatch(/^─ threads/);
  });
});

describe('the timeline', () => {
  it('draws every step in some lane, the step that raised included, and says when threads are left out', () => {
    const c = press(on('raises.py', RAISES), 'r r r r r r r r');
    const pane = viewModel(c, 60, 3).timeline;
    const lanes = pane.lines.slice(0, -1).map((l) => l.text.slice(3));
    for (let k = 0; k < c.step; k++)
      expect(
        lanes.filter((l) => l[k] === '█'),
        `step ${k}`,
      ).toHaveLength(1);
    const one = viewModel(c, 60, 1).timeline;
    expect(one.title).toContain('; 1 more thread ran, not shown');
  });
});
