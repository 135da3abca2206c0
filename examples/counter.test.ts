/**
 * The lesson's counter, property-tested over schedules with fast-check: without a lock an
 * update is lost, and the failing schedule shrinks to the one preemption that loses it; with
 * `with lock:` no schedule loses one. Copy this file into a project that installed
 * `interleave-sim` and `fast-check` (and `@fast-check/vitest`).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compileSource, runProgram } from 'interleave-sim';
import {
  assertSchedules,
  noLostUpdate,
  schedule,
  ScheduleCheckFailure,
  verify,
  type FinalState,
} from 'interleave-sim/fast-check';

const counter = (locked: boolean) => `import threading
counter = 0
lock = threading.Lock()
def increment():
    global counter
    for _ in range(2):
${locked ? '        with lock:\n            counter += 1' : '        counter += 1'}
threads = [threading.Thread(target=increment) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
`;

function compile(source: string) {
  const { program, diagnostics } = compileSource(source, 'counter.py', []);
  if (program === null) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return program;
}

const unlocked = compile(counter(false));
const locked = compile(counter(true));

describe('the counter without a lock', () => {
  test('loses an update, and the witness needs one preemption', () => {
    let failure: unknown;
    try {
      assertSchedules(unlocked, noLostUpdate, { fc: { seed: 1 } });
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(ScheduleCheckFailure);
    const f = failure as ScheduleCheckFailure;
    expect(f.execution.preemptions).toBe(1);
    expect(f.message).toContain('lost update 1 of 1');
    expect(f.message).toContain('replay: npx interleave run counter.py --schedule');
  });
});

describe('the counter with a lock', () => {
  // @fast-check/vitest's test.prop: each generated schedule is one run of the property.
  test.prop([schedule(locked)], { numRuns: 200 })('loses no update in any schedule', (s) => {
    const r = runProgram(locked, { schedule: s.schedule });
    expect(r.machine.lost?.stores ?? 0).toBe(0);
    expect(r.execution.status).toBe('completed');
  });

  test('every schedule drawn is a valid execution of the program', () => {
    fc.assert(
      fc.property(
        schedule(locked),
        (s) => runProgram(locked, { schedule: s.schedule }).execution.steps === s.steps,
      ),
    );
  });
});

describe('verify: proven with a lock, a minimal witness without', () => {
  const counted = {
    end: (f: FinalState) => f.globals.counter === 4 || `counter is ${String(f.globals.counter)}, not 4`,
  };

  test('without a lock it fails, and the witness loses one update with one preemption', () => {
    const result = verify(unlocked, counted);
    expect(result.verdict).toBe('failed');
    if (result.verdict !== 'failed') return;
    expect(result.failure.preemptions).toBe(1);
    expect(result.failure.reason).toMatch(/^counter is [23], not 4$/);
  });

  test('with a lock it is proven over every Mazurkiewicz trace', () => {
    const result = verify(locked, counted);
    expect(result.verdict).toBe('proven');
    expect(result.summary).toMatch(/^proven \([\d,]+ executions, every Mazurkiewicz trace\)$/);
  });
});
