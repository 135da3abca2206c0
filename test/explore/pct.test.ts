/**
 * PCT finds a bug of depth d in a program with n threads and k steps with probability at least
 * 1/(n·k^(d−1)) per run (Burckhardt et al., ASPLOS 2010, Theorem 1). With fixed seeds this
 * statistical test is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../src/explore/explore.js';
import { execute } from '../../src/session/execute.js';
import { PctStrategy } from '../../src/explore/pct.js';
import { Session } from '../../src/session/session.js';
import { compile, py } from '../helpers.js';

// The bug (bug = True) needs two orderings: x = 1 before the check, the check before x = 0.
const depthTwo = py`
  import threading
  x = 0
  bug = False
  pad1 = 0
  pad2 = 0
  def first():
      global x, pad1
      for _ in range(4):
          pad1 += 1
      x = 1
      for _ in range(4):
          pad1 += 1
      x = 0
  def second():
      global bug, pad2
      for _ in range(4):
          pad2 += 1
      if x == 1:
          bug = True
  def main():
      a = threading.Thread(target=first)
      b = threading.Thread(target=second)
      a.start()
      b.start()
      a.join()
      b.join()
  main()
  `;

describe('PCT', () => {
  it("hits a depth-2 bug at least at the paper's rate 1/(n·k)", () => {
    const program = compile(depthTwo);
    const probe = new Session(program, { checkpoints: false });
    const k = execute(probe, new PctStrategy(1, 2, 100), { maxSteps: 10_000 }).steps;
    const n = probe.machine.threads.length;
    expect([n, k]).toEqual([3, 39]);
    const runs = 2000;
    const x = exploreProgram(program, { strategy: 'pct', runs, seed: 1, depth: 2 });
    const hits = x.table.entries
      .filter((e) => e.state.globals.bug === 'True')
      .reduce((s, e) => s + e.count, 0);
    expect(hits / runs).toBeGreaterThanOrEqual(1 / (n * k));
  });

  it('with depth 1 never switches away from a runnable thread, so it never hits the bug', () => {
    const x = exploreProgram(compile(depthTwo), { strategy: 'pct', runs: 200, seed: 1, depth: 1 });
    expect(x.table.entries.every((e) => e.state.globals.bug === 'False')).toBe(true);
  });

  it('reports how many runs it took to reach the first failure, with its seed and schedule', () => {
    const x = exploreProgram(
      compile(py`
      import threading
      a = threading.Lock()
      b = threading.Lock()
      def f():
          with a:
              with b:
                  pass
      def g():
          with b:
              with a:
                  pass
      t = threading.Thread(target=f)
      u = threading.Thread(target=g)
      t.start()
      u.start()
      `),
      { strategy: 'random', runs: 50, seed: 1 },
    );
    expect(x.failures.length).toBeGreaterThan(0);
    const first = x.failures[0]!;
    expect(first.seed).toBe(first.run);
    expect(first.state.status).toBe('deadlock');
    expect(first.schedule.items.length).toBeGreaterThan(0);
  });
});
