/**
 * The VM's analyses as observers (src/vm/observers.ts): each analysis on its own, fed events
 * by hand; the last-writer map and the list of synchronization objects on real runs, through
 * snapshot and restore; and the observer set (events sent only to those that listen, recorders
 * kept across a restore).
 */
import { describe, expect, it } from 'vitest';
import { Op, type CompiledProgram } from '../../src/compile/ops.js';
import { LastWriterMap } from '../../src/vm/last-writers.js';
import { LostUpdateTracker } from '../../src/vm/lost-updates.js';
import { Machine, type TraceEvent } from '../../src/vm/machine.js';
import type { AccessObserver } from '../../src/vm/observers.js';
import { RaceDetector } from '../../src/vm/race-detector.js';
import { ThreadState } from '../../src/vm/thread.js';
import { PyList, PyThread, type Value } from '../../src/semantics/values.js';
import { compile, py } from '../helpers.js';

const program = compile(py`
  x = 0
  `);
const code = program.codes[0]!;

function thread(tid: number): ThreadState {
  return new ThreadState(tid, new PyThread(100 + tid, `T${tid}`, null, null, null, false));
}

/** Steps of the lowest enabled thread until the end (or `limit` steps); returns the steps taken. */
function runLowest(m: Machine, limit = Infinity): number {
  let n = 0;
  while (n < limit) {
    const tid = m.enabled()[0];
    if (tid === undefined) break;
    n += m.run(tid, 1, m.status(tid) === 'timeout');
  }
  return n;
}

describe('the lost-update tracker as an observer', () => {
  it('counts the updates a store after a stale load discards, once', () => {
    const lu = new LostUpdateTracker(['x']);
    const [t1, t2] = [thread(1), thread(2)];
    lu.loadGlobal(t1, 0, 0);
    lu.loadGlobal(t2, 0, 1);
    lu.storeGlobal(t2, 0, 0, 1, 2, code, 0, 7);
    lu.storeGlobal(t1, 0, 1, 1, 3, code, 0, 7);
    expect(lu.lost).toBe(1);
    expect(lu.stores).toBe(1);
    expect(lu.first).toEqual([{ cell: 'x', thread: 1, loadStep: 0, storeStep: 3, lost: 1, code, pc: 7 }]);
  });

  it('goes on from a copy as the original does, independently', () => {
    const lu = new LostUpdateTracker(['x']);
    const [t1, t2] = [thread(1), thread(2)];
    lu.loadGlobal(t1, 0, 0);
    const copy = lu.copy();
    for (const a of [lu, copy]) {
      a.loadGlobal(t2, 0, 1);
      a.storeGlobal(t2, 0, 0, 1, 2, code, 0, 0);
    }
    lu.storeGlobal(t1, 0, 1, 1, 3, code, 0, 0);
    expect([lu.lost, copy.lost]).toEqual([1, 0]);
    copy.storeGlobal(t1, 0, 1, 1, 3, code, 0, 0);
    expect(copy.lost).toBe(1);
  });

  it('applies the same rule to item cells, and a store of the object the cell holds loses nothing', () => {
    const lu = new LostUpdateTracker([]);
    const [t1, t2] = [thread(1), thread(2)];
    const list = new PyList(5, [0]);
    lu.loadItem(t1, '5:0', list, 0, 0);
    lu.loadItem(t2, '5:0', list, 0, 1);
    lu.storeItem(t2, '5:0', list, 0, undefined, 1, 2, code, 0, 0);
    lu.storeItem(t1, '5:0', list, 0, undefined, 1, 3, code, 0, 0);
    expect(lu.lost).toBe(1);
    const inner = new PyList(6, []);
    lu.loadItem(t1, '5:0', list, 0, 4);
    lu.loadItem(t2, '5:0', list, 0, 5);
    lu.storeItem(t2, '5:0', list, 0, undefined, 2, 6, code, 0, 0);
    lu.storeItem(t1, '5:0', list, 0, inner, inner, 7, code, 0, 0);
    expect(lu.lost).toBe(1);
  });
});

