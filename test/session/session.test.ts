/**
 * Sessions (src/session/session.ts): stepping by hand, and going back and forth with
 * checkpoints. A snapshot carries everything a run's report depends on: restoring one anywhere
 * in a run, or seeking back and forth in a session, gives the same report as the straight run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/run/run.js';
import type { CompiledProgram } from '../../src/compile/ops.js';
import { outcomeOf } from '../../src/report/outcome.js';
import { execute, type ExecutionResult } from '../../src/session/execute.js';
import { TimeSliceStrategy, UniformStrategy, type Strategy } from '../../src/schedule/strategies.js';
import { Session } from '../../src/session/session.js';
import { compile, py } from '../helpers.js';

const lockProgram = () =>
  compile(py`
    import threading
    lock = threading.Lock()
    counter = 0
    def work():
        global counter
        with lock:
            counter += 1
    t = threading.Thread(target=work)
    t.start()
    with lock:
        counter += 10
    t.join()
    `);

/** 4 threads × `n` unlocked increments, with a print: lost updates, races and output. */
const counterProgram = (n: number) =>
  compile(
    py`
    import threading
    counter = 0
    def work():
        global counter
        for _ in range(N):
            counter += 1
    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("counter", counter)
    `.replace('N', String(n)),
  );

/** A straight run under a uniform scheduler, optionally snapshotted and restored in place at `at`. */
function straight(
  program: CompiledProgram,
  seed: number,
  at = -1,
): { report: string; output: string; result: RunResult } {
  let output = '';
  const session = new Session(program, { checkpoints: false, output: (_s, t) => void (output += t) });
  const machine = session.machine;
  const inner = new UniformStrategy(seed);
  let done = false;
  const strategy: Strategy = {
    name: inner.name,
    choose: (n) => inner.choose(n),
    pick: (view) => {
      if (!done && at >= 0 && view.step >= at) {
        session.restore(session.checkpoint());
        done = true;
      }
      return inner.pick(view);
    },
  };
  const execution = execute(session, strategy, { maxSteps: 200_000 });
  const result: RunResult = {
    program,
    machine,
    execution,
    config: { kind: 'uniform', seed, slice: 1 },
    invariants: [],
    violation: null,
  };
  return { report: JSON.stringify(outcomeOf(result)), output, result };
}

/** The report of a session's execution, as `straight` gives it for the same steps. */
function sessionReport(s: Session, like: ExecutionResult): string {
  const execution = { ...like, steps: s.steps, schedule: s.schedule() };
  return JSON.stringify(
    outcomeOf({
      program: s.program,
      machine: s.machine,
      execution,
      config: { kind: 'replay', schedule: s.schedule() },
      invariants: [],
      violation: null,
    }),
  );
}

describe('stepping by hand', () => {
  it('reports each step: its footprint, the thread, whether it timed out', () => {
    const s = new Session(lockProgram());
    expect(s.step(0)).toEqual({
      step: 0,
      tid: 0,
      timeout: false,
      choice: null,
      choices: 0,
      footprint: [{ obj: 'g1', key: null, write: true }], // STORE lock (global 1; 0 is threading)
      lostUpdates: 0,
      races: 0,
      observed: false,
    });
    for (let i = 0; i < 4; i++) s.step(0); // STORE counter, STORE t, LOAD t, START
    expect(s.step(0)!.footprint).toEqual([{ obj: 'g1', key: null, write: false }]); // LOAD lock
    const acquire = s.step(0)!.footprint;
    expect(acquire).toHaveLength(1);
    expect(acquire[0]).toMatchObject({ write: true });
    expect(acquire[0]!.obj).toMatch(/^o\d+$/);
  });

  it('says which threads can run and why the others cannot', () => {
    const s = new Session(lockProgram());
    for (let i = 0; i < 7; i++) s.step(0); // main holds the lock
    s.step(1); // the worker reads `lock`...
    expect(s.threads().map((v) => [v.name, v.status])).toEqual([
      ['MainThread', 'enabled'],
      ['Thread-1 (work)', 'blocked'],
    ]);
    expect(s.threads()[1]!.blocked).toEqual({ tid: 1, line: 6, kind: 'lock', object: 'lock', holder: 0 });
    expect(s.step(1)).toBeNull();
    expect(s.steps).toBe(8);
  });

  it('names the step that lost an update and the step that first raced', () => {
    const s = new Session(counterProgram(2));
    // Round robin, one step each: increments interleave and lose updates at once.
    const events = s.run((x) => {
      const on = x.machine.enabled();
      return on[x.steps % on.length]!;
    }, 'lost-update');
    const last = events.at(-1)!;
    expect(last.lostUpdates).toBeGreaterThan(0);
    expect(events.slice(0, -1).every((e) => e.lostUpdates === 0)).toBe(true);
    expect(events.some((e) => e.races > 0)).toBe(true);
  });

  it('goes back to any earlier step with the same state, and forward again along the same execution', () => {
    const s = new Session(lockProgram(), { checkpointEvery: 4 });
    const seen: string[] = [];
    const order = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const counter = () => JSON.stringify([...s.machine.finalGlobals()].filter(([k]) => k === 'counter'));
    for (const tid of order) {
      expect(s.step(tid)).not.toBeNull();
      seen.push(counter());
    }
    for (const k of [7, 1, 19, 12, 3, 18, 0, 19]) {
      s.seek(k);
      expect(s.steps).toBe(k);
      if (k > 0) expect(counter()).toBe(seen[k - 1]);
    }
    expect(() => s.seek(20)).toThrow(RangeError);
  });

  it('forgets the steps after a seek back once another step is taken there', () => {
    const s = new Session(lockProgram());
    for (let i = 0; i < 10; i++) s.step(0);
    s.seek(5);
    expect(s.length).toBe(10);
    s.step(1);
    expect(s.length).toBe(6);
    expect(s.schedule().items).toEqual([
      { kind: 'run', tid: 0, count: 5 },
      { kind: 'run', tid: 1, count: 1 },
    ]);
  });
});

