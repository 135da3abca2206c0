/**
 * Exhaustive exploration of the continuations of a fixed prefix (DporOptions.prefix, the
 * terminal UI's `e` key, `explore --prefix`). Against plain enumeration of the continuations of
 * the same prefix (the oracle, which uses no dependency relation): the same outcome set and the
 * same set of Mazurkiewicz traces, each explored once, for every prefix of the witnesses of
 * small programs and for random prefixes of generated ones. An empty prefix changes nothing;
 * every witness starts with the prefix and replays to its outcome; a prefix that does not fit
 * is refused with ScheduleMismatch at the step where it stops fitting.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explorePOR } from '../../src/explore/dpor.js';
import { enumerateAll } from '../../src/explore/enumerate.js';
import type { DrivenExecution } from '../../src/explore/execution.js';
import { exploreProgram } from '../../src/explore/explore.js';
import { endState, outcomeKey } from '../../src/explore/outcomes.js';
import { exploreStates } from '../../src/explore/stateful.js';
import type { CompiledProgram } from '../../src/compile/ops.js';
import { runProgram } from '../../src/run/run.js';
import {
  encodeSchedule,
  makeSchedule,
  scheduleLength,
  truncateSchedule,
  type Schedule,
} from '../../src/schedule/schedule.js';
import { ScheduleMismatch } from '../../src/schedule/strategies.js';
import { compile, py } from '../helpers.js';
import { smallPrimitivePrograms } from './primitive-programs.js';
import { traceOf } from './trace-of.js';

const root = join(import.meta.dirname, '..', '..');

function load(file: string, sets: [string, string][] = []): CompiledProgram {
  return compile(readFileSync(join(root, file), 'utf8'), sets, file);
}

function statusOf(r: DrivenExecution): 'completed' | 'step-bound' | 'deadlock' {
  return r.machine.finished ? 'completed' : r.truncated ? 'step-bound' : 'deadlock';
}

const keyOf = (r: DrivenExecution): string => outcomeKey(endState(r.machine, statusOf(r)));
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** DPOR's outcomes and traces over the continuations of `prefix`; the search must be complete and optimal. */
function dporWith(p: CompiledProgram, prefix: Schedule): { outcomes: Set<string>; traces: string[] } {
  const outcomes = new Set<string>();
  const traces: string[] = [];
  const r = explorePOR(p, {
    prefix,
    onExecution: (run) => {
      outcomes.add(keyOf(run));
      traces.push(traceOf(run));
    },
  });
  expect(r.complete).toBe(true);
  expect(r.sleepBlocked).toBe(0);
  expect(r.infeasible).toBe(0);
  expect(r.executions).toBe(traces.length);
  return { outcomes, traces };
}

/** Enumeration's outcomes and traces over the continuations of `prefix`, or null past `bound` executions. */
function enumerateWith(
  p: CompiledProgram,
  prefix: Schedule,
  bound: number,
): { outcomes: Set<string>; traces: Set<string> } | null {
  const outcomes = new Set<string>();
  const traces = new Set<string>();
  const e = enumerateAll(
    p,
    (run) => {
      outcomes.add(keyOf(run));
      traces.add(traceOf(run));
    },
    { prefix, maxExecutions: bound },
  );
  return e.complete ? { outcomes, traces } : null;
}

/** Small programs: the lesson's, the benchmarks', and ones with Semaphores, Events, Conditions, timeouts, daemons. */
const programs: [string, [string, string][]][] = [
  [
    'programs/counter_race.py',
    [
      ['nthread', '2'],
      ['nloop', '2'],
    ],
  ],
  ['programs/deadlock.py', []],
  [
    'programs/counter_lock.py',
    [
      ['NTHREADS', '2'],
      ['ITERATIONS', '2'],
    ],
  ],
  ['programs/faulty_handler.py', []],
  ['programs/lock_hogger.py', []],
  ['programs/release_unlocked.py', []],
  [
    'bench/programs/counter.py',
    [
      ['T', '2'],
      ['N', '2'],
    ],
  ],
  [
    'bench/programs/counter_locked.py',
    [
      ['T', '2'],
      ['N', '2'],
    ],
  ],
  ['bench/programs/lastzero.py', [['n', '2']]],
  ['test/explore/regressions/sem2.py', []],
  ['test/explore/regressions/setclear.py', []],
  ['test/explore/regressions/preset.py', []],
  ['test/explore/regressions/timed_wait_notify.py', []],
  ['test/explore/regressions/cond_timed_untimed.py', []],
  ['test/explore/regressions/notify_nobody.py', []],
  ['test/explore/regressions/timed_wait_daemon.py', []],
  ['test/explore/regressions/daemon.py', []],
  ['test/cases/wait_if.py', []],
];

