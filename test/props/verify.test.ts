/**
 * verify: proven only after a complete search; failures with a whole, replayable witness of
 * the fewest preemptions; "tested, not proven" when the budget runs out.
 */
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/props/verify.js';
import { runProgram } from '../../src/run/run.js';
import { decodeSchedule } from '../../src/schedule/schedule.js';
import { mutualExclusion } from '../../src/session/invariant.js';
import { compile, TWO_INCREMENTS } from '../helpers.js';

const counter = compile(TWO_INCREMENTS);

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

describe('verify: livelocks and bad input', () => {
  it('a program that can loop for ever fails a strict property (a livelock), and the witness stops there', () => {
    const sometimes = compile(`import threading
flag = False
x = 0
def waiter():
    while not flag:
        pass
def setter():
    global flag
    if x == 0:
        flag = True
a = threading.Thread(target=waiter)
b = threading.Thread(target=setter)
a.start()
b.start()
x = 1
a.join()
b.join()
`);
    const r = verify(sometimes, {});
    expect(r.summary).toBe(
      "failed: an execution can never end: from 6 reachable states no path leads to the program's end (a thread loops for ever)",
    );
    if (r.verdict !== 'failed') return;
    expect(r.failure.replay).toMatch(/--max-steps \d+$/);
    // Lax: only what ends is checked, and it ends well.
    expect(verify(sometimes, { strict: false }).verdict).toBe('proven');
  });

  it('a watched function the program lacks, a budget that is not a whole number: RangeError', () => {
    expect(() => verify(counter, { invariants: [mutualExclusion('nosuch')] })).toThrow(
      "invariant 'mutual exclusion of nosuch()' watches nosuch(), which the program does not define",
    );
    expect(() => verify(counter, {}, { executions: 0 })).toThrow(
      'executions must be a whole number of at least 1, not 0',
    );
    expect(() => verify(counter, {}, { maxSteps: -1 })).toThrow(
      'maxSteps must be a whole number of at least 1, not -1',
    );
    expect(() => verify(counter, {}, { schedules: Number.NaN })).toThrow(
      'schedules must be a whole number of at least 1, not NaN',
    );
  });

  it('a predicate that throws is an InvariantError naming the invariant and the step', () => {
    const buggy = {
      name: 'buggy',
      reads: ['counter'],
      check: () => {
        throw new TypeError('late bug');
      },
    };
    expect(() => verify(counter, { invariants: [buggy] })).toThrow(
      "invariant 'buggy' threw after step 0: late bug",
    );
  });
});
