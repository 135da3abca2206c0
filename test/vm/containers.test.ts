/**
 * Lists, tuples, strings and dicts against CPython 3.11 (every expected line below was printed
 * by `python3` on the same program), and the simulator's size caps.
 */
import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../src/explore/explore.js';
import { compile, py, run } from '../helpers.js';

// These tests build values near the size caps: the work bound (maxOps) must not stop them first.
const NO_WORK_BOUND = 1e15;

function output(source: string, analyses = true): string {
  return run(source, { analyses, maxOps: NO_WORK_BOUND }).out;
}

function error(source: string): string {
  const lines = run(source, { maxOps: NO_WORK_BOUND }).out.trimEnd().split('\n');
  return lines[lines.length - 1]!;
}

describe('augmented assignment on a list is in place', () => {
  it('extends (+=) and repeats (*=) the same object, through every name bound to it', () => {
    expect(
      output(py`
        x = [1]
        y = x
        x += [2]
        print(y, x is y)
        d = {"k": [1]}
        z = d["k"]
        d["k"] += [2]
        print(z, d)
        x += (3, 4)
        x += "ab"
        x += range(2)
        print(y)
        x *= 2
        print(len(y), y[-1])
        x *= 0
        print(y, x)
        t = (1,)
        u = t
        t += (2,)
        print(t, u)
        s = "a"
        s2 = s
        s += "b"
        print(s, s2)
        w = [1, 2]
        w += w
        print(w)
        `),
    ).toBe(
      '[1, 2] True\n' +
        "[1, 2] {'k': [1, 2]}\n" +
        "[1, 2, 3, 4, 'a', 'b', 0, 1]\n" +
        '16 1\n' +
        '[] []\n' +
        '(1, 2) (1,)\n' +
        'ab a\n' +
        '[1, 2, 1, 2]\n',
    );
  });

  it("keeps CPython's TypeErrors", () => {
    const cases: [string, string][] = [
      ['w = [1]\nw += 5\n', "'int' object is not iterable"],
      ['w = [1]\nw *= 2.0\n', "can't multiply sequence by non-int of type 'float'"],
      ['w = [1]\nw -= [1]\n', "unsupported operand type(s) for -=: 'list' and 'list'"],
      ['t = (1,)\nt += [1]\n', 'can only concatenate tuple (not "list") to tuple'],
      ['s = "a"\ns += 1\n', 'can only concatenate str (not "int") to str'],
      ['c = 1\nc -= "a"\n', "unsupported operand type(s) for -=: 'int' and 'str'"],
    ];
    for (const [source, message] of cases) expect(error(source)).toBe(`TypeError: ${message}`);
  });

  it('extends a global list shared by threads without losing an item', () => {
    const source = py`
      import threading
      items = []
      def work(n):
          global items
          for i in range(3):
              items += [n]
      ts = [threading.Thread(target=work, args=(k,)) for k in range(2)]
      for t in ts:
          t.start()
      for t in ts:
          t.join()
      print(len(items), sorted(items))
      `;
    for (let seed = 0; seed < 10; seed++)
      expect(run(source, { scheduler: 'uniform', seed }).stdout).toBe('6 [0, 0, 0, 1, 1, 1]\n');
  });

  it('is a write of the list: exhaustive search orders two threads extending it both ways', () => {
    const program = compile(py`
      import threading
      items = []
      def work(k):
          mine = items
          mine += [k]
      t1 = threading.Thread(target=work, args=(1,))
      t2 = threading.Thread(target=work, args=(2,))
      t1.start()
      t2.start()
      t1.join()
      t2.join()
      `);
    const r = exploreProgram(program, { strategy: 'exhaustive' });
    expect(r.complete).toBe(true);
    expect(r.table.entries.map((e) => e.state.globals.items).sort()).toEqual(['[1, 2]', '[2, 1]']);
  });
});

