/**
 * The step UI's screen as a terminal shows it: the ink app draws a frame after every key, so
 * whatever a pane remembers between frames is exercised the way a person exercises it. The
 * screen at any step must not depend on the path that led there: it equals the screen of a
 * fresh controller that replays the same schedule, and going forward and back again gives
 * the screen it started from.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrFail, stepConfig } from './step-setup.js';
import { exploreProgram } from '../../src/explore/explore.js';
import { encodeSchedule } from '../../src/schedule/schedule.js';
import type { CompiledProgram } from '../../src/compile/ops.js';
import { Controller, type StepConfig } from '../../src/tui/controller.js';
import { parseKeys } from '../../src/tui/keys.js';
import { buildFrame, frameLines } from '../../src/tui/layout.js';
import { Tape } from '../../src/tui/tape.js';
import { viewModel } from '../../src/tui/view-model.js';
import { dataGlobals } from '../../src/vm/data-globals.js';

const root = join(import.meta.dirname, '..', '..');
const FILE = 'programs/counter_race.py';

function counter(nthread: number, nloop: number) {
  const sets: [string, string][] = [
    ['nthread', String(nthread)],
    ['nloop', String(nloop)],
  ];
  const program = loadOrFail(FILE, sets);
  const config = stepConfig(FILE, sets);
  return { program, config };
}

/** The frame of a tall terminal (so that little is cut), as text. */
const frame = (c: Controller) => frameLines(buildFrame(c, 120, 60));

/** Press `keys`, drawing a frame after each one as the terminal does. */
function type(c: Controller, keys: string): Controller {
  for (const k of parseKeys(keys)) {
    c.press(k);
    frame(c);
  }
  return c;
}

/**
 * The screen minus what may rightly differ between two controllers at the same step: the length
 * of the execution known ahead and who chose the last step (header), and the last key's message.
 */
function screen(c: Controller): string[] {
  const message = c.message;
  c.message = null;
  try {
    const header = viewModel(c).header.text.replace(/ of \d+( · last: (you|tape|scheduler))?/, ' of ?');
    return [header, ...frame(c).slice(1)];
  } finally {
    c.message = message;
  }
}

/** A fresh controller gone to the step `c` is at, along `c`'s schedule, with the same focus. */
function replayOf(program: CompiledProgram, config: StepConfig, c: Controller): Controller {
  const d = new Controller(program, { ...config, tape: c.session.schedule() });
  d.focus = c.focus;
  type(d, `g ${c.step} enter`);
  expect(d.step).toBe(c.step);
  return d;
}

/** Steps MainThread takes to start every thread (the keys `0` × that many). */
function startAll(program: CompiledProgram, config: StepConfig, nthread: number): string {
  const c = new Controller(program, config);
  while (c.session.machine.threads.length < nthread + 1 && c.step < 100) type(c, '0');
  return '0'.repeat(c.step);
}

const texts = (c: Controller, pane: 'events' | 'memory') => viewModel(c)[pane].lines.map((l) => l.text);

describe('a lost update by hand: the held copies, then the window', () => {
  it('1 LOADs, 2 LOADs: both copies held; 1 STOREs: 2’s copy is stale; 2 STOREs: 1’s update is lost', () => {
    const { program, config } = counter(2, 1);
    const c = type(new Controller(program, config), '0000000000 1 2');
    expect(texts(c, 'memory').slice(0, 2)).toEqual([
      'thread 1 read counter = 0 at step 10, will STORE',
      'thread 2 read counter = 0 at step 11, will STORE',
    ]);
    type(c, '1');
    expect(texts(c, 'memory').slice(0, 2)).toEqual([
      'thread 2 read counter = 0 at step 11: STALE',
      'counter = 1  (by 1 at step 12)',
    ]);
    expect(viewModel(c).header.text).toBe(`${FILE} · step 13 of 13 · last: you (1) · running, 1 data race`);
    type(c, '2');
    expect(viewModel(c).header.text).toBe(
      `${FILE} · step 14 of 14 · last: you (2) · running, 1 update lost, 2 data races`,
    );
    // The window runs from the overwriting thread's LOAD to its STORE, with the STORE it overwrote.
    expect(texts(c, 'events').slice(0, 7)).toEqual([
      'lost update 1 of 1: Thread-2 (increment) overwrote 1 update to counter',
      `  at ${FILE}:14  counter += 1`,
      '  it read counter at step 11 and wrote it at step 13; other threads updated it in between, and those updates are gone.',
      '  step  Thread-2 (increment)  Thread-1 (increment)',
      '    11  LOAD counter → 0',
      '    12                        STORE counter ← 1',
      '    13  STORE counter ← 1',
    ]);
    expect(texts(c, 'memory')[0]).toBe('counter = 1  (by 2 at step 13)');
  });
});

