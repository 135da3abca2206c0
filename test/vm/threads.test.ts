import { describe, expect, it } from 'vitest';
import { encodeSchedule } from '../../src/schedule/schedule.js';
import { waitForGraph } from '../../src/vm/wait-for.js';
import { py, run } from '../helpers.js';

/** Run `source` under many seeds of the uniform scheduler and collect what `pick` returns. */
function outcomes<T>(source: string, pick: (r: ReturnType<typeof run>) => T, seeds = 60): Set<T> {
  const seen = new Set<T>();
  for (let seed = 0; seed < seeds; seed++) seen.add(pick(run(source, { scheduler: 'uniform', seed })));
  return seen;
}

describe('threads in the VM', () => {
  it('reports an uncaught exception in a thread as CPython does, and keeps its lock held', () => {
    const r = run(py`
      import threading
      lock = threading.Lock()
      def work():
          lock.acquire()
          x = 1 / 0
      t = threading.Thread(target=work)
      t.start()
      t.join()
      held = lock.locked()
      `);
    expect(r.out).toBe(
      [
        'Exception in thread Thread-1 (work):',
        'Traceback (most recent call last):',
        '  File "test.py", line 5, in work',
        '    x = 1 / 0',
        'ZeroDivisionError: division by zero',
        '',
      ].join('\n'),
    );
    expect(r.machine.finalGlobals().get('held')).toBe(true);
    expect(r.execution.status).toBe('completed');
  });

  it('prints a traceback through every frame for an uncaught exception in the main thread', () => {
    const r = run(py`
      def inner():
          return [][1]
      def outer():
          return inner()
      outer()
      `);
    expect(r.out).toBe(
      [
        'Traceback (most recent call last):',
        '  File "test.py", line 5, in <module>',
        '    outer()',
        '  File "test.py", line 4, in outer',
        '    return inner()',
        '  File "test.py", line 2, in inner',
        '    return [][1]',
        'IndexError: list index out of range',
        '',
      ].join('\n'),
    );
  });

  it('waits for non-daemon threads after the main thread ends, and drops daemon threads', () => {
    const src = py`
      import threading
      done = []
      def forever():
          while True:
              done.append(1)
              done.pop()
      def finite():
          done.append('finite')
      threading.Thread(target=forever, daemon=True).start()
      threading.Thread(target=finite).start()
      `;
    for (let seed = 0; seed < 20; seed++) {
      const r = run(src, { scheduler: 'uniform', seed, maxSteps: 100_000 });
      expect(r.execution.status).toBe('completed');
      expect(r.machine.threads[2]!.finished).toBe(true);
    }
  });

  it('never pops an empty list when consumers re-check the condition in a while loop', () => {
    const src = py`
      import threading
      items = []
      c = threading.Condition()
      def consumer():
          with c:
              while len(items) == 0:
                  c.wait()
              items.pop()
      def producer():
          for i in range(2):
              with c:
                  items.append(i)
                  c.notify()
      cs = [threading.Thread(target=consumer) for _ in range(2)]
      p = threading.Thread(target=producer)
      for t in cs:
          t.start()
      p.start()
      p.join()
      for t in cs:
          t.join()
      `;
    expect(
      outcomes(
        src,
        (r) => `${r.execution.status} ${r.machine.threads.some((t) => t.uncaught !== null)}`,
        150,
      ),
    ).toEqual(new Set(['completed false']));
  });

  it('pops an empty list in some interleaving when consumers check with if', () => {
    const src = py`
      import threading
      items = []
      c = threading.Condition()
      def consumer():
          with c:
              if len(items) == 0:
                  c.wait()
              items.pop()
      def producer():
          for i in range(2):
              with c:
                  items.append(i)
                  c.notify()
      cs = [threading.Thread(target=consumer) for _ in range(2)]
      p = threading.Thread(target=producer)
      for t in cs:
          t.start()
      p.start()
      `;
    const errors = outcomes(
      src,
      (r) => r.machine.threads.map((t) => t.uncaught?.cls.name ?? '').join(','),
      300,
    );
    expect([...errors].some((e) => e.includes('IndexError'))).toBe(true);
    expect([...errors].some((e) => !e.includes('IndexError'))).toBe(true);
  });

  it('lets a blocked join with a timeout time out, and records it in the schedule', () => {
    const src = py`
      import threading
      def work():
          pass
      t = threading.Thread(target=work)
      t.start()
      t.join(timeout=0.5)
      alive = t.is_alive()
      `;
    const seen = outcomes(
      src,
      (r) => `${r.machine.finalGlobals().get('alive')} ${/\dt/.test(encodeSchedule(r.execution.schedule))}`,
      300,
    );
    // Timed out (t in the schedule) with the thread still alive, timed out but it ended before
    // is_alive(), or joined for real.
    expect(seen).toEqual(new Set(['true true', 'false true', 'false false']));
  });

  it('blocks a third acquirer of a Semaphore(2) until a release', () => {
    const src = py`
      import threading
      s = threading.Semaphore(2)
      inside = []
      most = 0
      def work():
          global most
          with s:
              inside.append(1)
              most = max(most, len(inside))
              inside.pop()
      ts = [threading.Thread(target=work) for _ in range(3)]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      `;
    const most = outcomes(src, (r) => r.machine.finalGlobals().get('most'), 150);
    expect(most.has(3)).toBe(false);
    expect(most.has(2)).toBe(true);
  });

  it('stops a run at the step bound and a thread that spins without visible ops', () => {
    const bound = run('x = 0\nwhile True:\n    x = 1\n', { maxSteps: 1000 });
    expect(bound.execution.status).toBe('step-bound');
    expect(bound.execution.steps).toBe(1000);
    expect(bound.execution.boundReason).toBe('step bound of 1,000 steps reached (raise it with --max-steps)');
    const spin = run('def f():\n    while True:\n        pass\nf()\n', { spinLimit: 10_000 });
    expect(spin.execution.status).toBe('step-bound');
    expect(spin.execution.boundReason).toBe(
      'MainThread ran 10,000 loop iterations without a visible operation (raise it with --max-ops)',
    );
  });

  it('bounds the total work of a run: a local loop between visible ops, and steps that build huge values', () => {
    // Each visible op resets the spin count, so only the work bound stops this one.
    const loop = run(
      'g = 0\ndef f():\n    while True:\n        i = 0\n        while i < 1000:\n            i += 1\n        x = g\nf()\n',
      { maxOps: 100_000 },
    );
    expect(loop.execution.status).toBe('step-bound');
    expect(loop.execution.boundReason).toBe(
      'work bound of 100,000 micro-ops reached (raise it with --max-ops)',
    );
    expect(loop.machine.microOps).toBeLessThanOrEqual(100_000 + 10);
    expect(loop.machine.microOps).toBeGreaterThan(100_000 - 5_000);
    // Each step builds a 10,000-item list: 4 units of work per item.
    const heavy = run('def f():\n    while True:\n        x = [0] * 10000\nf()\n', { maxOps: 1_000_000 });
    expect(heavy.execution.boundReason).toBe(
      'work bound of 1,000,000 micro-ops reached (raise it with --max-ops)',
    );
    expect(heavy.execution.steps).toBe(25);
  });

  it('raises RecursionError for unbounded recursion', () => {
    const r = run(
      'def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError as e:\n    print(e)\n',
    );
    expect(r.out).toBe('maximum recursion depth exceeded\n');
  });

  it('names threads as CPython 3.10+ does', () => {
    const r = run(py`
      import threading
      def work():
          print(threading.current_thread().name)
      for i in range(2):
          t = threading.Thread(target=work)
          t.start()
          t.join()
      t = threading.Thread(target=work, name='custom')
      t.start()
      t.join()
      print(threading.current_thread().name)
      `);
    expect(r.out).toBe('Thread-1 (work)\nThread-2 (work)\ncustom\nMainThread\n');
  });

  it('keeps ints exact: beyond 2**53 is an OverflowError, never a wrong number', () => {
    const r = run(
      'x = 9007199254740992\ntry:\n    x = x + 1\nexcept OverflowError:\n    print("overflow")\n',
    );
    expect(r.out).toBe('overflow\n');
  });
});

