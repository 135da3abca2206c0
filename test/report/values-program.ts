/**
 * A program whose globals hold every kind of value, and what its final globals are as reprs
 * and as JSON: shared by the API tests (typed-values.test.ts) and the CLI tests.
 */
import { py } from '../helpers.js';

/** A record with own properties in this order (a literal `__proto__:` would set the prototype). */
export function own<T>(entries: [string, T][]): Record<string, T> {
  const o: Record<string, T> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Every kind of value a global can hold, and two that are not data (a lock, a list of locks). */
export const VALUES_PROGRAM = py`
  import threading

  n = 42
  neg = -7
  big = 9007199254740991
  f = 1.5
  whole = 2.0
  inf = float('inf')
  ninf = float('-inf')
  nan = float('nan')
  s = 'héllo "q"'
  yes = True
  no = False
  nothing = None
  items = [1, 'a', None]
  pair = (1, 'two')
  empty = ()
  d = {'k': 1, 'j': [2]}
  di = {1: 'one', 2: 'two'}
  nested = [[1, 2], [3, [4, (5,)]]]
  lock = threading.Lock()
  locks = [lock]
  __proto__ = 5


  def worker():
      global n
      with lock:
          n += 1


  t = threading.Thread(target=worker)
  t.start()
  t.join()
`;

/** The repr of each data global of VALUES_PROGRAM (the lock, the list of locks and `t` left out). */
export const VALUES_REPRS: Record<string, string> = {
  n: '43',
  neg: '-7',
  big: '9007199254740991',
  f: '1.5',
  whole: '2.0',
  inf: 'inf',
  ninf: '-inf',
  nan: 'nan',
  s: `'héllo "q"'`,
  yes: 'True',
  no: 'False',
  nothing: 'None',
  items: "[1, 'a', None]",
  pair: "(1, 'two')",
  empty: '()',
  d: "{'k': 1, 'j': [2]}",
  di: "{1: 'one', 2: 'two'}",
  nested: '[[1, 2], [3, [4, (5,)]]]',
  // Computed: a plain `__proto__:` in a literal sets the prototype instead.
  ['__proto__']: '5',
};

/** VALUES_PROGRAM's data globals as JSON: what `run --json` prints as `globals`. */
export const VALUES_JSON: Record<string, unknown> = {
  n: 43,
  neg: -7,
  big: 9007199254740991,
  f: 1.5,
  whole: 2,
  inf: null,
  ninf: null,
  nan: null,
  s: 'héllo "q"',
  yes: true,
  no: false,
  nothing: null,
  items: [1, 'a', null],
  pair: [1, 'two'],
  empty: [],
  d: { k: 1, j: [2] },
  di: {
    dict: [
      [1, 'one'],
      [2, 'two'],
    ],
  },
  nested: [
    [1, 2],
    [3, [4, [5]]],
  ],
  ['__proto__']: 5,
};

/** The keys of `outcomeJson(...)`, in order: the outcome's, with `globalsRepr` after `globals`. */
export const OUTCOME_JSON_KEYS = [
  'status',
  'steps',
  'microOps',
  'boundReason',
  'globals',
  'globalsRepr',
  'exceptions',
  'deadlock',
  'lostUpdates',
  'schedule',
  'races',
  'unfinished',
  'violation',
];