describe('the events pane does not depend on the path to the step', () => {
  it('after going back, the window names the thread whose update was overwritten this time', () => {
    const { program, config } = counter(3, 1);
    const start = startAll(program, config, 3);
    // 1 LOADs, 2 LOADs and STOREs, 1 STOREs: 1 overwrites 2's update.
    const c = type(new Controller(program, config), `${start} 1 2 2 1`);
    expect(texts(c, 'events')).toContain('  step  Thread-1 (increment)  Thread-2 (increment)');
    // Back to 1's LOAD; now 3 LOADs and STOREs before 1 STOREs: the same steps, another thread.
    type(c, 'b b b 3 3 1');
    expect(encodeSchedule(c.session.schedule())).toMatch(/:0\*13,1,3\*2,1$/);
    const events = texts(c, 'events');
    expect(events).toContain('lost update 1 of 1: Thread-1 (increment) overwrote 1 update to counter');
    expect(events).toContain('  step  Thread-1 (increment)  Thread-3 (increment)');
    expect(events).not.toContain('  step  Thread-1 (increment)  Thread-2 (increment)');
    expect(texts(replayOf(program, config, c), 'events')).toEqual(events);
  });

  it('each lost update says how many there are so far, also those drawn before the next one', () => {
    const { program, config } = counter(3, 1);
    const start = startAll(program, config, 3);
    // 3 LOADs; 1 and 2 LOAD; 2 STOREs, 1 STOREs (lost update 1); 3 STOREs (lost update 2).
    const c = type(new Controller(program, config), `${start} 2 3 0 0 1 2 1 3`);
    expect(c.session.machine.lost?.stores).toBe(2);
    const headings = texts(c, 'events').filter((l) => l.startsWith('lost update '));
    expect(headings).toEqual([
      'lost update 1 of 2: Thread-1 (increment) overwrote 1 update to counter',
      'lost update 2 of 2: Thread-3 (increment) overwrote 1 update to counter',
    ]);
    expect(texts(replayOf(program, config, c), 'events')).toEqual(texts(c, 'events'));
  });
});

