import { describe, expect, it } from 'vitest';
import { Stepper } from '../../src/api/step.js';
import { compile, py } from '../helpers.js';

const program = () =>
  compile(py`
    import threading
    lock = threading.Lock()
    counter = 0
    def work():
        global counter
        with lock:
            counter += 1
    t = threading.Thread(target=work)
    t.start()
    with lock:
        counter += 10
    t.join()
    `);

describe('stepping by hand', () => {
  it('reports each step footprint: reads, writes and lock operations', () => {
    const s = new Stepper(program());
    expect(s.step(0)).toEqual([{ obj: 'g1', key: null, write: true }]); // STORE lock (global 1; 0 is threading)
    s.step(0); // STORE counter
    s.step(0); // STORE t
    s.step(0); // LOAD t
    s.step(0); // START
    expect(s.step(0)).toEqual([{ obj: 'g1', key: null, write: false }]); // LOAD lock
    const acquire = s.step(0)!;
    expect(acquire).toHaveLength(1);
    expect(acquire[0]).toMatchObject({ write: true });
    expect(acquire[0]!.obj).toMatch(/^o\d+$/);
  });

  it('says which threads can run and why the others cannot', () => {
    const s = new Stepper(program());
    for (let i = 0; i < 7; i++) s.step(0); // main holds the lock
    s.step(1); // the worker reads `lock`...
    const views = s.threads();
    expect(views.map((v) => [v.name, v.status])).toEqual([
      ['MainThread', 'enabled'],
      ['Thread-1 (work)', 'blocked'],
    ]);
    expect(views[1]!.blocked).toEqual({ tid: 1, line: 6, kind: 'lock', object: 'lock', holder: 0 });
    expect(s.step(1)).toBeNull();
  });

  it('goes back to any earlier step with the same state', () => {
    const s = new Stepper(program());
    const seen: string[] = [];
    const order = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    for (const tid of order) {
      s.step(tid);
      seen.push(JSON.stringify([...s.machine.finalGlobals()].filter(([k]) => k === 'counter')));
    }
    for (let k = 1; k <= order.length; k++) {
      const back = s.rewind(k);
      expect(back.machine.steps).toBe(k);
      expect(JSON.stringify([...back.machine.finalGlobals()].filter(([n]) => n === 'counter'))).toBe(
        seen[k - 1],
      );
    }
  });
});
