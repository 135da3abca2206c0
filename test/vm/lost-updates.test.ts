import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSchedule, type Schedule } from '../../src/schedule/schedule.js';
import { compile, py, run } from '../helpers.js';

const counterProgram = (threads: number, loops: number) => py`
  from threading import Thread
  counter = 0
  def increment(n):
      global counter
      for _ in range(n):
          counter += 1
  ts = [Thread(target=increment, args=(${loops},)) for _ in range(${threads})]
  for t in ts:
      t.start()
  for t in ts:
      t.join()
  `;

const twoWorkers = py`
  from threading import Thread
  counter = 0
  def inc():
      global counter
      counter += 1
  t1 = Thread(target=inc)
  t2 = Thread(target=inc)
  t1.start()
  t2.start()
  t1.join()
  t2.join()
  `;

function schedule(program: { fingerprint: string }, body: string): Schedule {
  const decoded = decodeSchedule(`v1:${program.fingerprint}:${body}`);
  if ('error' in decoded) throw new Error(decoded.error);
  return decoded.schedule;
}

describe('the lost-update analysis', () => {
  it("loses an update when T2 stores between T1's load and store", () => {
    const program = compile(twoWorkers);
    // main: STORE counter, STORE t1, STORE t2, LOAD t1, START, LOAD t2, START
    const r = run(program, { schedule: schedule(program, '0*7,1,2*3,1*2,0*5') });
    expect(r.execution.status).toBe('completed');
    expect(r.machine.finalGlobals().get('counter')).toBe(1);
    const lost = r.machine.lost!;
    expect(lost.lost).toBe(1);
    expect(lost.stores).toBe(1);
    expect(lost.first).toHaveLength(1);
    expect(lost.first[0]).toMatchObject({ cell: 'counter', thread: 1, loadStep: 7, storeStep: 11, lost: 1 });
    expect(lost.first[0]!.code.spans[lost.first[0]!.pc * 4]).toBe(5);
  });

  it('finds no lost update when the increments do not overlap', () => {
    const program = compile(twoWorkers);
    const r = run(program, { schedule: schedule(program, '0*7,1*3,2*3,0*5') });
    expect(r.machine.finalGlobals().get('counter')).toBe(2);
    expect(r.machine.lost!.stores).toBe(0);
    expect(r.machine.lost!.lost).toBe(0);
  });

  it('counts exactly increments minus the final value, for any threads, loops, scheduler and seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom('uniform' as const, 'time-slice' as const),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        (threads, loops, scheduler, seed, slice) => {
          const r = run(counterProgram(threads, loops), { scheduler, seed, slice });
          const final = r.machine.finalGlobals().get('counter') as number;
          expect(r.machine.lost!.lost).toBe(threads * loops - final);
          expect(r.machine.lost!.stores > 0).toBe(final < threads * loops);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('tracks list and dict items as cells of their own', () => {
    const program = compile(py`
      from threading import Thread
      d = {'a': 0, 'b': 0}
      def inc(k):
          d[k] += 1
      ts = [Thread(target=inc, args=('a',)), Thread(target=inc, args=('a',)), Thread(target=inc, args=('b',))]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      `);
    let found = false;
    for (let seed = 0; seed < 200 && !found; seed++) {
      const r = run(program, { scheduler: 'uniform', seed });
      const d = r.machine.finalGlobals().get('d');
      const lost = r.machine.lost!;
      if (lost.stores > 0) {
        found = true;
        expect(lost.first[0]!.cell).toBe("d['a']");
        expect(lost.lost).toBe(1);
        expect(String((d as unknown as { map: Map<string, [unknown, unknown]> }).map.get('a')![1])).toBe('1');
      }
    }
    expect(found).toBe(true);
  });
});

describe('what is not a lost update', () => {
  it('does not call a write in the next loop iteration a store computed from the earlier read', () => {
    const src = py`
      import threading
      flag = [False, False]
      turn = 0
      cs = 0
      def worker(i, amount):
          global turn, cs
          j = 1 - i
          for _ in range(2):
              flag[i] = True
              turn = j
              while flag[j] and turn == j:
                  pass
              cs += amount
              flag[i] = False
      t0 = threading.Thread(target=worker, args=(0, 1))
      t1 = threading.Thread(target=worker, args=(1, 10))
      t0.start()
      t1.start()
      t0.join()
      t1.join()
      `;
    for (let seed = 0; seed < 200; seed++) {
      const r = run(src, { scheduler: 'uniform', seed });
      expect(r.machine.finalGlobals().get('cs')).toBe(22);
      expect(r.machine.lost!.stores).toBe(0);
    }
  });

  it('does not call `+=` on a shared list a lost update: it extends the list in place, then rebinds it', () => {
    const src = py`
      import threading
      items = []
      d = {"k": []}
      def worker(n):
          global items
          for i in range(3):
              items += [n]
              d["k"] += [n]
      ts = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      print(len(items), len(d["k"]))
      `;
    for (let seed = 0; seed < 50; seed++) {
      const r = run(src, { scheduler: 'uniform', seed });
      expect(r.out).toBe('9 9\n');
      expect(r.machine.lost!.stores).toBe(0);
    }
  });

  it('still loses an update when a stale store puts back another object', () => {
    const src = py`
      import threading
      items = []
      def worker(n):
          global items
          items = items + [n]
      ts = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      print(len(items))
      `;
    const lost = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      const r = run(src, { scheduler: 'uniform', seed });
      lost.add(`${r.out.trim()} ${r.machine.lost!.stores}`);
    }
    expect([...lost].sort()).toEqual(['1 1', '2 0']);
  });
});
