/**
 * The fast-check schedule arbitrary (src/props): every value is a valid execution (it replays
 * through `run --schedule` unchanged), its preemptions are counted as an independent replay
 * counts them, and a failing check shrinks to the fewest preemptions the failure needs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadOrFail } from '../tui/step-setup.js';
import {
  assertSchedules,
  completeSchedule,
  noLostUpdate,
  schedule,
  ScheduleCheckFailure,
} from '../../src/fast-check.js';
import { runProgram } from '../../src/run/run.js';
import { scheduleLength, type Schedule } from '../../src/schedule/schedule.js';
import { Session } from '../../src/session/session.js';
import type { CompiledProgram } from '../../src/compile/ops.js';

const RACE = loadOrFail('programs/counter_race.py', [
  ['nthread', '2'],
  ['nloop', '1'],
]);
const LOCKED = loadOrFail('programs/counter_lock.py', [
  ['NTHREADS', '2'],
  ['ITERATIONS', '2'],
]);

/** Preemptions of `s` counted by replaying it step by step: a switch away from a thread that could go on. */
function preemptionsOf(program: CompiledProgram, s: Schedule): number {
  const session = new Session(program, { checkpoints: false });
  let last = -1;
  let count = 0;
  for (const item of s.items) {
    const n = item.kind === 'run' ? item.count : 1;
    for (let k = 0; k < n; k++) {
      if (last >= 0 && item.tid !== last && session.view.isEnabled(last)) count++;
      session.step(item.tid, item.kind === 'choice' ? item.option : undefined);
      last = item.tid;
    }
  }
  return count;
}

describe('schedule(program)', () => {
  it('gives valid executions whose preemptions an independent replay counts the same', () => {
    fc.assert(
      fc.property(schedule(RACE), (s) => {
        const r = runProgram(RACE, { schedule: s.schedule });
        expect(r.execution.steps).toBe(s.steps);
        expect(scheduleLength(s.schedule)).toBe(s.steps);
        expect(preemptionsOf(RACE, s.schedule)).toBe(s.preemptions);
        expect(s.preemptions).toBeLessThanOrEqual(s.points.length);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('with no points runs each thread until it blocks or ends: no preemption', () => {
    const s = completeSchedule(RACE, [], 10_000);
    expect(s.preemptions).toBe(0);
    expect(runProgram(RACE, { schedule: s.schedule }).machine.lost?.stores ?? 0).toBe(0);
  });
});

describe('assertSchedules', () => {
  it('finds the lost update of the counter and shrinks it to the one preemption it needs, for every seed', () => {
    for (let seed = 1; seed <= 20; seed++) {
      let failure: unknown = null;
      try {
        assertSchedules(RACE, noLostUpdate, { fc: { seed } });
      } catch (err) {
        failure = err;
      }
      expect(failure, `seed ${seed}`).toBeInstanceOf(ScheduleCheckFailure);
      const f = failure as ScheduleCheckFailure;
      expect(f.execution.preemptions, `seed ${seed}`).toBe(1);
      expect(f.message).toContain('1 update(s) lost, after');
      expect(f.message).toContain('shrunk to 1 preemption: v1:');
      expect(f.message).toMatch(
        /replay: npx interleave run programs\/counter_race\.py --set nthread=2 --set nloop=1 --schedule 'v1:/,
      );
      expect(f.message).toContain(`fast-check: { seed: ${seed}, path: "`);
      expect(f.message).toContain('lost update 1 of 1');
      // The shrunk schedule replays to the lost update.
      expect(runProgram(RACE, { schedule: f.execution.schedule }).machine.lost!.stores).toBe(1);
    }
  });

  it('holds for the counter with a lock: every execution checked', () => {
    expect(assertSchedules(LOCKED, undefined, { fc: { numRuns: 150, seed: 7 } })).toBe(150);
  });

  it('reports the reason a check gives', () => {
    expect(() =>
      assertSchedules(
        RACE,
        (_r, o) => (o.globals.counter === '2' ? true : `counter is ${o.globals.counter}`),
        {
          fc: { seed: 3 },
        },
      ),
    ).toThrow(/^counter is 1, after \d+ executions\nshrunk to 1 preemption/);
  });
});
