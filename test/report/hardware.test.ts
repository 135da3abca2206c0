import { describe, expect, it } from 'vitest';
import { loadProgram, runProgram } from '../../src/run/run.js';
import type { CompiledProgram } from '../../src/compile/ops.js';
import { endState, type EndState } from '../../src/explore/outcomes.js';
import type { HwTrial } from '../../src/hw/types.js';
import { holdAgainst, predictOutcomes } from '../../src/hw/verdict.js';
import { hardwareJson, renderHardware, type HwSettings } from '../../src/report/hardware.js';

function load(file: string, sets: [string, string][] = []): CompiledProgram {
  const { program } = loadProgram(file, sets);
  if (program === null) throw new Error(`${file} does not compile`);
  return program;
}

function trial(index: number, end: EndState | null, extra: Partial<HwTrial> = {}): HwTrial {
  return { index, status: 'completed', end, blocked: [], crash: null, ms: 412.4, threads: 3, ...extra };
}

describe('renderHardware', () => {
  const program = load('programs/counter_race.py', [
    ['nthread', '2'],
    ['nloop', '2'],
  ]);
  const x = predictOutcomes(program);
  const four = endState(runProgram(program, { analyses: false }).machine, 'completed');
  const big = { ...four, globals: { ...four.globals, counter: '3712004' } };
  const trials = [
    trial(1, four),
    trial(2, big),
    trial(3, four),
    trial(4, null, {
      status: 'timeout',
      ms: 10_003,
      blocked: [{ thread: 'Thread-1 (increment)', waitsFor: 'running', line: 14, heldBy: null }],
    }),
    trial(5, null, { status: 'crashed', crash: 'RangeError: out of memory' }),
  ];
  const settings: HwSettings = { trials: 5, memory: 'sc', timeoutSeconds: 10 };
  const verdict = holdAgainst(trials, x, program);
  const text = renderHardware(program, settings, trials, verdict);

  it('prints one line per trial, with blocked threads and crashes under it', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '── interleave hw: programs/counter_race.py (5 trials, memory sc, timeout 10 s) ──',
    );
    expect(lines.slice(1, 8)).toEqual([
      'trial 1: counter = 4, nthread = 2, nloop = 2, _ = 1  412 ms',
      'trial 2: counter = 3712004, nthread = 2, nloop = 2, _ = 1  412 ms',
      'trial 3: counter = 4, nthread = 2, nloop = 2, _ = 1  412 ms',
      'trial 4: TIMED OUT after 10 s  (no end state)  10,003 ms',
      '           Thread-1 (increment) was still running at line 14',
      'trial 5: CRASHED  (no end state)  412 ms',
      '           worker crashed: RangeError: out of memory',
    ]);
  });

  it('labels each distinct outcome, loudly when not predicted, and lists the unseen ones', () => {
    const possible = verdict.outcomes[0]!;
    expect(text).toContain(
      `   1. counter = 4, nthread = 2, nloop = 2, _ = 1\n        2 trials (1, 3): possible; the simulator reaches it too (30 executions), witness with 0 preemptions:\n        ${possible.replay}\n`,
    );
    expect(text).toMatch(
      /^!! 2\. counter = 3712004, nthread = 2, nloop = 2, _ = 1\n {8}1 trial \(2\): NOT PREDICTED by the simulator: its search was complete and no interleaving ends this way$/m,
    );
    expect(text).toMatch(/^ {3}3\. TIMED OUT \(no end state\)\n {8}1 trial \(4\): unknown: /m);
    expect(text).toMatch(/^ {3}4\. CRASHED \(no end state\)\n {8}1 trial \(5\): unknown: a worker crashed/m);
    expect(text).toMatch(
      /^simulator: 170 executions, complete: 3 distinct outcomes under sequential consistency$/m,
    );
    expect(text).toMatch(/^predicted by the simulator, not seen on hardware \(2 of 3\):$/m);
    expect(text).toMatch(
      /^ {6}counter = 2, nthread = 2, nloop = 2, _ = 1\n {8}npx interleave run .* --schedule 'v1:/m,
    );
    expect(text).toMatch(/^ {6}counter = 3, nthread = 2, nloop = 2, _ = 1\n/m);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '5 trials on 3 threads, memory sc: 3 completed, 1 timed out, 1 crashed; 4 distinct outcomes: 1 possible, 1 NOT PREDICTED, 2 unknown',
    );
  });

  it('says which bound stopped an incomplete search, and how to search further', () => {
    const partial = predictOutcomes(program, { maxExecutions: 1 });
    const t = [trial(1, big)];
    const out = renderHardware(program, { ...settings, trials: 1 }, t, holdAgainst(t, partial, program));
    expect(out).toContain(
      "1 trial (1): not found by the simulator's incomplete search (the simulator stopped at its limit of 1 execution)",
    );
    expect(out).toContain(
      'to search further: npx interleave explore programs/counter_race.py --set nthread=2 --set nloop=2 --time-limit 600',
    );
    expect(out).toContain(
      "predicted outcomes not seen on hardware: not listed (the simulator's search was not complete)",
    );
  });

  it('names what each thread of a deadlocked trial waits for', () => {
    const deadlock = load('programs/deadlock.py');
    const dx = predictOutcomes(deadlock);
    const witness = dx.table.entries.find((e) => e.state.status === 'deadlock')!.witness.schedule;
    const end = endState(runProgram(deadlock, { schedule: witness }).machine, 'deadlock');
    const t = [
      trial(1, end, {
        status: 'deadlock',
        blocked: [
          { thread: 'Thread-1 (a_then_b)', waitsFor: 'lock lock_b', line: 16, heldBy: 'Thread-2 (b_then_a)' },
          { thread: 'Thread-2 (b_then_a)', waitsFor: 'lock lock_a', line: 22, heldBy: 'Thread-1 (a_then_b)' },
          { thread: 'MainThread', waitsFor: 'join Thread-1 (a_then_b)', line: 30, heldBy: null },
        ],
      }),
    ];
    const v = holdAgainst(t, dx, deadlock);
    const out = renderHardware(deadlock, { trials: 1, memory: 'plain', timeoutSeconds: 10 }, t, v);
    expect(out).toContain(
      [
        'trial 1: DEADLOCK  transfers = 0  412 ms',
        '           Thread-1 (a_then_b) waits for lock lock_b at line 16, held by Thread-2 (b_then_a)',
        '           Thread-2 (b_then_a) waits for lock lock_a at line 22, held by Thread-1 (a_then_b)',
        '           MainThread waits for join Thread-1 (a_then_b) at line 30',
      ].join('\n'),
    );
    expect(v.outcomes[0]!.label).toBe('possible');
    expect(out).toMatch(/^ {3}1\. DEADLOCK {2}transfers = 0$/m);
    expect(out).toMatch(
      /1 trial on 3 threads, memory plain: 1 deadlocked; 1 distinct outcome: 1 possible\n$/,
    );
  });
});