describe('the wait-for graph', () => {
  it('names the cycle of two threads that take two locks in opposite orders', () => {
    const src = py`
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
      t1 = threading.Thread(target=f)
      t2 = threading.Thread(target=g)
      t1.start()
      t2.start()
      t1.join()
      t2.join()
      `;
    let graph = null;
    for (let seed = 0; seed < 100 && graph === null; seed++) {
      const r = run(src, { scheduler: 'uniform', seed });
      if (r.execution.status === 'deadlock') graph = waitForGraph(r.machine);
    }
    expect(graph).not.toBeNull();
    expect(graph!.cycle).toEqual([1, 2, 1]);
    expect(graph!.blocked).toEqual([
      { tid: 0, line: 16, kind: 'join', object: 't1', holder: 1 },
      { tid: 1, line: 6, kind: 'lock', object: 'b', holder: 2 },
      { tid: 2, line: 10, kind: 'lock', object: 'a', holder: 1 },
    ]);
    expect(graph!.deadHolders).toEqual([]);
  });

  it('names a lock held by a thread that died with an exception', () => {
    const src = py`
      import threading
      import time
      lock = threading.Lock()
      def faulty(lock, sleep=10):
          lock.acquire()
          time.sleep(sleep)
          lock.release()
      t = threading.Thread(target=faulty, args=(lock, 'x'))
      t.start()
      lock.acquire()
      lock.release()
      `;
    const r = run(src);
    expect(r.execution.status).toBe('deadlock');
    const g = waitForGraph(r.machine);
    expect(g.blocked).toEqual([{ tid: 0, line: 10, kind: 'lock', object: 'lock', holder: 1 }]);
    expect(g.deadHolders).toEqual([
      {
        object: 'lock',
        holder: 1,
        acquiredLine: 5,
        exception: "TypeError: 'str' object cannot be interpreted as an integer",
        exceptionLine: 6,
      },
    ]);
    expect(g.cycle).toBeNull();
  });

  it('deadlocks on a plain Lock re-entered by its holder in every interleaving', () => {
    const src = py`
      import threading
      L = threading.Lock()
      def get():
          with L:
              with L:
                  pass
      t = threading.Thread(target=get)
      t.start()
      `;
    expect(outcomes(src, (r) => r.execution.status, 30)).toEqual(new Set(['deadlock']));
  });
});

