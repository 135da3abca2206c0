import { describe, expect, it } from 'vitest';
import { encodeSchedule, decodeSchedule, type Schedule } from '../../src/schedule/schedule.js';
import { ScheduleMismatch } from '../../src/schedule/strategies.js';
import { compile, py, run } from '../helpers.js';

const source = py`
  import random
  from threading import Thread, Lock
  lock = Lock()
  counter = 0
  picks = []
  def work(n):
      global counter
      for _ in range(n):
          with lock:
              counter += 1
          picks.append(random.randint(1, 6))
  ts = [Thread(target=work, args=(3,)) for _ in range(3)]
  for t in ts:
      t.start()
  for t in ts:
      t.join()
  print(counter, picks)
  `;

function decode(text: string): Schedule {
  const d = decodeSchedule(text);
  if ('error' in d) throw new Error(d.error);
  return d.schedule;
}

describe('replaying a schedule', () => {
  it('gives the same execution, byte for byte, for every seed and scheduler', () => {
    const program = compile(source);
    for (const scheduler of ['uniform', 'time-slice', 'round-robin'] as const) {
      for (let seed = 0; seed < 15; seed++) {
        const first = run(program, { scheduler, seed, slice: 3 });
        const text = encodeSchedule(first.execution.schedule);
        const again = run(program, { schedule: decode(text) });
        expect(again.out).toBe(first.out);
        expect(encodeSchedule(again.execution.schedule)).toBe(text);
        expect(again.machine.steps).toBe(first.machine.steps);
        expect(again.machine.microOps).toBe(first.machine.microOps);
      }
    }
  });

  it('gives the same execution for the same seed, and random choices come from the schedule', () => {
    const program = compile(source);
    const a = run(program, { scheduler: 'uniform', seed: 9 });
    const b = run(program, { scheduler: 'uniform', seed: 9 });
    expect(a.out).toBe(b.out);
    expect(encodeSchedule(a.execution.schedule)).toMatch(/\d=\d/);
  });

  it('refuses a schedule recorded for another program', () => {
    const program = compile(source);
    expect(() => run(program, { schedule: decode('v1:00000000:0') })).toThrow(/recorded for another program/);
  });

  it('refuses a step that names a thread that is not enabled, with the step and the reason', () => {
    const program = compile(py`
      from threading import Thread, Lock
      lock = Lock()
      def work():
          with lock:
              pass
      lock.acquire()
      t = Thread(target=work)
      t.start()
      lock.release()
      `);
    const fp = program.fingerprint;
    // Steps 0..5: STORE lock, LOAD lock, ACQUIRE, STORE t, LOAD t, START; thread 1 then reads
    // `lock` (step 6) and blocks on it.
    const mismatch = (body: string): ScheduleMismatch => {
      try {
        run(program, { schedule: decode(`v1:${fp}:${body}`) });
      } catch (e) {
        if (e instanceof ScheduleMismatch) return e;
        throw e;
      }
      throw new Error('no mismatch');
    };
    expect(mismatch('0*6,1,1').message).toBe(
      'schedule does not fit at step 7: thread 1 is not enabled (it is blocked)',
    );
    expect(mismatch('0*6,1,1').step).toBe(7);
    expect(mismatch('0*6,1*2').message).toBe(
      'schedule does not fit at step 7: thread 1 is blocked after 1 of the 2 steps the schedule gives it',
    );
    expect(() => run(program, { schedule: decode(`v1:${fp}:0*6,7`) })).toThrow('thread 7 does not exist');
    expect(() => run(program, { schedule: decode(`v1:${fp}:0*3`) })).toThrow(
      'the schedule ends here but the program has not',
    );
  });
});