/** Prefixes compared per program (the witnesses and the bound fix them). */
const PREFIXES_COMPARED: Record<string, number> = {
  'programs/counter_race.py': 33,
  'programs/deadlock.py': 22,
  'programs/counter_lock.py': 26,
  'programs/faulty_handler.py': 28,
  'programs/lock_hogger.py': 37,
  'programs/release_unlocked.py': 24,
  'bench/programs/counter.py': 51,
  'bench/programs/counter_locked.py': 19,
  'bench/programs/lastzero.py': 32,
  'test/explore/regressions/setclear.py': 25,
  'test/explore/regressions/preset.py': 28,
  'test/explore/regressions/timed_wait_notify.py': 101,
  'test/explore/regressions/cond_timed_untimed.py': 57,
  'test/explore/regressions/notify_nobody.py': 54,
  'test/explore/regressions/timed_wait_daemon.py': 55,
  'test/explore/regressions/daemon.py': 14,
  'test/cases/wait_if.py': 67,
};

/** Enumeration runs at most this many continuations per prefix; shorter prefixes are not compared. */
const ENUMERATION_BOUND = 1500;

describe('explore with an empty prefix', () => {
  it.each(programs)('gives exactly the results without one: %s', (file, sets) => {
    const p = load(file, sets);
    const empty = makeSchedule(p.fingerprint, [], p.model);
    const plain = explorePOR(p);
    const withEmpty = explorePOR(p, { prefix: empty });
    expect(withEmpty).toEqual(plain);
    const a = exploreProgram(p);
    const b = exploreProgram(p, { prefix: empty });
    const rows = (x: typeof a): string[] =>
      x.table.entries.map(
        (e) => `${e.key} ${e.count} ${encodeSchedule(e.witness.schedule)} ${e.witness.preemptions}`,
      );
    expect(rows(b)).toEqual(rows(a));
    expect(b.table.executions).toBe(a.table.executions);
    expect(b.interleavings).toEqual(a.interleavings);
    expect(b.stepsPerThread).toEqual(a.stepsPerThread);
    expect(b.prefixSteps).toBeUndefined();
  });
});

