/**
 * Invariants over states (src/session/invariant.ts): what a run reports when one fails, what an
 * invariant may read, and the slice of the interleaving shown with the failure.
 */
import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../src/explore/explore.js';
import { outcomeJson, outcomeOf } from '../../src/report/outcome.js';
import { renderOutcome } from '../../src/report/text.js';
import { runProgram } from '../../src/run/run.js';
import { traceAssertion, traceViolation } from '../../src/run/slice-trace.js';
import { invariant, InvariantReadError, mutualExclusion } from '../../src/session/invariant.js';
import { compile } from '../helpers.js';

/** Two workers that each call critical() once, with no lock, started and joined as `main` says. */
const workers = (main: string): ReturnType<typeof compile> =>
  compile(`import threading
n = 0
def critical():
    global n
    n = n + 1
def worker():
    critical()
a = threading.Thread(target=worker)
b = threading.Thread(target=worker)
${main}
`);

/**
 * Both started, then joined: both can be inside at once (a thread started is already inside:
 * its call is invisible, its first step the LOAD n in critical()).
 */
const unguarded = workers('a.start()\nb.start()\na.join()\nb.join()');
/** The second started after the first ended. */
const sequential = workers('a.start()\na.join()\nb.start()\nb.join()');

describe('an invariant checked in a run', () => {
  it('holds when the threads run one after the other', () => {
    const r = runProgram(sequential, { invariants: [mutualExclusion('critical')] });
    expect(r.violation).toBeNull();
    expect(outcomeOf(r).violation).toBeNull();
  });

  it('fails at the step that puts the second thread inside, and the report shows how', () => {
    // Starting a thread puts it inside critical() (before its LOAD n): the second start fails it.
    const exploration = exploreProgram(unguarded, { invariants: [mutualExclusion('critical')] });
    const entry = [...exploration.table.violations.values()][0]!;
    expect(entry.message).toBe(
      'mutual exclusion of critical(): Thread-1 (worker) and Thread-2 (worker) are both inside critical()',
    );
    // The witness is a whole execution (shrunk): its replay fails the invariant and goes on to the end.
    const r = runProgram(unguarded, {
      schedule: entry.witness.schedule,
      invariants: [mutualExclusion('critical')],
    });
    expect(r.execution.status).toBe('completed');
    expect(r.violation).toEqual({
      step: r.violation!.step,
      tid: 0,
      invariant: 'mutual exclusion of critical()',
      message: entry.message,
    });
    const outcome = outcomeOf(r);
    expect(outcome.violation).toEqual({
      step: r.violation!.step,
      thread: 'MainThread',
      invariant: 'mutual exclusion of critical()',
      message: entry.message,
    });
    expect(outcomeJson(r, outcome).violation).toEqual(outcome.violation);
    const slice = traceViolation(r, r.violation!, [mutualExclusion('critical')]);
    // Main's starts put each worker inside critical().
    expect(slice.steps.flatMap((s) => s.entered)).toEqual(['1:critical', '2:critical']);
    const text = renderOutcome(r, outcome, [], null, { violation: slice });
    expect(text).toContain(`invariant failed after step ${r.violation!.step} (MainThread): ${entry.message}`);
    expect(text).toContain('; now in critical() (Thread-1 (worker))');
    expect(text).toContain('; now in critical() (Thread-2 (worker))');
  });
});

describe('what an invariant reads', () => {
  it('a global it did not declare throws InvariantReadError', () => {
    const sneaky = invariant('n small', (s) => (s.globals.n as number) < 5, { reads: [] });
    expect(() => runProgram(unguarded, { invariants: [sneaky] })).toThrow(InvariantReadError);
    expect(() => runProgram(unguarded, { invariants: [sneaky] })).toThrow(
      "invariant 'n small' reads the global 'n', which it does not declare: add it to its reads",
    );
  });

  it('a line without lines: true, or a function it did not declare, throws too', () => {
    const lines = invariant('line', (s) => s.threads.every((t) => t.line >= 0), { reads: [] });
    expect(() => runProgram(unguarded, { invariants: [lines] })).toThrow("reads a thread's line");
    const fn = invariant('inside', (s) => !s.threads.some((t) => t.inside('worker')), { reads: [] });
    expect(() => runProgram(unguarded, { invariants: [fn] })).toThrow('whether a thread is inside worker()');
  });

  it('a global the program lacks is a RangeError at the start', () => {
    expect(() =>
      runProgram(unguarded, { invariants: [invariant('m', () => true, { reads: ['m'] })] }),
    ).toThrow("invariant 'm' reads 'm', which is not a global of the program");
  });

  it('reads typed values, and its message names the failure', () => {
    const bounded = invariant('n ≤ 1', (s) => (s.globals.n as number) <= 1 || `n is ${String(s.globals.n)}`, {
      reads: ['n'],
    });
    const r = runProgram(sequential, { invariants: [bounded] });
    expect(r.violation?.message).toBe('n ≤ 1: n is 2');
    const slice = traceViolation(r, r.violation!, [bounded]);
    expect(slice.globals).toEqual(['n']);
    expect(slice.steps.map((s) => s.event.cell)).toEqual(['n', 'n', 'n', 'n', 'n']);
  });
});

describe('a failed assert', () => {
  const program = compile(`import threading
x = 0
y = 0
def a():
    global x, y
    x = x + 1
    y = y + 1
def b():
    assert x == y, "x and y differ"
t = threading.Thread(target=a)
u = threading.Thread(target=b)
t.start()
u.start()
t.join()
u.join()
`);

  it('is shown with the accesses of the globals its line reads', () => {
    // Thread a writes x, then thread b asserts before a writes y: the outcome with y still 0 at the assert.
    const failing = exploreProgram(program).table.entries.filter((e) => e.state.exceptions.length > 0);
    expect(failing.length).toBeGreaterThan(0);
    const r = runProgram(program, { schedule: failing[0]!.witness.schedule });
    expect(outcomeOf(r).exceptions.map((e) => e.text)).toEqual(['AssertionError: x and y differ']);
    const slice = traceAssertion(r)!;
    expect(slice.line).toBe(9);
    expect(slice.globals?.sort()).toEqual(['x', 'y']);
    const text = renderOutcome(r, outcomeOf(r), [], null, { assertion: slice });
    expect(text).toContain("the steps that led to Thread-2 (b)'s failed assert on line 9 (accesses of");
    expect(text).toMatch(/Thread-1 \(a\) +6 +x = x \+ 1 +STORE x ← 1/);
    expect(text).toMatch(/Thread-2 \(b\) +9 +assert x == y, "x and y differ" +LOAD y → 0/);
    // The slice ends at the step that raised: nothing of thread a after it.
    expect(slice.steps[slice.steps.length - 1]!.event.tid).toBe(2);
  });
});

describe('several invariants', () => {
  it('each one’s first failure is recorded, in a run and in an exploration', () => {
    const program = workers('a.start()\nb.start()\na.join()\nb.join()');
    const both = [mutualExclusion('worker'), mutualExclusion('critical')];
    const x = exploreProgram(program, { invariants: both });
    expect([...x.table.violations.keys()]).toEqual([
      'mutual exclusion of worker(): Thread-1 (worker) and Thread-2 (worker) are both inside worker()',
      'mutual exclusion of critical(): Thread-1 (worker) and Thread-2 (worker) are both inside critical()',
    ]);
    const r = runProgram(program, {
      schedule: [...x.table.violations.values()][1]!.witness.schedule,
      invariants: both,
    });
    expect(r.violation?.invariant).toBe('mutual exclusion of worker()');
  });
});
