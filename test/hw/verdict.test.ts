import { describe, expect, it } from 'vitest';
import { loadProgram, runProgram } from '../../src/run/run.js';
import type { CompiledProgram } from '../../src/compile/ops.js';
import { endState, type EndState } from '../../src/explore/outcomes.js';
import type { HwTrial } from '../../src/hw/types.js';
import { holdAgainst, hwFailed, predictOutcomes } from '../../src/hw/verdict.js';

function counterProgram(): CompiledProgram {
  const { program } = loadProgram('programs/counter_race.py', [
    ['nthread', '2'],
    ['nloop', '2'],
  ]);
  if (program === null) throw new Error('programs/counter_race.py does not compile');
  return program;
}

/** The end state of one simulated run (the default time-slice scheduler runs the threads one after the other). */
function simulatedEnd(program: CompiledProgram): EndState {
  const r = runProgram(program, { analyses: false });
  expect(r.execution.status).toBe('completed');
  return endState(r.machine, 'completed');
}

function withCounter(end: EndState, counter: number): EndState {
  return { ...end, globals: { ...end.globals, counter: String(counter) } };
}

function trial(index: number, end: EndState | null, status: HwTrial['status'] = 'completed'): HwTrial {
  return { index, status, end, blocked: [], crash: null, ms: 10, threads: 3 };
}

describe('holdAgainst', () => {
  const program = counterProgram();
  const x = predictOutcomes(program);
  const four = simulatedEnd(program);

  it('predicts counter in {2, 3, 4} for 2 threads x 2 loops, completely', () => {
    expect(x.complete).toBe(true);
    expect(x.table.entries.map((e) => e.state.globals.counter).sort()).toEqual(['2', '3', '4']);
    expect(four.globals).toEqual({ counter: '4', nthread: '2', nloop: '2', _: '1' });
  });

  it('labels possible, not predicted and unknown outcomes, and lists the predicted ones not seen', () => {
    const trials = [
      trial(1, four),
      trial(2, withCounter(four, 7)),
      trial(3, four),
      trial(4, null, 'timeout'),
      trial(5, null, 'crashed'),
    ];
    const v = holdAgainst(trials, x, program);
    expect(v.outcomes.map((o) => [o.globals.counter ?? null, o.status, o.label, o.count, o.trials])).toEqual([
      ['4', 'completed', 'possible', 2, [1, 3]],
      ['7', 'completed', 'not predicted', 1, [2]],
      [null, 'timeout', 'unknown', 1, [4]],
      [null, 'crashed', 'unknown', 1, [5]],
    ]);
    const possible = v.outcomes[0]!;
    expect(possible.schedule).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(possible.replay).toBe(
      `npx interleave run programs/counter_race.py --set nthread=2 --set nloop=2 --schedule '${possible.schedule}'`,
    );
    expect(possible.preemptions).toBe(0);
    expect(v.outcomes[1]!.schedule).toBeUndefined();
    expect(v.unseen!.map((u) => u.globals.counter).sort()).toEqual(['2', '3']);
    for (const u of v.unseen!) expect(u.replay).toContain(`--schedule '${u.schedule}'`);
    expect(v.simulator).toEqual({ executions: 170, complete: true, outcomes: 3, stoppedBy: [] });
    expect(hwFailed(trials, v)).toBe(true);
  });

  it('does not fail when every trial completed with a possible outcome', () => {
    const trials = [trial(1, four), trial(2, four)];
    const v = holdAgainst(trials, x, program);
    expect(v.outcomes.map((o) => o.label)).toEqual(['possible']);
    expect(hwFailed(trials, v)).toBe(false);
    expect(hwFailed([...trials, trial(3, null, 'timeout')], v)).toBe(true);
  });

  it('says not found, with the bound, when the search was stopped', () => {
    const partial = predictOutcomes(program, { maxExecutions: 1 });
    expect(partial.complete).toBe(false);
    const v = holdAgainst([trial(1, withCounter(four, 7))], partial, program);
    expect(v.outcomes[0]!.label).toBe('not found');
    expect(v.outcomes[0]!.bound).toBe('the simulator stopped at its limit of 1 execution');
    expect(v.unseen).toBeNull();
    expect(hwFailed([trial(1, withCounter(four, 7))], v)).toBe(false);
  });

  it('counts an uncaught exception as a failure', () => {
    const raised: EndState = {
      ...four,
      exceptions: [
        { thread: 'Thread-1 (increment)', classes: ['ValueError', 'Exception'], text: 'ValueError: x' },
      ],
    };
    const v = holdAgainst([trial(1, raised)], x, program);
    expect(v.outcomes[0]!.label).toBe('not predicted');
    expect(hwFailed([trial(1, raised)], v)).toBe(true);
  });
});