describe('any path to a step gives the screen of its schedule replayed (property)', () => {
  for (const [nthread, nloop] of [
    [3, 1],
    [2, 2],
  ] as const) {
    it(`counter_race with nthread=${nthread} nloop=${nloop}: keys 1-${nthread}, n, b, s, g N; then k forward and k back`, () => {
      const { program, config } = counter(nthread, nloop);
      const start = startAll(program, config, nthread);
      const key = fc.oneof(
        {
          weight: 8,
          arbitrary: fc.constantFrom(...Array.from({ length: nthread }, (_, i) => String(i + 1)), 'n', 'b'),
        },
        { weight: 1, arbitrary: fc.constantFrom('s', '0') },
        { weight: 1, arbitrary: fc.nat({ max: 40 }).map((n) => `g ${n} enter`) },
      );
      fc.assert(
        fc.property(fc.array(key, { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), (keys, k) => {
          const c = type(new Controller(program, config), `${start} ${keys.join(' ')}`);
          const before = screen(c);
          expect(screen(replayOf(program, config, c))).toEqual(before);
          const at = c.step;
          const forward = type(c, Array(k).fill('n').join(' ')).step - at;
          type(c, Array(forward).fill('b').join(' '));
          expect(c.step).toBe(at);
          expect(screen(c)).toEqual(before);
        }),
        { numRuns: 300, seed: 20261205 },
      );
    });
  }
});

describe('e after any path: the witnesses continue the steps taken (property)', () => {
  it('every witness starts with the steps taken; the one chosen leads to its outcome', () => {
    const { program, config } = counter(2, 2);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('0', '0', '0', '1', '2', 'n', 'b'), { maxLength: 40 }),
        fc.nat(9),
        (keys, pick) => {
          const c = type(new Controller(program, config), keys.join(' '));
          const at = c.step;
          const taken = c.session.schedule();
          type(c, 'e');
          const o = c.overlay;
          if (o.kind !== 'explore') throw new Error(`the overlay is ${o.kind}, not the outcome table`);
          const steps = new Tape(taken);
          for (const w of o.witnesses) {
            const t = new Tape(w);
            for (let i = 0; i < at; i++) expect(t.at(i)).toEqual(steps.at(i));
          }
          // The table is explore's, for the same prefix: outcome i is its i-th most frequent.
          const x = exploreProgram(program, {
            strategy: 'exhaustive',
            maxExecutions: config.exploreExecutions,
            timeLimitMs: config.exploreTimeMs,
            statefulFallback: {},
            ...(at > 0 ? { prefix: taken } : {}),
          });
          const entries = [...x.table.entries].sort((a, b) => b.count - a.count);
          expect(o.witnesses).toHaveLength(entries.length);
          const i = pick % entries.length;
          type(c, `${i + 1} enter`);
          expect(c.overlay.kind).toBe('none');
          expect(c.step).toBe(at);
          type(c, `g ${c.length} enter`);
          expect(c.session.ended).toBe(true);
          expect(dataGlobals(c.session.machine.finalGlobals())).toEqual(entries[i]!.state.globals);
        },
      ),
      { numRuns: 30, seed: 20261205 },
    );
  });
});

describe('x: the command it shows replays the steps so far', () => {
  const { program, config } = counter(2, 1);
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** Press x after `keys`; the `run` command the message offers, as arguments, or null if none. */
  function exported(keys: string): { args: string[] | null; file: string | null; message: string } {
    const dir = mkdtempSync(join(tmpdir(), 'interleave-x-'));
    dirs.push(dir);
    const c = type(new Controller(program, { ...config, outDir: dir }), `${keys} x`);
    const message = c.message?.text ?? '';
    const shown = /^wrote (\S+); replay: npx interleave (run .*)$/.exec(message);
    if (shown === null) return { args: null, file: null, message };
    const args = (shown[2]!.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'|'$/g, ''));
    return { args, file: shown[1]!, message };
  }

  const run = (args: string[]) =>
    spawnSync(process.execPath, [join(root, 'bin', 'interleave.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
    });

  it('after some steps: a run that stops at that step', () => {
    const { args, file, message } = exported('0000000000 1 2 1');
    expect(args, message).not.toBeNull();
    expect(readFileSync(file!, 'utf8')).toMatch(/^v1:[0-9a-f]{8}:0\*10,1,2,1\n$/);
    expect(args!.slice(0, 6)).toEqual(['run', FILE, '--set', 'nthread=2', '--set', 'nloop=1']);
    expect(args!.slice(-2)).toEqual(['--max-steps', '13']);
    const r = run(args!);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('stopped after 13 steps: step bound of 13 steps reached');
  });

  it('at step 0: nothing to save, and no file written', () => {
    const { args, message } = exported('');
    expect(args).toBeNull();
    expect(message).toBe('nothing to save at step 0: take a step first');
    expect(readdirSync(dirs.at(-1)!)).toEqual([]);
  });
});
