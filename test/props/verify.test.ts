/**
 * verify: proven only after a complete search; failures with a whole, replayable witness of
 * the fewest preemptions; "tested, not proven" when the budget runs out.
 */
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/props/verify.js';
import { runProgram } from '../../src/run/run.js';
import { decodeSchedule } from '../../src/schedule/schedule.js';
import { mutualExclusion } from '../../src/session/invariant.js';
import { compile } from '../helpers.js';

const counter = compile(`import threading
counter = 0
def inc():
    global counter
    counter += 1
ts = [threading.Thread(target=inc) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
`);

function replays(program: ReturnType<typeof compile>, schedule: string): void {
  const decoded = decodeSchedule(schedule);
  if (!('schedule' in decoded)) throw new Error(decoded.error);
  // A whole execution: the replay runs to the program's end without a mismatch.
  expect(runProgram(program, { schedule: decoded.schedule }).execution.status).toBe('completed');
}

describe('verify', () => {
  it('an invariant that fails at the first steps: the witness is still a whole execution', () => {
    // Both threads are inside inc() once main has started them (the call is invisible).
    const r = verify(counter, { invariants: [mutualExclusion('inc')] });
    expect(r.verdict).toBe('failed');
    if (r.verdict !== 'failed') return;
    expect(r.failure.reason).toBe(
      'mutual exclusion of inc(): Thread-1 (inc) and Thread-2 (inc) are both inside inc()',
    );
    expect(r.failure.preemptions).toBe(0);
    replays(counter, r.failure.schedule);
  });

  it('an end check that fails: the lost update, with one preemption', () => {
    const r = verify(counter, {
      end: (f) => f.globals.counter === 2 || `counter is ${String(f.globals.counter)}`,
    });
    expect(r.verdict).toBe('failed');
    if (r.verdict !== 'failed') return;
    expect(r.failure.reason).toBe('counter is 1');
    expect(r.failure.preemptions).toBe(1);
    expect(r.failure.report).toContain('lost updates: 1 (counter: 1)');
    replays(counter, r.failure.schedule);
  });

  it('a deadlock fails a strict property, not a lax one', () => {
    const deadlock = compile(`import threading
a = threading.Lock()
b = threading.Lock()
def one():
    with a:
        with b:
            pass
def two():
    with b:
        with a:
            pass
t = threading.Thread(target=one)
u = threading.Thread(target=two)
t.start()
u.start()
t.join()
u.join()
`);
    expect(verify(deadlock, {}).summary).toBe('failed: deadlock');
    expect(verify(deadlock, { strict: false }).verdict).toBe('proven');
  });

  it('an exception fails it', () => {
    const raises = compile(`import threading
def f():
    raise ValueError("no")
t = threading.Thread(target=f)
t.start()
t.join()
`);
    expect(verify(raises, {}).summary).toBe('failed: Thread-1 (f): ValueError: no');
  });

  it('a search cut by the budget is never called proven', () => {
    const r = verify(
      counter,
      { end: (f) => typeof f.globals.counter === 'number' },
      { executions: 1, schedules: 50, seed: 1 },
    );
    expect(r.verdict).toBe('tested');
    expect(r.summary).toBe('tested 50 schedules, not proven (the exhaustive search stopped: max-executions)');
  });
});