describe('the race detector as an observer', () => {
  it('reports two unsynchronized stores, and none when a synchronization orders them', () => {
    const racy = new RaceDetector(1, ['x']);
    const [t0, t1] = [thread(0), thread(1)];
    racy.addThread(1, 0);
    racy.storeGlobal(t0, 0, 0, 1, 0, code, 0, 1);
    racy.storeGlobal(t1, 0, 1, 2, 1, code, 0, 2);
    expect([...racy.counts]).toEqual([['x', 1]]);

    const ordered = new RaceDetector(1, ['x']);
    ordered.addThread(1, 0);
    ordered.storeGlobal(t0, 0, 0, 1, 0, code, 0, 1);
    ordered.synchronize(0, 'o9');
    ordered.synchronize(1, 'o9');
    ordered.storeGlobal(t1, 0, 1, 2, 1, code, 0, 2);
    expect(ordered.total).toBe(0);
  });
});

const writers = () =>
  compile(py`
    import threading
    x = 0
    d = {}
    def work():
        global x
        x = 5
        d['a'] = [7]
    t = threading.Thread(target=work)
    t.start()
    t.join()
    x = x + 1
    `);

/** The last STORE of each cell in a trace, as [tid, step, value]. */
function lastStores(events: TraceEvent[]): Map<string, [number, number, Value | undefined]> {
  const out = new Map<string, [number, number, Value | undefined]>();
  for (const e of events) {
    const op = e.code.ops[e.pc];
    if (e.cell !== null && (op === Op.STORE_GLOBAL || op === Op.STORE_ITEM))
      out.set(e.cell, [e.tid, e.step, e.value]);
  }
  return out;
}

describe('the last-writer map', () => {
  it('gives the thread, step and value of the last store of each global and item', () => {
    const p = writers();
    const m = new Machine(p, { lastWriters: true });
    const events: TraceEvent[] = [];
    m.tracer = (e) => events.push(e);
    runLowest(m);
    const lw = m.lastWriters!;
    const x = lw.global(p.globalNames.indexOf('x'))!;
    expect(x).toMatchObject({ cell: 'x', tid: 0, value: 6 });
    const item = lw.entries().find((w) => w.cell === "d['a']")!;
    expect(item.tid).toBe(1);
    expect((item.value as PyList).items).toEqual([7]);
    // Every cell stored to, with the thread, step and value of its last STORE in the trace.
    const expected = [...lastStores(events)].map(([cell, [tid, step, value]]) => ({
      cell,
      tid,
      step,
      value,
    }));
    expect(lw.entries()).toEqual(expect.arrayContaining(expected));
    expect(lw.entries()).toHaveLength(expected.length);
    expect(lw.global(p.globalNames.indexOf('work'))).toBeNull(); // a def is not a store
  });

  it('is carried by a snapshot: restored, it is as it was, and goes on as the straight run', () => {
    const p = writers();
    const straight = new Machine(p, { lastWriters: true });
    runLowest(straight);
    const entries = (m: Machine) =>
      m.lastWriters!.entries().map((w) => [w.cell, w.tid, w.step, show(w.value)]);
    for (let at = 0; at <= straight.steps; at += 3) {
      const m = new Machine(p, { lastWriters: true });
      runLowest(m, at);
      const before = entries(m);
      const snap = m.snapshot();
      runLowest(m);
      m.restore(snap);
      expect(entries(m)).toEqual(before);
      runLowest(m);
      expect(entries(m)).toEqual(entries(straight));
    }
  });

  it("holds the restored state's objects, not the original's", () => {
    const p = writers();
    const m = new Machine(p, { lastWriters: true });
    runLowest(m);
    const snap = m.snapshot();
    m.restore(snap);
    const d = m.globals[p.globalNames.indexOf('d')];
    const item = m.lastWriters!.entries().find((w) => w.cell === "d['a']")!;
    expect(item.value).toBe(
      (d as unknown as { map: Map<unknown, [Value, Value]> }).map.values().next().value![1],
    );
  });
});

function show(v: Value): string {
  return v instanceof PyList ? `[${v.items.map(show).join(', ')}]` : String(v);
}

