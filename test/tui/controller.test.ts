/**
 * The terminal UI's controller (src/tui/controller.ts), driven key by key as a person drives it,
 * read through the same pane models and frame the screen draws. Outcomes are checked against
 * independent sources: the run report's lost-update count, `interleave explore`'s own table,
 * and a fresh controller replaying the same schedule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadOrFail, stepConfig } from './step-setup.js';
import { exploreProgram } from '../../src/explore/explore.js';
import { renderExploration } from '../../src/report/exploration.js';
import { encodeSchedule, scheduleLength, truncateSchedule } from '../../src/schedule/schedule.js';
import { Controller, type StepConfig } from '../../src/tui/controller.js';
import { parseKeys } from '../../src/tui/keys.js';
import { Tape } from '../../src/tui/tape.js';
import { buildFrame, frameLines } from '../../src/tui/layout.js';
import { viewModel } from '../../src/tui/view-model.js';
import { dataGlobals } from '../../src/vm/data-globals.js';

const load = loadOrFail;

const COUNTER: [string, string][] = [
  ['nthread', '2'],
  ['nloop', '1'],
];

const config = stepConfig;

function controller(file: string, sets: [string, string][] = [], over: Partial<StepConfig> = {}): Controller {
  return new Controller(load(file, sets), config(file, sets, over));
}

function press(c: Controller, keys: string): Controller {
  for (const k of parseKeys(keys)) c.press(k);
  return c;
}

const texts = (lines: { text: string }[]) => lines.map((l) => l.text);
/** The frame at 100 × 40, but for the known length in the header (it grows as the steps do). */
const screen = (c: Controller) =>
  frameLines(buildFrame(c, 100, 40))
    .join('\n')
    .replace(/ · step (\d+) of \d+/, ' · step $1 of …');
const hash = (c: Controller) => c.session.machine.stateHash().join(':');

/** Main starts both threads (10 steps), then 1 LOADs, 2 LOADs, 1 STOREs: 2 holds a stale copy. */
const BEFORE_OVERWRITE = '0000000000 1 2 1 1';

describe('a lost update, stepped by hand', () => {
  it('shows the stale copy, then the lost update with its window', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), BEFORE_OVERWRITE);
    expect(c.step).toBe(14);
    const vm = viewModel(c);
    expect(texts(vm.memory.lines)).toContain('thread 2 read counter = 0 at step 11: STALE');
    expect(texts(vm.memory.lines)).toContain('counter = 1  (by 1 at step 12)');
    expect(vm.header.text).not.toContain('lost update');
    press(c, '2');
    const after = viewModel(c);
    expect(after.header.text).toContain('1 update lost');
    expect(c.session.machine.lost?.stores).toBe(1);
    const events = texts(after.events.lines);
    expect(events).toContain('lost update 1 of 1: Thread-2 (increment) overwrote 1 update to counter');
    expect(events.slice(3, 7)).toEqual([
      '  step  Thread-2 (increment)  Thread-1 (increment)',
      '    11  LOAD counter → 0',
      '    12                        STORE counter ← 1',
      '    14  STORE counter ← 1',
    ]);
    expect(texts(after.memory.lines)).toContain('counter = 1  (by 2 at step 14)');
    expect(texts(after.memory.lines).some((l) => l.includes('STALE'))).toBe(false);
  });

  it('marks who chose each step: you, the scheduler, the tape', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), '0');
    expect(c.lastChooser).toBe('you');
    press(c, 'n');
    expect(c.lastChooser).toBe('scheduler');
    const tape = c.session.schedule();
    const d = controller('programs/counter_race.py', COUNTER, { tape });
    press(d, 'n');
    expect(d.lastChooser).toBe('tape');
    expect(d.length).toBe(2);
  });
});