describe('explore the continuations of a prefix', () => {
  it('counts the Mazurkiewicz traces of known continuations', () => {
    // bench/programs/counter.py, T=2 N=1: main starts both threads (2 steps each: LOAD, STORE)
    // and joins them. The whole program has 4 traces.
    const p = load('bench/programs/counter.py', [
      ['T', '2'],
      ['N', '1'],
    ]);
    expect(explorePOR(p).executions).toBe(4);
    const witness = exploreProgram(p).table.entries.map((e) => e.witness.schedule);
    // At the end of any execution, the only continuation is the empty one.
    for (const w of witness) expect(explorePOR(p, { prefix: w }).executions).toBe(1);
  });

  it.each(programs.filter(([file]) => !file.endsWith('sem2.py')))(
    'finds exactly the outcomes and traces of enumeration, for every prefix of every witness: %s',
    (file, sets) => {
      const p = load(file, sets);
      const witnesses = exploreProgram(p).table.entries.map((e) => e.witness.schedule);
      let compared = 0;
      for (const w of witnesses) {
        // From the whole witness down to the shortest prefix whose continuations enumeration completes.
        for (let k = scheduleLength(w); k >= 0; k--) {
          const prefix = truncateSchedule(w, k);
          const all = enumerateWith(p, prefix, ENUMERATION_BOUND);
          if (all === null) break;
          const dpor = dporWith(p, prefix);
          expect(sorted(dpor.outcomes)).toEqual(sorted(all.outcomes));
          // Optimal and complete trace by trace: each trace of the continuations once.
          expect(dpor.traces.length).toBe(new Set(dpor.traces).size);
          expect(sorted(dpor.traces)).toEqual(sorted(all.traces));
          compared++;
        }
      }
      // Every prefix of every witness near its end at least (the last 8 steps, or all of it).
      const least = witnesses.reduce((n, w) => n + Math.min(9, scheduleLength(w) + 1), 0);
      expect(compared).toBeGreaterThanOrEqual(least);
      expect(compared).toBe(PREFIXES_COMPARED[file]);
    },
    120_000,
  );

  it('every witness starts with the prefix and replays to its outcome', () => {
    let replayed = 0;
    for (const [file, sets] of programs) {
      const p = load(file, sets);
      const witnesses = exploreProgram(p).table.entries.map((e) => e.witness.schedule);
      for (const w of witnesses) {
        const n = scheduleLength(w);
        for (const k of [0, Math.floor(n / 3), Math.floor(n / 2), Math.floor((2 * n) / 3), n]) {
          const prefix = truncateSchedule(w, k);
          const x = exploreProgram(p, { prefix });
          expect(x.complete).toBe(true);
          for (const e of x.table.entries) {
            const s = e.witness.schedule;
            expect(encodeSchedule(truncateSchedule(s, k))).toBe(encodeSchedule(prefix));
            const r = runProgram(p, { schedule: s, maxSteps: e.witness.maxSteps });
            const status = r.execution.status as 'completed' | 'deadlock' | 'step-bound';
            expect(outcomeKey(endState(r.machine, status))).toBe(e.key);
            replayed++;
          }
        }
      }
    }
    expect(replayed).toBeGreaterThan(200);
  }, 120_000);

  it('on generated programs with every primitive, finds the outcomes and traces of enumeration for random prefixes', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        smallPrimitivePrograms,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (source, seed, cut) => {
          const p = compile(source);
          const run = runProgram(p, { scheduler: 'uniform', seed, maxSteps: 10_000, analyses: false });
          const s = run.execution.schedule;
          const prefix = truncateSchedule(s, Math.floor(cut * scheduleLength(s)));
          const all = enumerateWith(p, prefix, 5_000);
          fc.pre(all !== null);
          const dpor = dporWith(p, prefix);
          expect(sorted(dpor.outcomes)).toEqual(sorted(all!.outcomes));
          expect(dpor.traces.length).toBe(new Set(dpor.traces).size);
          expect(sorted(dpor.traces)).toEqual(sorted(all!.traces));
          // The stateful search from the same prefix agrees too.
          const st = exploreStates(p, { prefix, maxStates: 200_000 });
          expect(st.complete).toBe(true);
          expect(sorted(st.table.entries.map((e) => e.key))).toEqual(sorted(all!.outcomes));
          compared++;
        },
      ),
      { seed: 20260301, numRuns: 40, maxSkipsPerRun: 1 },
    );
    expect(compared).toBe(40);
  }, 300_000);
});