describe('snapshots carry the whole report', () => {
  it('a snapshot restored in the middle of 4 threads × 2,000 increments reports what the straight run does', () => {
    const p = counterProgram(2000);
    const a = straight(p, 3);
    const b = straight(p, 3, Math.floor(a.result.execution.steps / 2));
    expect(a.result.machine.lost!.lost).toBeGreaterThan(1000);
    expect(b.report).toBe(a.report);
    expect(b.output).toBe(a.output);
  });

  const files = [
    ...readdirSync('programs').map((f) => `programs/${f}`),
    ...readdirSync('test/cases').map((f) => `test/cases/${f}`),
  ].filter((f) => f.endsWith('.py') && !f.includes('seed_counter') && !f.includes('counter_race'));
  const programs = files.map((f) => compile(readFileSync(f, 'utf8'), [], f));

  it('restored in place anywhere in a run, of any program, under any seed: the same report', () => {
    fc.assert(
      fc.property(
        fc.nat(programs.length - 1),
        fc.nat(1000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, seed, where) => {
          const p = programs[i]!;
          const a = straight(p, seed);
          const b = straight(p, seed, Math.floor(a.result.execution.steps * where));
          expect(b.report).toBe(a.report);
          expect(b.output).toBe(a.output);
        },
      ),
      { seed: 20261204, numRuns: 60 },
    );
  });

  it('a session that seeks back to any step and forward to the end gives the same report and output', () => {
    fc.assert(
      fc.property(
        fc.nat(programs.length - 1),
        fc.nat(1000),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 50 }),
        (i, seed, positions, every) => {
          const p = programs[i]!;
          const a = straight(p, seed);
          const s = new Session(p, { checkpointEvery: every, maxCheckpoints: 8 });
          s.follow(a.result.execution.schedule);
          const end = s.length;
          expect(end).toBe(a.result.execution.steps);
          for (const w of positions) s.seek(Math.floor(end * w));
          s.seek(end);
          expect(sessionReport(s, a.result.execution)).toBe(a.report);
          expect(s.printed.map((x) => x.text).join('')).toBe(a.output);
        },
      ),
      { seed: 20261204, numRuns: 60 },
    );
  });
});

describe('seek at mid size', () => {
  it('reaches the canonical state of a straight run to the same step, at any step, back and forth', () => {
    // programs/counter_race.py with 4 threads × 2,000 loops under the time-slice scheduler (slice 100).
    const p = compile(readFileSync('programs/counter_race.py', 'utf8'), [
      ['nthread', '4'],
      ['nloop', '2000'],
    ]);
    const s = new Session(p, { checkpointEvery: 64, maxCheckpoints: 16 });
    const run = execute(s, new TimeSliceStrategy(1, 100), { maxSteps: 1_000_000 });
    expect(run.status).toBe('completed');
    const end = s.steps;
    expect(end).toBe(16_025);
    /** The canonical state hash (vm/state.ts) of a fresh session run the same way, stopped at `step`. */
    const straightHash = (step: number): [number, number] => {
      const q = new Session(p, { checkpoints: false });
      execute(q, new TimeSliceStrategy(1, 100), { maxSteps: 1_000_000, stopAtStep: step });
      expect(q.steps).toBe(step);
      return q.machine.stateHash();
    };
    fc.assert(
      fc.property(fc.array(fc.nat(end), { minLength: 1, maxLength: 5 }), (steps) => {
        for (const k of steps) {
          s.seek(k);
          expect(s.steps).toBe(k);
          expect(s.machine.stateHash()).toEqual(straightHash(k));
          if (k > 0) {
            s.seek(k - 1);
            expect(s.machine.stateHash()).toEqual(straightHash(k - 1));
          }
        }
      }),
      { seed: 20260302, numRuns: 25 },
    );
    // Back at the end, the session still reports the run it made.
    s.seek(end);
    expect(s.machine.finished).toBe(true);
    expect(s.machine.stateHash()).toEqual(straightHash(end));
  });
});
