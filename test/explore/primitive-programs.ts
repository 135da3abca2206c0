/**
 * A generator of small threaded programs that use every synchronization primitive of the
 * language, for the differential soundness test (DPOR against plain enumeration).
 *
 * Each program has 2–3 worker threads of 1–3 statements, started (and sometimes joined) by
 * the main thread, which may also act between the starts and the joins. Statements draw on:
 * plain and `+=` accesses of globals, Lock (blocking, try, timed), RLock (re-entered),
 * Semaphore(n) and BoundedSemaphore(n) with n from 1 to 3 (a release before any acquire
 * included), Condition (wait, timed wait, wait_for, notify, notify_all), Event (pre-set or
 * not; set, clear, wait, timed wait, is_set), join with and without a timeout, a thread
 * started by a worker, daemon threads left running when the main thread ends, `random`
 * choices, and list and dict accesses (append, pop, index, len, get, setdefault, a `del` that
 * may raise, reads through `d.keys()` and `d.items()`).
 *
 * Every value a statement computes is stored in a global of its own (`r<n>`), so that the
 * final globals tell executions apart wherever the primitive returned something different.
 */
import fc from 'fast-check';

/** One statement as a function of a fresh result name and the indent of its body lines. */
type Statement = (r: string, ind: string) => string;

const plain: Statement[] = [
  () => 'x = x + 1',
  (r) => `${r} = x`,
  () => 'y = 2',
  (r) => `${r} = y`,
  () => 'x += 1',
];

const lock: Statement[] = [
  (_r, i) => `with lk:\n${i}    x += 1`,
  (r, i) => `${r} = lk.acquire(blocking=False)\n${i}if ${r}:\n${i}    y = x\n${i}    lk.release()`,
  (r, i) => `${r} = lk.acquire(timeout=0.5)\n${i}if ${r}:\n${i}    x = 7\n${i}    lk.release()`,
  (r) => `${r} = lk.locked()`,
  (_r, i) => `with rl:\n${i}    with rl:\n${i}        y = y + 1`,
  (r, i) => `${r} = rl.acquire(timeout=0.5)\n${i}if ${r}:\n${i}    rl.release()`,
];

const semaphore: Statement[] = [
  (_r, i) => `with sem:\n${i}    x = x + 1\n${i}    x = x - 1`,
  (r, i) => `with sem:\n${i}    ${r} = x`,
  (r, i) => `with sem:\n${i}    ${r} = x\n${i}    y = 1`,
  () => 'sem.release()',
  (r, i) => `${r} = sem.acquire(blocking=False)\n${i}if ${r}:\n${i}    y = 3\n${i}    sem.release()`,
  (r) => `${r} = sem.acquire(timeout=0.5)`,
];

const condition: Statement[] = [
  (_r, i) => `with cv:\n${i}    x = 1\n${i}    cv.notify()`,
  (_r, i) => `with cv:\n${i}    cv.notify_all()`,
  (r, i) => `with cv:\n${i}    ${r} = cv.wait(0.5)`,
  (r, i) => `with cv:\n${i}    ${r} = cv.wait_for(ready, 0.5)`,
  (r, i) => `with cv:\n${i}    if x == 0:\n${i}        ${r} = cv.wait()`,
];

const event: Statement[] = [
  () => 'ev.set()',
  () => 'ev.clear()',
  (r) => `${r} = ev.wait(0.5)`,
  (r) => `${r} = ev.is_set()`,
  (_r, i) => `if ev.wait(0.5):\n${i}    y = x`,
  () => 'ev.wait()',
];

const containers: Statement[] = [
  () => 'a.append(1)',
  (r) => `${r} = len(a)`,
  () => 'a[0] += 1',
  (r, i) => `if len(a) > 2:\n${i}    ${r} = a.pop()`,
  () => "d['k'] = x",
  (r) => `${r} = d.get('k', 0)`,
  (r) => `${r} = d.setdefault('j', y)`,
  (r) => `${r} = random.randint(0, 1)`,
  (r, i) => `try:\n${i}    del d['j']\n${i}except KeyError:\n${i}    ${r} = 'ke'`,
  (r) => `${r} = len(d.keys())`,
  (r) => `${r} = list(d.items())`,
];

/** The statement pools, and the prelude line each needs. */
const POOLS: { name: string; statements: Statement[] }[] = [
  { name: 'plain', statements: plain },
  { name: 'lock', statements: lock },
  { name: 'semaphore', statements: semaphore },
  { name: 'condition', statements: condition },
  { name: 'event', statements: event },
  { name: 'containers', statements: containers },
];

interface Shape {
  /** Pools every thread draws from (one or two of them, plus plain accesses). */
  pools: number[];
  threads: { statements: [number, number][]; daemon: boolean }[];
  /** Main's own statements between the starts and the joins. */
  main: [number, number][];
  semKind: 'Semaphore' | 'BoundedSemaphore';
  semCount: number;
  eventSet: boolean;
  /** How main joins each non-daemon thread: plain, with a timeout, or not at all. */
  joins: ('join' | 'timed' | 'none')[];
  /** Thread 1 is started by thread 0 instead of by main. */
  nestedStart: boolean;
}