describe('hardwareJson', () => {
  it('gives the trials, the labelled outcomes, the unseen ones and the simulator coverage', () => {
    const program = load('programs/counter_race.py', [
      ['nthread', '2'],
      ['nloop', '2'],
    ]);
    const x = predictOutcomes(program);
    const four = endState(runProgram(program, { analyses: false }).machine, 'completed');
    const trials = [trial(1, four), trial(2, null, { status: 'timeout' })];
    const verdict = holdAgainst(trials, x, program);
    const json = JSON.parse(
      JSON.stringify(hardwareJson(program, { trials: 2, memory: 'sc', timeoutSeconds: 10 }, trials, verdict)),
    ) as {
      memory: string;
      trials: {
        index: number;
        status: string;
        globals: Record<string, unknown> | null;
        globalsRepr: Record<string, string> | null;
        ms: number;
      }[];
      outcomes: {
        status: string;
        globals: Record<string, unknown> | null;
        globalsRepr: Record<string, string> | null;
        count: number;
        trials: number[];
        label: string;
        schedule?: string;
        replay?: string;
      }[];
      unseen: { globals: Record<string, unknown>; globalsRepr: Record<string, string>; replay: string }[];
      simulator: { executions: number; complete: boolean };
    };
    expect(json.memory).toBe('sc');
    expect(json.trials.map((t) => [t.index, t.status, t.globals, t.globalsRepr])).toEqual([
      [
        1,
        'completed',
        { counter: 4, nthread: 2, nloop: 2, _: 1 },
        { counter: '4', nthread: '2', nloop: '2', _: '1' },
      ],
      [2, 'timeout', null, null],
    ]);
    expect(
      json.outcomes.map((o) => [o.status, o.count, o.trials, o.label, o.schedule !== undefined]),
    ).toEqual([
      ['completed', 1, [1], 'possible', true],
      ['timeout', 1, [2], 'unknown', false],
    ]);
    expect(json.outcomes.map((o) => [o.globals?.counter ?? null, o.globalsRepr?.counter ?? null])).toEqual([
      [4, '4'],
      [null, null],
    ]);
    expect(json.outcomes[0]!.replay).toContain(`--schedule '${json.outcomes[0]!.schedule}'`);
    expect(json.unseen.map((u) => [u.globals.counter, u.globalsRepr.counter]).sort()).toEqual([
      [2, '2'],
      [3, '3'],
    ]);
    expect(json.simulator).toMatchObject({ executions: 170, complete: true });
  });
});
