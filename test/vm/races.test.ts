import { describe, expect, it } from 'vitest';
import { py, run } from '../helpers.js';

function racesOf(source: string, seed = 1) {
  const r = run(source, { scheduler: 'uniform', seed });
  return r.machine.races!;
}

describe('happens-before data-race detection', () => {
  it('names both accesses and the cell of an unsynchronized counter', () => {
    const rd = racesOf(py`
      from threading import Thread
      counter = 0
      def inc():
          global counter
          counter += 1
      a = Thread(target=inc)
      b = Thread(target=inc)
      a.start()
      b.start()
      a.join()
      b.join()
      `);
    expect([...rd.counts.keys()]).toEqual(['counter']);
    const race = rd.first[0]!;
    expect(race.cell).toBe('counter');
    expect(new Set([race.first.tid, race.second.tid])).toEqual(new Set([1, 2]));
    expect(race.first.write || race.second.write).toBe(true);
  });

  it('sees no race when every access is inside `with lock`, in any interleaving', () => {
    const src = py`
      import threading
      lock = threading.Lock()
      counter = 0
      def inc():
          global counter
          for _ in range(3):
              with lock:
                  counter += 1
      ts = [threading.Thread(target=inc) for _ in range(3)]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      print(counter)
      `;
    for (let seed = 0; seed < 30; seed++) expect(racesOf(src, seed).total).toBe(0);
  });

  it('orders accesses through start, join, events and conditions', () => {
    const src = py`
      import threading
      data = []
      ready = threading.Event()
      c = threading.Condition()
      box = None
      def producer():
          global box
          data.append(1)
          ready.set()
          with c:
              box = 'full'
              c.notify()
      def consumer():
          ready.wait()
          data.append(2)
          with c:
              while box is None:
                  c.wait()
      data.append(0)
      p = threading.Thread(target=producer)
      q = threading.Thread(target=consumer)
      p.start()
      q.start()
      p.join()
      q.join()
      print(data, box)
      `;
    for (let seed = 0; seed < 30; seed++) expect(racesOf(src, seed).total).toBe(0);
  });

  it('reports a race on a list item and on a whole list separately', () => {
    const rd = racesOf(
      py`
      from threading import Thread
      items = [0, 0]
      def a():
          items[0] = 1
      def b():
          x = items[0]
          items.append(x)
      def c():
          n = len(items)
      ts = [Thread(target=a), Thread(target=b), Thread(target=c)]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      `,
      3,
    );
    expect([...rd.counts.keys()].sort()).toEqual(['items', 'items[0]']);
  });
});