describe('thread start as in CPython', () => {
  it('fails the new thread, not its starter, when args is not iterable (a missing comma)', () => {
    const r = run(py`
      import threading
      def work(lock):
          pass
      lock = threading.Lock()
      t = threading.Thread(target=work, args=(lock))
      t.start()
      t.join()
      print('main goes on')
      `);
    expect(r.out).toBe(
      'Exception in thread Thread-1 (work):\nTraceback (most recent call last):\nTypeError: __main__.work() argument after * must be an iterable, not _thread.lock\nmain goes on\n',
    );
  });

  it('runs a thread without a target as an empty thread, and knows __name__', () => {
    const r = run(
      'import threading\nt = threading.Thread()\nt.start()\nt.join()\nif __name__ == "__main__":\n    print("main", t.is_alive())\n',
    );
    expect(r.out).toBe('main False\n');
  });

  it('counts the same micro-ops for an execution however it was scheduled', () => {
    const src = py`
      from threading import Thread
      counter = 0
      def inc():
          global counter
          for _ in range(5):
              counter += 1
      ts = [Thread(target=inc) for _ in range(3)]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      `;
    for (const scheduler of ['uniform', 'time-slice', 'round-robin'] as const) {
      const first = run(src, { scheduler, seed: 4, slice: 3 });
      const again = run(src, { schedule: first.execution.schedule });
      expect(again.machine.microOps).toBe(first.machine.microOps);
    }
  });
});
