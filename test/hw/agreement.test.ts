/**
 * The simulator and the hardware runtime share one semantics core (src/semantics/): each
 * program here, single-threaded or with threads joined in order, prints exactly the same
 * output and exception text under `interleave run` and on real threads. The programs exercise
 * what had drifted between the two engines: thread kwargs, size caps, method values and
 * method errors, bare raise tracebacks, `sep.join`, random ranges.
 */
import { describe, expect, it } from 'vitest';
import { liveWorkers, runOnHardware } from '../../src/hw/runner.js';
import { compile, py, run } from '../helpers.js';

const PROGRAMS: Record<string, string> = {
  'thread targets, args and kwargs': py`
    import threading
    def w(a, b=2):
        print(a, b)
    def main():
        kw = {"b": 5}
        t = threading.Thread(target=w, args=(1,), kwargs=kw)
        kw["b"] = 7
        t.start()
        t.join()
        for args, kwargs in [((1,), (("b", 5),)), ((1,), {1: 2}), (5, None), ([3], {"c": 1}), ((), {})]:
            t = threading.Thread(target=w, args=args, kwargs=kwargs)
            t.start()
            t.join()
        t = threading.Thread(target=5)
        t.start()
        t.join()
        t = threading.Thread()
        t.start()
        t.join()
    main()
  `,
  'size caps of lists and strings': py`
    def comprehension():
        return len([0 for _ in range(16777217)])
    def fstring():
        x = 'a' * 134217728
        return len(f"{x}{x}!")
    for f in [comprehension, fstring]:
        try:
            print(f())
        except MemoryError as e:
            print("MemoryError:", e)
  `,
  'method values and method errors': py`
    import threading
    import random
    l = threading.Lock()
    f = l.acquire
    print(f())
    try:
        f()
    except RuntimeError as e:
        print("err", e)
    g = l.release
    g()
    print(l.locked())
    e = threading.Event()
    w = e.wait
    try:
        print(l.release())
    except Exception as ex:
        print(repr(ex))
    try:
        print(l.notify())
    except Exception as ex:
        print(repr(ex))
    try:
        print(l.acquire(1, 2, 3))
    except Exception as ex:
        print(repr(ex))
    try:
        print([1].append(1, 2))
    except Exception as ex:
        print(repr(ex))
    try:
        print([1].pop(k=1))
    except Exception as ex:
        print(repr(ex))
    try:
        print(e.wait(1, 2))
    except Exception as ex:
        print(repr(ex))
    try:
        print(w())
    except Exception as ex:
        print(repr(ex))
    try:
        print(e.set(1))
    except Exception as ex:
        print(repr(ex))
    try:
        print(random.randint(0, 1099511627776))
    except Exception as ex:
        print(repr(ex))
    try:
        print(random.choice([]))
    except Exception as ex:
        print(repr(ex))
    try:
        print(5())
    except Exception as ex:
        print(repr(ex))
    x = [1]
    h = x.append
    h(5)
    print(x, ", ".join(["a", "b"]), "-".join("xyz"))
    try:
        ", ".join([1])
    except TypeError as ex:
        print("err", ex)
  `,
  'tracebacks of raise, bare raise and re-raise': py`
    def g():
        assert False, "boom"
    def f():
        try:
            g()
        except AssertionError as e:
            raise e
    try:
        f()
    except Exception as e:
        print("caught", e)
    def h():
        try:
            raise ValueError("x")
        except ValueError:
            raise
    def k():
        try:
            h()
        finally:
            print("fin")
    k()
  `,
};

describe('the simulator and the hardware runtime agree', () => {
  for (const [name, source] of Object.entries(PROGRAMS)) {
    it(
      name,
      async () => {
        const p = compile(source);
        const sim = run(p);
        let out = '';
        const [trial] = await runOnHardware(p, {
          trials: 1,
          timeoutSeconds: 60,
          onOutput: (_, t) => (out += t),
        });
        expect(trial!.status).toBe('completed');
        expect(out).toBe(sim.out);
      },
      120_000,
    );
  }
  it('leaves no worker running', () => {
    expect(liveWorkers()).toBe(0);
  });
});