describe('moving along the execution', () => {
  it('b goes back to the exact earlier state and frame; n comes back along the line', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), '0000000000 1 2 up');
    const [h, s] = [hash(c), screen(c)];
    press(c, 'enter b');
    expect(c.step).toBe(12);
    expect(hash(c)).toBe(h);
    expect(screen(c)).toBe(s);
    expect(c.length).toBe(13);
    press(c, 'n');
    expect(c.step).toBe(13);
    // The step back on the line keeps who first chose it.
    expect(c.lastChooser).toBe('you');
    expect(c.session.schedule().items.at(-1)?.tid).toBe(1);
  });

  it('g N Enter goes to step N; a step outside the execution is refused', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), 'n n n n n n n n n n n n');
    const at5 = press(controller('programs/counter_race.py', COUNTER), 'n n n n n');
    press(c, 'g 5 enter');
    expect(c.step).toBe(5);
    expect(hash(c)).toBe(hash(at5));
    press(c, 'g 99 enter');
    expect(c.step).toBe(5);
    expect(c.message?.text).toBe('step 99 is outside this execution (0 to 12); step forward to go further');
    press(c, 'g 12 enter');
    expect(c.step).toBe(12);
  });

  it('a thread that does not exist or cannot run leaves a message and the step', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), '7');
    expect(c.step).toBe(0);
    expect(c.focus).toBe(0);
    expect(c.message?.text).toBe('there is no thread 7 (threads started so far: 0 to 0)');
    press(c, 'b');
    expect(c.message?.text).toBe('already at step 0');
  });

  it('a tape is followed by n; choosing another thread cuts it there', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), '0000000000 2 2 2 1 1 1');
    const tape = c.session.schedule();
    const d = controller('programs/counter_race.py', COUNTER, { tape });
    expect(d.length).toBe(16);
    press(d, 'n n n n n n n n n n n');
    expect(d.session.schedule().items.at(-1)?.tid).toBe(2);
    press(d, '1');
    expect(d.step).toBe(12);
    expect(d.length).toBe(12);
    expect(d.lastChooser).toBe('you');
  });

  it('s finishes the focused thread’s line', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), '0000000000 1 up down');
    expect(c.focus).toBe(1);
    press(c, 's');
    // LOAD, CONST, ADD and STORE of `counter += 1` are one visible LOAD and one STORE.
    expect(c.step).toBe(12);
    expect(c.session.machine.nextOp(1)?.code.spans[(c.session.machine.nextOp(1)?.pc ?? 0) * 4]).not.toBe(14);
  });
});