const pick = (pools: number[]): fc.Arbitrary<[number, number]> =>
  fc
    .constantFrom(0, ...pools)
    .chain((p) => fc.tuple(fc.constant(p), fc.nat({ max: POOLS[p]!.statements.length - 1 })));

/**
 * Statements in all, at most: a program of two threads of one statement each is small enough
 * for plain enumeration; one of four statements is for the stateful oracle.
 */

const shape = (budget: fc.Arbitrary<number>, threads: number): fc.Arbitrary<Shape> =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: POOLS.length - 1 }), { minLength: 1, maxLength: 2 })
    .chain((pools) =>
      fc.record({
        pools: fc.constant(pools),
        threads: fc.array(
          fc.record({
            statements: fc.array(pick(pools), { minLength: 1, maxLength: 2 }),
            daemon: fc.constantFrom(false, false, true),
          }),
          { minLength: 2, maxLength: threads },
        ),
        main: fc.array(pick(pools), { maxLength: 1 }),
        semKind: fc.constantFrom('Semaphore' as const, 'BoundedSemaphore' as const),
        semCount: fc.integer({ min: 1, max: 3 }),
        eventSet: fc.boolean(),
        joins: fc.array(
          fc.constantFrom('join' as const, 'join' as const, 'timed' as const, 'none' as const),
          {
            minLength: 3,
            maxLength: 3,
          },
        ),
        nestedStart: fc.boolean(),
        budget,
      }),
    )
    .map(({ budget, ...s }) => {
      // Trim the statements to the budget (main's first, then the last threads': each keeps one).
      const main = s.main.slice(0, Math.max(0, budget - s.threads.length));
      let room = budget - main.length;
      const threads = s.threads.map((t, i) => {
        const keep = Math.max(1, Math.min(t.statements.length, room - (s.threads.length - 1 - i)));
        room -= keep;
        return { ...t, statements: t.statements.slice(0, keep) };
      });
      return { ...s, main, threads };
    });

/** The Python text of a shape. */
export function render(s: Shape): string {
  let next = 0;
  const stmt = ([p, k]: [number, number], ind: string): string => POOLS[p]!.statements[k]!(`r${next++}`, ind);
  const results: string[] = [];
  const lines: string[] = [
    'import threading',
    'import random',
    'lk = threading.Lock()',
    'rl = threading.RLock()',
    `sem = threading.${s.semKind}(${s.semCount})`,
    'cv = threading.Condition()',
    'ev = threading.Event()',
    ...(s.eventSet ? ['ev.set()'] : []),
    'a = [0, 0]',
    'd = {}',
    'x = 0',
    'y = 0',
    '',
    'def ready():',
    '    return x > 0',
    '',
  ];
  const bodies = s.threads.map((t) => t.statements.map((st) => stmt(st, '    ')));
  const mainBody = s.main.map((st) => stmt(st, '    '));
  for (let i = 0; i < next; i++) results.push(`r${i}`);
  const globals = ['x', 'y', ...(s.nestedStart ? ['h1'] : []), ...results].join(', ');
  bodies.forEach((body, i) => {
    lines.push(`def t${i}():`, `    global ${globals}`);
    if (i === 0 && s.nestedStart) lines.push('    h1.start()');
    lines.push(...body.map((b) => `    ${b}`), '');
  });
  lines.push('def main():', `    global ${globals}`);
  s.threads.forEach((t, i) =>
    lines.push(`    h${i} = threading.Thread(target=t${i}${t.daemon ? ', daemon=True' : ''})`),
  );
  s.threads.forEach((_, i) => {
    if (!(i === 1 && s.nestedStart)) lines.push(`    h${i}.start()`);
  });
  lines.push(...mainBody.map((b) => `    ${b}`));
  s.threads.forEach((t, i) => {
    const how = s.joins[i]!;
    // A nested start may not have happened yet: joining it could raise. Join it only after t0.
    if (t.daemon || how === 'none') return;
    if (i === 1 && s.nestedStart && s.joins[0] !== 'join') return;
    lines.push(how === 'timed' ? `    h${i}.join(0.5)` : `    h${i}.join()`);
  });
  lines.push('', 'main()', '');
  return lines.join('\n');
}

/**
 * Programs of the generator, as Python source text: 2–3 threads and 2–4 statements in all
 * (small enough for the stateful search, not always for plain enumeration).
 */
export const primitivePrograms: fc.Arbitrary<string> = shape(fc.constantFrom(2, 3, 4), 3).map(render);

/** Programs of two threads of one statement each: small enough for plain enumeration. */
export const smallPrimitivePrograms: fc.Arbitrary<string> = shape(fc.constant(2), 2).map(render);