describe('a prefix that does not fit', () => {
  const p = load('programs/counter_race.py', [
    ['nthread', '2'],
    ['nloop', '2'],
  ]);
  const at = (items: Schedule['items']): Schedule => makeSchedule(p.fingerprint, items, p.model);

  /** The ScheduleMismatch `f` throws (fails the test if it throws anything else or nothing). */
  function mismatch(f: () => unknown): ScheduleMismatch {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(ScheduleMismatch);
      return err as ScheduleMismatch;
    }
    throw new Error('expected a ScheduleMismatch');
  }

  it('is refused at step 0 when it was recorded for another program', () => {
    const other = makeSchedule('00000000', [{ kind: 'run', tid: 0, count: 1 }], p.model);
    for (const f of [
      () => explorePOR(p, { prefix: other }),
      () => enumerateAll(p, () => {}, { prefix: other }),
      () => exploreStates(p, { prefix: other }),
      () => exploreProgram(p, { prefix: other }),
    ]) {
      const m = mismatch(f);
      expect(m.step).toBe(0);
      expect(m.reason).toBe(
        `the prefix does not fit: the schedule was recorded for another program or other --set values (fingerprint 00000000, this program ${p.fingerprint})`,
      );
    }
  });

  it('is refused at the step where a thread cannot take it', () => {
    const none = mismatch(() => explorePOR(p, { prefix: at([{ kind: 'run', tid: 5, count: 1 }]) }));
    expect([none.step, none.reason]).toEqual([
      0,
      'the prefix does not fit: thread 5 does not exist (threads started so far: 0..0)',
    ]);
    // Thread 2 has 5 steps: the 6th is refused.
    const ended = mismatch(() =>
      explorePOR(p, {
        prefix: at([
          { kind: 'run', tid: 0, count: 15 },
          { kind: 'run', tid: 2, count: 6 },
        ]),
      }),
    );
    expect([ended.step, ended.reason]).toEqual([
      20,
      'the prefix does not fit: thread 2 is not enabled (it is finished)',
    ]);
    const timeout = mismatch(() => explorePOR(p, { prefix: at([{ kind: 'timeout', tid: 0 }]) }));
    expect([timeout.step, timeout.reason]).toEqual([
      0,
      'the prefix does not fit: thread 0 cannot time out here (it is enabled)',
    ]);
    const choice = mismatch(() => explorePOR(p, { prefix: at([{ kind: 'choice', tid: 0, option: 1 }]) }));
    expect([choice.step, choice.reason]).toEqual([
      0,
      'the prefix does not fit: it has a random choice here but the program made none',
    ]);
  });

  it('is refused when it goes past the end of the program or the step bound', () => {
    const w = exploreProgram(p).table.entries[0]!.witness.schedule;
    const n = scheduleLength(w);
    const longer = { ...w, items: [...w.items, { kind: 'run' as const, tid: 0, count: 1 }] };
    const past = mismatch(() => explorePOR(p, { prefix: longer }));
    expect([past.step, past.reason]).toEqual([
      n,
      `the prefix does not fit: the program ended after ${n} steps, before the prefix did`,
    ]);
    const bound = mismatch(() => explorePOR(p, { prefix: w, maxSteps: 10 }));
    expect(bound.reason).toBe(`the prefix has ${n} steps, more than the step bound of 10 steps`);
  });

  it('is refused on a random choice that does not fit', () => {
    const q = compile(py`
      import random
      import threading
      x = 0
      def t():
          global x
          x = random.randint(0, 2)
      h = threading.Thread(target=t)
      h.start()
      h.join()
    `);
    const run = runProgram(q, { scheduler: 'round-robin', slice: 1 });
    const items = run.execution.schedule.items;
    const i = items.findIndex((it) => it.kind === 'choice');
    expect(i).toBeGreaterThan(0);
    const upTo = truncateSchedule(
      run.execution.schedule,
      scheduleLength({ ...run.execution.schedule, items: items.slice(0, i) }),
    );
    const plainStep = {
      ...upTo,
      items: [...upTo.items, { kind: 'run' as const, tid: items[i]!.tid, count: 1 }],
    };
    const m = mismatch(() => explorePOR(q, { prefix: plainStep }));
    expect(m.reason).toBe(
      'the prefix does not fit: the program makes a random choice here but the prefix has none (write T=i)',
    );
    const outOfRange = {
      ...upTo,
      items: [...upTo.items, { kind: 'choice' as const, tid: items[i]!.tid, option: 3 }],
    };
    expect(mismatch(() => explorePOR(q, { prefix: outOfRange })).reason).toBe(
      'the prefix does not fit: choice 3 is out of range: this random call has options 0..2',
    );
    // With the choice fixed, the continuations keep it: x is what the prefix chose.
    const fixed = {
      ...upTo,
      items: [...upTo.items, { kind: 'choice' as const, tid: items[i]!.tid, option: 2 }],
    };
    const x = exploreProgram(q, { prefix: fixed });
    expect(x.table.entries.map((e) => e.state.globals['x'])).toEqual(['2']);
    expect(
      exploreProgram(q)
        .table.entries.map((e) => e.state.globals['x'])
        .sort(),
    ).toEqual(['0', '1', '2']);
  });

  it('is a usage error for `explore --prefix` (exit 2, no stack trace), and a prefix narrows the outcomes', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(root, 'bin', 'interleave.js'), ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    const file = 'programs/counter_race.py';
    const sets = ['--set', 'nthread=2', '--set', 'nloop=2'];
    const bad = cli('explore', file, ...sets, '--prefix', `v1:${p.fingerprint}:0*15,2*6`);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'interleave: schedule does not fit at step 20: the prefix does not fit: thread 2 is not enabled (it is finished)\n',
    );
    const random = cli('explore', file, ...sets, '--strategy', 'random', '--prefix', `v1:${p.fingerprint}:0`);
    expect(random.status).toBe(2);
    expect(random.stderr).toBe('interleave: --prefix applies to the exhaustive strategy only\n');
    const ok = cli('explore', file, ...sets, '--json', '--prefix', `v1:${p.fingerprint}:0*15,1*3,2*5`);
    const json = JSON.parse(ok.stdout) as {
      executions: number;
      prefixSteps: number;
      outcomes: { globals: { counter: number }; globalsRepr: { counter: string }; schedule: string }[];
    };
    expect(json.executions).toBe(1);
    expect(json.prefixSteps).toBe(23);
    expect(json.outcomes.map((o) => [o.globals.counter, o.globalsRepr.counter, o.schedule])).toEqual([
      [2, '2', `v1:${p.fingerprint}:0*15,1*3,2*5,1*2`],
    ]);
  });
});
