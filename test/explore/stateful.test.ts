import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enumerateAll } from '../../src/explore/enumerate.js';
import { DrivenExecution } from '../../src/explore/execution.js';
import { exploreStates } from '../../src/explore/stateful.js';
import { compile, py } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');

describe('stateful search', () => {
  it("explores Peterson's spin loops to completion: the critical section always adds 22", () => {
    const r = exploreStates(compile(readFileSync(join(root, 'programs', 'peterson.py'), 'utf8')));
    expect(r.complete).toBe(true);
    expect(r.states).toBe(1051);
    expect(r.table.entries.map((e) => `${e.state.status} ${e.state.globals.cs}`)).toEqual([
      'completed 22',
      'completed 22',
    ]);
    expect(r.bytesPerState).toBeLessThanOrEqual(64);
  });

  it('finds the same outcomes as DPOR on the counter', () => {
    const r = exploreStates(
      compile(readFileSync(join(root, 'bench', 'programs', 'counter.py'), 'utf8'), [['N', '2']]),
    );
    expect(r.complete).toBe(true);
    expect(r.table.entries.map((e) => e.state.globals.counter).sort()).toEqual(['2', '3', '4']);
    expect(r.states).toBe(673);
  });

  it('visits exactly the distinct states that every interleaving passes through', () => {
    // The same number, computed independently: enumerate every interleaving, hash every state.
    const program = compile(py`
      import threading
      counter = 0
      lock = threading.Lock()
      def inc():
          global counter
          counter += 1
          with lock:
              counter += 1
      def main():
          a = threading.Thread(target=inc)
          b = threading.Thread(target=inc)
          a.start()
          b.start()
          a.join()
          b.join()
      main()
      `);
    const seen = new Set<string>();
    const all = enumerateAll(program, (run) => {
      const replay = new DrivenExecution(program, 10_000, false);
      seen.add(replay.machine.stateHash().join());
      for (const e of run.events) {
        replay.step(e);
        seen.add(replay.machine.stateHash().join());
      }
    });
    expect(all.complete).toBe(true);
    const r = exploreStates(program);
    expect(r.complete).toBe(true);
    expect(r.states).toBe(seen.size);
  });

  it('stops at the state bound and says the search is not complete', () => {
    const r = exploreStates(compile(readFileSync(join(root, 'bench', 'programs', 'counter.py'), 'utf8')), {
      maxStates: 100,
    });
    expect(r.complete).toBe(false);
    expect(r.states).toBe(100);
  });
});