describe('the list of synchronization objects', () => {
  const source = py`
    import threading
    lock = threading.Lock()
    rlock = threading.RLock()
    sem = threading.BoundedSemaphore(2)
    cond = threading.Condition()
    ev = threading.Event()
    def waiter():
        with cond:
            cond.wait()
    def taker():
        with lock:
            pass
    rlock.acquire()
    rlock.acquire()
    sem.acquire()
    ev.set()
    lock.acquire()
    a = threading.Thread(target=waiter)
    b = threading.Thread(target=taker)
    a.start()
    b.start()
    a.join()
    `;

  it('lists each one created, in creation order, with holder, count, waiters and blocked threads', () => {
    const p = compile(source);
    const m = new Machine(p);
    runLowest(m);
    expect(m.enabled()).toEqual([]); // a waits for a notify, b for the lock, main for a
    const objects = m.syncObjects();
    const condLock = objects[3]!;
    expect(
      objects.map(({ kind, name, holder, count, waiters, blocked }) => ({
        kind,
        name,
        holder,
        count,
        waiters,
        blocked,
      })),
    ).toEqual([
      { kind: 'Lock', name: 'lock', holder: 0, count: 1, waiters: [], blocked: [2] },
      { kind: 'RLock', name: 'rlock', holder: 0, count: 2, waiters: [], blocked: [] },
      { kind: 'BoundedSemaphore', name: 'sem', holder: -1, count: 1, waiters: [], blocked: [] },
      { kind: 'RLock', name: `RLock#${condLock.id}`, holder: -1, count: 0, waiters: [], blocked: [] },
      { kind: 'Condition', name: 'cond', holder: -1, count: 0, waiters: [1], blocked: [1] },
      { kind: 'Event', name: 'ev', holder: -1, count: 1, waiters: [], blocked: [] },
    ]);
    expect(objects[4]!.lock).toBe(condLock.id);
  });

  it('is carried by a snapshot, and lists the restored objects', () => {
    const p = compile(source);
    const m = new Machine(p);
    runLowest(m, 8);
    const partial = m.syncObjects();
    const snap = m.snapshot();
    runLowest(m);
    expect(m.syncObjects()).not.toEqual(partial);
    m.restore(snap);
    expect(m.syncObjects()).toEqual(partial);
    const fresh = new Machine(p);
    fresh.restore(snap);
    expect(fresh.syncObjects()).toEqual(partial);
  });
});

describe('the observer set', () => {
  /** Counts the events it hears. */
  class Counter implements AccessObserver {
    loads = 0;
    stores = 0;
    syncs = 0;
    loadGlobal(): void {
      this.loads++;
    }
    storeGlobal(): void {
      this.stores++;
    }
    synchronize(): void {
      this.syncs++;
    }
  }

  const counter = (p: CompiledProgram) => {
    const m = new Machine(p, { lostUpdates: false, races: false });
    const c = new Counter();
    m.observers.add(c);
    const events: TraceEvent[] = [];
    m.tracer = (e) => events.push(e);
    runLowest(m);
    return { m, c, events };
  };

  it('sends each event to the observers that implement it', () => {
    const { m, c, events } = counter(writers());
    const globalEvents = events.filter((e) => e.cell === 'x' || e.cell === 'd' || e.cell === 't');
    expect(c.loads + c.stores).toBe(globalEvents.length);
    expect(c.syncs).toBeGreaterThan(0);
    expect(m.observers.globals).toBe(true);
    expect(m.observers.items).toBe(false);
    expect(m.lost).toBeNull();
    // An analysis added later is found like the built-in ones, and hears from then on.
    const lw = new LastWriterMap(m.program.globalNames);
    m.observers.add(lw);
    expect(m.lastWriters).toBe(lw);
    expect(lw.entries()).toEqual([]);
  });

  it('keeps the footprint recorder and the tracer across a restore, and takes the analyses from the snapshot', () => {
    const p = writers();
    const m = new Machine(p);
    const snap = m.snapshot();
    const lostBefore = m.lost;
    const events: TraceEvent[] = [];
    m.tracer = (e) => events.push(e);
    m.footprint = [];
    m.restore(snap);
    expect(m.lost).not.toBe(lostBefore);
    expect(m.lost).not.toBeNull();
    m.run(0, 1);
    expect(events).toHaveLength(1);
    expect(m.footprint).toEqual([{ obj: `g${p.globalNames.indexOf('x')}`, key: null, write: true }]);
    m.footprint = null;
    expect(m.observers.footprints).toBe(false);
    m.tracer = null;
    expect(m.observers.slow).toBe(false);
  });
});
