/**
 * Exploration ends when its AbortSignal is aborted (between executions), incomplete and stopped
 * by 'stopped', for every strategy; the progress callback reports the executions done.
 */
import { describe, expect, it } from 'vitest';
import { exploreProgram, type StrategyName } from '../../src/explore/explore.js';
import { compile } from '../helpers.js';

const program = compile(`import threading
x = 0
def inc():
    global x
    for _ in range(3):
        x += 1
ts = [threading.Thread(target=inc) for _ in range(3)]
for t in ts: t.start()
for t in ts: t.join()
`);

describe('an AbortSignal', () => {
  for (const strategy of ['exhaustive', 'random', 'pct'] as StrategyName[]) {
    it(`ends a ${strategy} exploration after the execution during which it was aborted`, () => {
      const controller = new AbortController();
      const x = exploreProgram(program, {
        strategy,
        runs: 1000,
        signal: controller.signal,
        until: (table) => {
          if (table.executions === 5) controller.abort();
          return false;
        },
      });
      expect(x.table.executions).toBe(5);
      expect(x.complete).toBe(false);
      expect(x.stoppedBy).toEqual(['stopped']);
    });
  }

  it('ends the stateful search too', () => {
    const spin = compile(`import threading
flag = False
def wait():
    while not flag:
        pass
def go():
    global flag
    flag = True
a = threading.Thread(target=wait)
b = threading.Thread(target=go)
a.start()
b.start()
a.join()
b.join()
`);
    const controller = new AbortController();
    controller.abort();
    const x = exploreProgram(spin, { maxSteps: 200, statefulFallback: {}, signal: controller.signal });
    expect(x.complete).toBe(false);
    expect(x.stoppedBy).toContain('stopped');
  });
});