describe('going back and forth (property)', () => {
  const program = load('programs/counter_race.py', [
    ['nthread', '2'],
    ['nloop', '2'],
  ]);
  const cfg = config('programs/counter_race.py', [
    ['nthread', '2'],
    ['nloop', '2'],
  ]);
  it('k steps forward then k back gives the same state and frame; any step equals a fresh replay of its schedule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('0', '1', '2', 'n', 'b'), { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        (keys, k) => {
          const c = press(new Controller(program, cfg), keys.join(' '));
          c.message = null; // the last key's message is not part of the state
          const [h, s, at] = [hash(c), screen(c), c.step];
          const forward = press(c, Array(k).fill('n').join(' ')).step - at;
          press(c, Array(forward).fill('b').join(' '));
          c.message = null;
          expect(c.step).toBe(at);
          expect(c.length).toBeGreaterThanOrEqual(at + forward);
          expect(hash(c)).toBe(h);
          expect(screen(c)).toBe(s);
          // g N from here equals stepping from 0 to N along the same execution.
          const n = Math.floor(c.length / 2);
          const viaTape = new Controller(program, {
            ...cfg,
            tape: truncateSchedule(c.session.schedule(), at),
          });
          press(c, `g ${n} enter`);
          const fresh = new Controller(program, cfg);
          const tape = new Tape(c.session.schedule());
          for (let i = 0; i < n; i++) fresh.stepThread(tape.at(i)!.tid);
          expect(c.step).toBe(n);
          expect(hash(c)).toBe(hash(fresh));
          press(c, `g ${at} enter`);
          const replay = viaTape;
          press(replay, Array(at).fill('n').join(' '));
          expect(replay.step).toBe(at);
          expect(hash(replay)).toBe(h);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('a deadlock', () => {
  it('the locks pane names holders and blocked threads and the wait-for cycle', () => {
    // Thread 1 takes lock_a, thread 2 takes lock_b, then each asks for the other's lock.
    const c = controller('programs/deadlock.py');
    for (let i = 0; i < 200 && c.session.machine.threads.length < 3; i++) press(c, '0');
    press(c, '1 1 1 2 2 2 1 1 2 2 r');
    const vm = viewModel(c);
    expect(vm.header.text).toContain('· deadlock');
    expect(texts(vm.locks.lines)).toEqual([
      '! lock_a Lock  held by 1  blocked 2',
      '! lock_b Lock  held by 2  blocked 1',
      'wait-for cycle: 1 → 2 → 1',
    ]);
    expect(texts(vm.threads.lines).join('\n')).toContain('blocked: acquire lock_b (held by 2)');
    expect(texts(vm.events.lines)[0]).toMatch(/^deadlock after \d+ steps: no thread can run$/);
  });
});

describe('e: fork into exhaustive exploration', () => {
  it('at step 0 shows what `interleave explore` prints, and a witness leads to its outcome', () => {
    const program = load('programs/counter_race.py', COUNTER);
    const c = press(new Controller(program, config('programs/counter_race.py', COUNTER)), 'e');
    const o = c.overlay;
    expect(o.kind).toBe('explore');
    if (o.kind !== 'explore') return;
    const x = exploreProgram(program, {
      strategy: 'exhaustive',
      maxExecutions: 20_000,
      timeLimitMs: 60_000,
      statefulFallback: {},
    });
    expect(o.lines).toEqual(renderExploration(program, x).trimEnd().split('\n'));
    expect(viewModel(c).message.text).toBe(
      'outcome: _  type an outcome number and Enter to follow its witness',
    );
    const sorted = [...x.table.entries].sort((a, b) => b.count - a.count);
    expect(o.witnesses.map(encodeSchedule)).toEqual(sorted.map((e) => encodeSchedule(e.witness.schedule)));
    press(c, `${sorted.length} enter`);
    expect(c.overlay.kind).toBe('none');
    for (let i = 0; i < 1000 && c.advance(); i++);
    expect(dataGlobals(c.session.machine.finalGlobals())).toEqual(sorted.at(-1)!.state.globals);
  });

  it('after some steps, every witness starts with them, and Esc closes the table', () => {
    const c = press(controller('programs/counter_race.py', COUNTER), '0000000000 1 e');
    const o = c.overlay;
    if (o.kind !== 'explore') throw new Error(`overlay ${o.kind}`);
    const taken = encodeSchedule(c.session.schedule()).split(':')[2]!;
    expect(o.lines).toContain(
      '          continuations of a prefix of 11 steps (every witness starts with it)',
    );
    for (const w of o.witnesses) {
      expect(scheduleLength(w)).toBeGreaterThan(11);
      expect(encodeSchedule(w).split(':')[2]!.startsWith(taken.replace(/,1$/, ''))).toBe(true);
    }
    // The oracle: every continuation of the prefix, enumerated step by step from its state.
    const reachable = new Set<string>();
    const session = c.session;
    const visit = (): void => {
      if (session.ended) {
        const g = dataGlobals(session.machine.finalGlobals());
        reachable.add(
          Object.entries(g)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', '),
        );
        return;
      }
      for (const tid of session.machine.enabled()) {
        const cp = session.checkpoint();
        session.step(tid);
        visit();
        session.restore(cp);
      }
    };
    visit();
    const shown = o.lines.filter((l) => /^ +\d+\. /.test(l)).map((l) => l.replace(/^ +\d+\. /, ''));
    expect(new Set(shown)).toEqual(reachable);
    expect(reachable.size).toBe(2);
    press(c, 'escape');
    expect(c.overlay.kind).toBe('none');
    expect(c.step).toBe(11);
  });
});