describe('large sequences', () => {
  it('repeats, concatenates and extends 200,000 items (no spread call on the JS stack)', () => {
    expect(
      output(py`
        x = [0] * 200000 * 2
        y = []
        y.extend(x)
        t = (0,) * 200000 * 2
        z = x + x
        u = t + t
        v = list(x)
        v += x
        w = [0] * 200000
        w *= 3
        print(len(x), len(y), len(t), len(z), len(u), len(v), len(w))
        `),
    ).toBe('400000 400000 400000 800000 800000 800000 600000\n');
  });

  it('refuses a string beyond 2**28 characters with MemoryError instead of crashing', () => {
    expect(
      error(py`
        def f():
            s = "a"
            while True:
                s = s + s
        f()
        `),
    ).toBe('MemoryError: concatenated string is too long: the simulator caps strings at 2**28 characters');
    expect(error('s = "ab" * 134217729\n')).toBe(
      'MemoryError: repeated string is too long: the simulator caps strings at 2**28 characters',
    );
  });

  it('refuses a list or tuple beyond 2**24 items', () => {
    expect(error('x = [1, 2] * 8388609\n')).toBe(
      'MemoryError: repeated sequence is too long: the simulator caps lists and tuples at 2**24 items',
    );
    expect(error('x = (0,) * 16777217\n')).toBe(
      'MemoryError: repeated sequence is too long: the simulator caps lists and tuples at 2**24 items',
    );
    expect(
      output(py`
        def double(s):
            while True:
                s = s * 2
        x = [0] * 8388609
        t = tuple(x)
        for op in range(5):
            try:
                if op == 0:
                    double(x)
                elif op == 1:
                    y = x + x
                elif op == 2:
                    x.extend(x)
                elif op == 3:
                    x += x
                else:
                    u = t + t
            except MemoryError as e:
                print(e)
        print(len(x))
        `),
    ).toBe(
      'repeated sequence is too long: the simulator caps lists and tuples at 2**24 items\n' +
        'list is too long: the simulator caps lists and tuples at 2**24 items\n'.repeat(3) +
        'tuple is too long: the simulator caps lists and tuples at 2**24 items\n' +
        '8388609\n',
    );
  });
});

describe('dict keys', () => {
  it('hashes a tuple nested 100,000 deep, as CPython does', () => {
    expect(
      output(
        py`
          def f():
              x = ()
              for i in range(100000):
                  x = (x,)
              return x
          k = f()
          d = {}
          d[k] = 1
          print(k in d, d[k], len(d))
          k = None
          d = None
          `,
        false,
      ),
    ).toBe('True 1 1\n');
  });

  it('tells equal nested tuples apart from different ones, in time linear in their size', () => {
    expect(
      output(py`
        d = {((1,), "a"): 1, ((1, 2),): 2, (((),),): 3, ("(1)",): 4, ((1.0, True), 2): 5}
        print(d[((1,), "a")], d[((1, 2),)], d[(((),),)], d[("(1)",)], d[((1, 1), 2.0)], ((1,),) in d, (("(1)",),) in d)
        x = ()
        for i in range(40):
            x = (x, "q")
        d[x] = 6
        y = ()
        for i in range(40):
            y = (y, "q")
        print(d[y])
        `),
    ).toBe('1 2 3 4 5 False False\n6\n');
  });

  it('keys equal ranges together', () => {
    expect(
      output('d = {range(3): 1}\nprint(d[range(0, 3, 1)], range(1, 2, 5) in {range(1, 3, 7): 0})\n'),
    ).toBe('1 True\n');
  });
});

describe('range membership', () => {
  it('finds ints, bools and integral floats without listing the range', () => {
    expect(
      output(py`
        print(True in range(2), 1.0 in range(3), 1.5 in range(3), "a" in range(3), float("nan") in range(3), 2.0 in range(0, 10, 2), 3.0 in range(0, 10, 2), False in range(1, 3), True in range(0, 100000000))
        `),
    ).toBe('True True False False False True False False True\n');
  });
});

describe('self-containing lists', () => {
  it('print as [[...]] and compare equal to themselves', () => {
    expect(
      output(py`
        x = []
        x.append(x)
        print(x, x == x, x in x, x.count(x), x.index(x))
        `),
    ).toBe('[[...]] True True 1 0\n');
  });
});
