/**
 * fast-check over programs: an Arbitrary of small, valid thread programs in the language of
 * docs/LANGUAGE.md, as source text. It is the generator of the project's own differential tests
 * (DPOR against plain enumeration and against the stateful search, test/explore/soundness*.ts),
 * promoted so that a user can test a property of their own over many programs.
 *
 * A program has a few worker threads started by the main thread (which may act between the
 * starts and the joins) and joined by it; each runs a few statements over the shared globals
 * `x` and `y` and the synchronization objects of the primitives it draws on. Every value a
 * statement computes is stored in a global of its own (`r0`, `r1`, ...), so that the final
 * globals tell executions apart wherever a primitive returned something different.
 *
 * The value is generated as a structure (threads → statements → syntax) and rendered to text,
 * so fast-check shrinks the structure: fewer threads, fewer statements, and within each choice
 * the simpler statement first (a plain access before a primitive, `x = 0` first of all).
 */
import fc from 'fast-check';

/**
 * What a statement exercises. `plain`: reads, writes, `+=` and `if` over `x` and `y`; `lock`:
 * Lock (with-block, try-acquire, timed acquire, `locked()`); `rlock`: RLock re-entered;
 * `semaphore`: Semaphore(n) or BoundedSemaphore(n), n from 1 to 3 (a release before any
 * acquire included); `condition`: Condition (wait, timed wait, wait_for, notify, notify_all);
 * `event`: Event (pre-set or not; set, clear, wait, timed wait, is_set); `containers`: list and
 * dict accesses (append, pop, index, len, get, setdefault, a `del` that may raise, `keys()`,
 * `items()`); `random`: `random.randint` and `random.choice`; `join`: the threads' lifecycle
 * (a timed join or none, daemon threads left running, a thread started by another thread).
 */
export type ThreadPrimitive =
  | 'plain'
  | 'lock'
  | 'rlock'
  | 'semaphore'
  | 'condition'
  | 'event'
  | 'containers'
  | 'random'
  | 'join';

/** Every primitive, in the order statements shrink toward (plain first). */
export const THREAD_PRIMITIVES: readonly ThreadPrimitive[] = [
  'plain',
  'lock',
  'rlock',
  'semaphore',
  'condition',
  'event',
  'containers',
  'random',
  'join',
];

/** One node of a statement's syntax; the bodies of compound nodes are statements again. */
export type StatementNode =
  | { readonly kind: 'line'; readonly code: string }
  | { readonly kind: 'if'; readonly test: string; readonly body: readonly ThreadStatement[] }
  | { readonly kind: 'with'; readonly object: string; readonly body: readonly ThreadStatement[] }
  | {
      readonly kind: 'try';
      readonly body: readonly ThreadStatement[];
      readonly except: string;
      readonly handler: readonly ThreadStatement[];
    };

/** One statement of a thread: the primitive it exercises and its syntax (a try-acquire is an assignment and an `if`). */
export interface ThreadStatement {
  readonly primitive: ThreadPrimitive;
  readonly nodes: readonly StatementNode[];
}

/** A worker thread: function `t<i>`, started as `h<i>` by main. */
export interface WorkerModel {
  readonly body: readonly ThreadStatement[];
  /** Started with `daemon=True`: never joined, dropped if still running when the program ends. */
  readonly daemon: boolean;
  /** How main joins it: `h.join()`, `h.join(0.5)`, or not at all. */
  readonly join: 'join' | 'timed' | 'none';
}

/** A generated program as a structure: `renderThreadProgram` gives its text. */
export interface ThreadProgramModel {
  readonly workers: readonly WorkerModel[];
  /** Main's own statements, between the starts and the joins. */
  readonly main: readonly ThreadStatement[];
  /** Worker 1 is started by worker 0 (first thing in `t0`) instead of by main. */
  readonly nestedStart: boolean;
  /** The semaphore `sem`, when a statement uses it. */
  readonly semaphore: { readonly bounded: boolean; readonly value: number };
  /** The event `ev` is set before the threads start. */
  readonly eventSet: boolean;
  /** The result globals (`r0`, ...) the statements store to, declared global in every function. */
  readonly results: readonly string[];
}

/** An inclusive range of counts. */
export interface CountRange {
  min?: number;
  max?: number;
}

export interface ThreadProgramOptions {
  /** Worker threads (main not counted): default 2–3. */
  threads?: CountRange;
  /** Statements of each worker: default 1–3 (with 0, an empty worker is `pass`). */
  statements?: CountRange;
  /** Statements main runs between starting and joining its workers: default 0–1. */
  mainStatements?: CountRange;
  /**
   * A cap on the statements of all workers and main together, drawn from `min` (default `max`)
   * to `max`: main's statements are dropped first, then the last workers' (each worker keeps
   * `statements.min`). Default: no cap.
   */
  totalStatements?: { min?: number; max: number };
  /**
   * The primitives statements draw on (default all of THREAD_PRIMITIVES). At least one other
   * than `join` is needed. The bodies of with-blocks and ifs read and write `x` and `y`
   * whichever primitives are given.
   */
  primitives?: readonly ThreadPrimitive[];
  /**
   * Each program draws its statements from `plain` (when given) and from 1 to this many of the
   * other primitives (default 2), so that the statements of one program meet on the same
   * objects.
   */
  primitivesPerProgram?: number;
  /** Main joins its (non-daemon) workers at its end (default true). */
  join?: boolean;
}

/** Placeholder for a statement's result global in the templates below, numbered by `numberResults`. */
const R = '$r';

const line = (code: string): StatementNode => ({ kind: 'line', code });
const stmt = (primitive: ThreadPrimitive, ...nodes: StatementNode[]): ThreadStatement => ({
  primitive,
  nodes,
});
const ifNode = (test: string, ...body: ThreadStatement[]): StatementNode => ({ kind: 'if', test, body });
const withNode = (object: string, ...body: ThreadStatement[]): StatementNode => ({
  kind: 'with',
  object,
  body,
});
const plain = (code: string): ThreadStatement => stmt('plain', line(code));

const variable = fc.constantFrom('x', 'y');
const value = fc.oneof(
  { withCrossShrink: true },
  fc.integer({ min: 0, max: 3 }).map(String),
  fc.constantFrom('x', 'y', 'x + 1', 'y + 1', 'x - 1', 'x + y'),
);

/** Reads, writes, `+=` and a conditional write of the shared `x` and `y`. */
const plainStatement: fc.Arbitrary<ThreadStatement> = fc.oneof(
  { withCrossShrink: true },
  fc.tuple(variable, value).map(([v, e]) => plain(`${v} = ${e}`)),
  variable.map((v) => plain(`${R} = ${v}`)),
  variable.map((v) => plain(`${v} += 1`)),
  fc
    .tuple(variable, fc.integer({ min: 0, max: 2 }), variable)
    .map(([c, k, v]) => stmt('plain', ifNode(`${c} == ${k}`, plain(`${v} = ${k + 1}`)))),
);

/**
 * Arrays of `min` to `max` items that shrink by dropping any item. fast-check's own `minLength`
 * cannot drop the last item of `[needed, other]` (it drops leading items, and the rest of the
 * array keeps the minimum length), so the minimum is a filter over arrays that may be empty.
 */
function list<T>(item: fc.Arbitrary<T>, min: number, max: number): fc.Arbitrary<T[]> {
  if (min === 0 || min === max) return fc.array(item, { minLength: min, maxLength: max });
  return fc.array(item, { maxLength: max }).filter((items) => items.length >= min);
}

const plainBody = (min: number, max: number): fc.Arbitrary<ThreadStatement[]> =>
  list(plainStatement, min, max);

/** `r = o.acquire(args)`, and when it succeeded: `body`, then `o.release()`. */
const guardedAcquire = (primitive: ThreadPrimitive, object: string, args: string) =>
  plainBody(0, 1).map((body) =>
    stmt(
      primitive,
      line(`${R} = ${object}.acquire(${args})`),
      ifNode(R, ...body, stmt(primitive, line(`${object}.release()`))),
    ),
  );

const tryLock = guardedAcquire('lock', 'lk', 'blocking=False');

const lockStatement: fc.Arbitrary<ThreadStatement> = fc.oneof(
  { withCrossShrink: true },
  // A try-acquire inside the with-block tries the lock its own thread holds.
  list(
    fc.oneof(
      { withCrossShrink: true },
      { arbitrary: plainStatement, weight: 3 },
      { arbitrary: tryLock, weight: 1 },
    ),
    1,
    2,
  ).map((body) => stmt('lock', withNode('lk', ...body))),
  tryLock,
  guardedAcquire('lock', 'lk', 'timeout=0.5'),
  fc.constant(stmt('lock', line(`${R} = lk.locked()`))),
);

const rlockStatement: fc.Arbitrary<ThreadStatement> = fc.oneof(
  { withCrossShrink: true },
  plainBody(1, 1).map((body) => stmt('rlock', withNode('rl', stmt('rlock', withNode('rl', ...body))))),
  guardedAcquire('rlock', 'rl', 'timeout=0.5'),
);

const semaphoreStatement: fc.Arbitrary<ThreadStatement> = fc.oneof(
  { withCrossShrink: true },
  plainBody(1, 2).map((body) => stmt('semaphore', withNode('sem', ...body))),
  fc.constant(stmt('semaphore', line('sem.release()'))),
  guardedAcquire('semaphore', 'sem', 'blocking=False'),
  fc.constant(stmt('semaphore', line(`${R} = sem.acquire(timeout=0.5)`))),
);

const condition = (...body: ThreadStatement[]): ThreadStatement => stmt('condition', withNode('cv', ...body));
const cv = (code: string): ThreadStatement => stmt('condition', line(code));
const conditionStatement: fc.Arbitrary<ThreadStatement> = fc.constantFrom(
  condition(plain('x = 1'), cv('cv.notify()')),
  condition(cv('cv.notify_all()')),
  condition(cv(`${R} = cv.wait(0.5)`)),
  condition(cv(`${R} = cv.wait_for(ready, 0.5)`)),
  condition(stmt('plain', ifNode('x == 0', cv(`${R} = cv.wait()`)))),
);

const ev = (code: string): ThreadStatement => stmt('event', line(code));
const eventStatement: fc.Arbitrary<ThreadStatement> = fc.constantFrom(
  ev('ev.set()'),
  ev('ev.clear()'),
  ev(`${R} = ev.wait(0.5)`),
  ev(`${R} = ev.is_set()`),
  stmt('event', ifNode('ev.wait(0.5)', plain('y = x'))),
  ev('ev.wait()'),
);

const co = (code: string): ThreadStatement => stmt('containers', line(code));
const containerStatement: fc.Arbitrary<ThreadStatement> = fc.constantFrom(
  co('a.append(1)'),
  co(`${R} = len(a)`),
  co('a[0] += 1'),
  stmt('containers', ifNode('len(a) > 2', co(`${R} = a.pop()`))),
  co("d['k'] = x"),
  co(`${R} = d.get('k', 0)`),
  co(`${R} = d.setdefault('j', y)`),
  stmt('containers', {
    kind: 'try',
    body: [co("del d['j']")],
    except: 'KeyError',
    handler: [co(`${R} = 'ke'`)],
  }),
  co(`${R} = len(d.keys())`),
  co(`${R} = list(d.items())`),
);

const randomStatement: fc.Arbitrary<ThreadStatement> = fc.constantFrom(
  stmt('random', line(`${R} = random.randint(0, 1)`)),
  stmt('random', line(`${R} = random.choice([x, y])`)),
);

/** The statements of each primitive but `join`, which shapes the threads instead. */
const POOLS: Readonly<Record<Exclude<ThreadPrimitive, 'join'>, fc.Arbitrary<ThreadStatement>>> = {
  plain: plainStatement,
  lock: lockStatement,
  rlock: rlockStatement,
  semaphore: semaphoreStatement,
  condition: conditionStatement,
  event: eventStatement,
  containers: containerStatement,
  random: randomStatement,
};

/** A range of counts with its defaults, checked. */
function range(name: string, given: CountRange | undefined, min: number, max: number): [number, number] {
  const lo = given?.min ?? Math.min(min, given?.max ?? min);
  const hi = given?.max ?? Math.max(max, lo);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo)
    throw new RangeError(
      `threadProgram: ${name} must be whole numbers with 0 <= min <= max (got ${lo}–${hi})`,
    );
  return [lo, hi];
}

/** The raw structure fast-check generates and shrinks: before the budget and the result names. */
interface RawProgram {
  workers: WorkerModel[];
  main: ThreadStatement[];
  nestedStart: boolean;
  semaphore: { bounded: boolean; value: number };
  eventSet: boolean;
  budget: number;
}

/**
 * The Arbitrary of program structures behind `threadProgram` (same options): what was
 * generated, as data; `renderThreadProgram` turns a value into the source text.
 */
export function threadProgramModel(options: ThreadProgramOptions = {}): fc.Arbitrary<ThreadProgramModel> {
  const [threadsMin, threadsMax] = range('threads', options.threads, 2, 3);
  if (threadsMin < 1) throw new RangeError('threadProgram: threads.min must be at least 1');
  const [statementsMin, statementsMax] = range('statements', options.statements, 1, 3);
  const [mainMin, mainMax] = range('mainStatements', options.mainStatements, 0, 1);
  const total = options.totalStatements;
  const [budgetMin, budgetMax] =
    total === undefined ? [Infinity, Infinity] : range('totalStatements', total, total.max, total.max);
  const primitives = options.primitives ?? THREAD_PRIMITIVES;
  for (const p of primitives)
    if (!THREAD_PRIMITIVES.includes(p))
      throw new RangeError(
        `threadProgram: unknown primitive '${String(p)}' (known: ${THREAD_PRIMITIVES.join(', ')})`,
      );
  const perProgram = options.primitivesPerProgram ?? 2;
  if (!Number.isInteger(perProgram) || perProgram < 1)
    throw new RangeError(
      `threadProgram: primitivesPerProgram must be a whole number >= 1 (got ${perProgram})`,
    );
  const lifecycle = primitives.includes('join');
  const join = options.join ?? true;
  const others = THREAD_PRIMITIVES.filter(
    (p): p is Exclude<ThreadPrimitive, 'join' | 'plain'> =>
      p !== 'plain' && p !== 'join' && primitives.includes(p),
  );
  const withPlain = primitives.includes('plain');
  if (!withPlain && others.length === 0)
    throw new RangeError("threadProgram: primitives must name one other than 'join'");

  // The primitives of one program. Not shrunk: through `chain`, a shrunk selection would draw a
  // whole new program, not a smaller one; statements shrink toward plain ones anyway.
  const selection: fc.Arbitrary<Exclude<ThreadPrimitive, 'join' | 'plain'>[]> =
    others.length === 0
      ? fc.constant([])
      : fc.noShrink(
          fc.uniqueArray(fc.constantFrom(...others), {
            minLength: 1,
            maxLength: Math.min(perProgram, others.length),
          }),
        );
  const joinKind: fc.Arbitrary<WorkerModel['join']> = !join
    ? fc.constant('none')
    : lifecycle
      ? fc.constantFrom('join', 'join', 'timed', 'none')
      : fc.constant('join');

  const raw: fc.Arbitrary<RawProgram> = selection.chain((selected) => {
    const pools = [...(withPlain ? [POOLS.plain] : []), ...selected.map((p) => POOLS[p])];
    const statement = fc.oneof({ withCrossShrink: true }, ...pools);
    return fc.record({
      workers: list(
        fc.record({
          body: list(statement, statementsMin, statementsMax),
          daemon: lifecycle ? fc.constantFrom(false, false, true) : fc.constant(false),
          join: joinKind,
        }),
        threadsMin,
        threadsMax,
      ),
      main: list(statement, mainMin, mainMax),
      nestedStart: lifecycle ? fc.boolean() : fc.constant(false),
      semaphore: fc.record({ bounded: fc.boolean(), value: fc.integer({ min: 1, max: 3 }) }),
      eventSet: fc.boolean(),
      budget: budgetMin === Infinity ? fc.constant(Infinity) : fc.integer({ min: budgetMin, max: budgetMax }),
    });
  });
  return raw.map((r) => numberResults(trim(r, statementsMin)));
}

/** The program cut to its budget: main's statements first, then the last workers'. */
function trim(r: RawProgram, keepEach: number): Omit<RawProgram, 'budget'> {
  const { budget, ...program } = r;
  const nestedStart = program.nestedStart && program.workers.length >= 2;
  if (budget === Infinity) return { ...program, nestedStart };
  const kept = (n: number) => Math.min(n, keepEach);
  const floor = program.workers.reduce((sum, w) => sum + kept(w.body.length), 0);
  const main = program.main.slice(0, Math.max(0, budget - floor));
  let room = budget - main.length;
  const workers = program.workers.map((w, i) => {
    const after = program.workers.slice(i + 1).reduce((sum, v) => sum + kept(v.body.length), 0);
    const keep = Math.max(kept(w.body.length), Math.min(w.body.length, room - after));
    room -= keep;
    return { ...w, body: w.body.slice(0, keep) };
  });
  return { ...program, main, workers, nestedStart };
}

/** Each statement that stores a result gets the next name, r0, r1, ...: workers in order, then main. */
function numberResults(r: Omit<RawProgram, 'budget'>): ThreadProgramModel {
  const results: string[] = [];
  const own = (n: StatementNode): string[] =>
    n.kind === 'line' ? [n.code] : n.kind === 'if' ? [n.test] : n.kind === 'try' ? [n.except] : [];
  const number = (s: ThreadStatement): ThreadStatement => {
    const uses = s.nodes.some((n) => own(n).some((t) => t.includes(R)));
    const name = uses ? `r${results.length}` : '';
    if (uses) results.push(name);
    const sub = (t: string): string => t.split(R).join(name);
    const nodes = s.nodes.map((n): StatementNode => {
      switch (n.kind) {
        case 'line':
          return line(sub(n.code));
        case 'if':
          return { kind: 'if', test: sub(n.test), body: n.body.map(number) };
        case 'with':
          return { kind: 'with', object: n.object, body: n.body.map(number) };
        case 'try':
          return {
            kind: 'try',
            body: n.body.map(number),
            except: sub(n.except),
            handler: n.handler.map(number),
          };
      }
    });
    return { primitive: s.primitive, nodes };
  };
  const workers = r.workers.map((w) => ({ ...w, body: w.body.map(number) }));
  const main = r.main.map(number);
  return { ...r, workers, main, results };
}

/** The primitives a program's statements use, nested ones included. */
function primitivesOf(m: ThreadProgramModel): Set<ThreadPrimitive> {
  const used = new Set<ThreadPrimitive>();
  const visit = (s: ThreadStatement): void => {
    used.add(s.primitive);
    for (const n of s.nodes) {
      if (n.kind === 'if' || n.kind === 'with' || n.kind === 'try') n.body.forEach(visit);
      if (n.kind === 'try') n.handler.forEach(visit);
    }
  };
  for (const w of m.workers) w.body.forEach(visit);
  m.main.forEach(visit);
  return used;
}

/** The lines of `statements` at indent `ind` (`pass` for none). */
function renderStatements(statements: readonly ThreadStatement[], ind: string): string[] {
  if (statements.length === 0) return [`${ind}pass`];
  const out: string[] = [];
  const inner = `${ind}    `;
  for (const s of statements)
    for (const n of s.nodes) {
      switch (n.kind) {
        case 'line':
          out.push(`${ind}${n.code}`);
          break;
        case 'if':
          out.push(`${ind}if ${n.test}:`, ...renderStatements(n.body, inner));
          break;
        case 'with':
          out.push(`${ind}with ${n.object}:`, ...renderStatements(n.body, inner));
          break;
        case 'try':
          out.push(
            `${ind}try:`,
            ...renderStatements(n.body, inner),
            `${ind}except ${n.except}:`,
            ...renderStatements(n.handler, inner),
          );
          break;
      }
    }
  return out;
}

/**
 * The Python source of a program structure: the imports and objects its statements use, the
 * globals `x = 0` and `y = 0`, one function `t<i>` per worker, and `main()`, which creates the
 * workers as `h<i>`, starts them, runs its own statements and joins them.
 */
export function renderThreadProgram(m: ThreadProgramModel): string {
  const used = primitivesOf(m);
  const lines = ['import threading'];
  if (used.has('random')) lines.push('import random');
  if (used.has('lock')) lines.push('lk = threading.Lock()');
  if (used.has('rlock')) lines.push('rl = threading.RLock()');
  if (used.has('semaphore'))
    lines.push(
      `sem = threading.${m.semaphore.bounded ? 'BoundedSemaphore' : 'Semaphore'}(${m.semaphore.value})`,
    );
  if (used.has('condition')) lines.push('cv = threading.Condition()');
  if (used.has('event')) lines.push('ev = threading.Event()', ...(m.eventSet ? ['ev.set()'] : []));
  if (used.has('containers')) lines.push('a = [0, 0]', 'd = {}');
  lines.push('x = 0', 'y = 0', '');
  const nested = m.nestedStart && m.workers.length >= 2;
  const globals = `    global ${['x', 'y', ...(nested ? ['h1'] : []), ...m.results].join(', ')}`;
  const bodies = m.workers.map((w) => renderStatements(w.body, '    '));
  const mainBody = m.main.length > 0 ? renderStatements(m.main, '    ') : [];
  // The predicate of `cv.wait_for(ready, ...)`.
  if ([...bodies, mainBody].some((b) => b.some((l) => /\bready\b/.test(l))))
    lines.push('def ready():', '    return x > 0', '');
  bodies.forEach((body, i) => {
    lines.push(`def t${i}():`, globals);
    if (i === 0 && nested) lines.push('    h1.start()');
    lines.push(...body, '');
  });
  // main keeps its threads in locals (but a nested h1), so that its own steps are only the starts, its statements and the joins.
  lines.push('def main():');
  if (m.main.length > 0 || nested) lines.push(globals);
  m.workers.forEach((w, i) =>
    lines.push(`    h${i} = threading.Thread(target=t${i}${w.daemon ? ', daemon=True' : ''})`),
  );
  m.workers.forEach((_, i) => {
    if (!(i === 1 && nested)) lines.push(`    h${i}.start()`);
  });
  lines.push(...mainBody);
  const first = m.workers[0];
  m.workers.forEach((w, i) => {
    if (w.daemon || w.join === 'none') return;
    // A nested start may not have happened yet: join h1 only after a plain join of t0, which started it.
    if (i === 1 && nested && (first!.daemon || first!.join !== 'join')) return;
    lines.push(w.join === 'timed' ? `    h${i}.join(0.5)` : `    h${i}.join()`);
  });
  lines.push('', 'main()', '');
  return lines.join('\n');
}

/**
 * An Arbitrary of small valid thread programs as Python source text, in the language of
 * docs/LANGUAGE.md: every value compiles without a diagnostic and runs to an end (completed,
 * or a deadlock among its threads; an uncaught exception ends only its thread, as a
 * BoundedSemaphore released too often does).
 *
 * Shape: `import threading`, the objects the statements use (`lk` Lock, `rl` RLock, `sem`
 * Semaphore or BoundedSemaphore, `cv` Condition, `ev` Event, list `a`, dict `d`), the shared
 * globals `x = 0` and `y = 0`, then one function `t<i>` per worker (its statements) and
 * `main()`, which creates the workers, starts them, runs its own statements and joins them.
 * Statements are listed with ThreadPrimitive; each stores what a primitive returns in a result
 * global `r<n>`.
 *
 * Options (ThreadProgramOptions), with their defaults: `threads` 2–3 workers; `statements`
 * 1–3 per worker; `mainStatements` 0–1; `totalStatements` no cap; `primitives` all of
 * THREAD_PRIMITIVES; `primitivesPerProgram` 2 (besides `plain`); `join` true. Throws a
 * RangeError on an option out of range.
 *
 * Shrinking: fast-check shrinks the structure (threadProgramModel), toward fewer workers and
 * statements, main without statements, plain accesses before primitives (`x = 0` first), the
 * first form of each primitive (a with-block over one plain access), no daemon threads, plain
 * joins, Semaphore(1) and an unset event. A property that fails on any program with a
 * `with lk:` shrinks to two workers of one statement: `with lk:` over `x = 0` in one of them
 * (or, a local minimum, in main), `x = 0` elsewhere. The primitives a program draws on are
 * not shrunk, but only those its statements use are declared.
 *
 * It follows the differential tests of DPOR (test/explore/soundness*.test.ts), which compare
 * its programs' outcomes under DPOR, the stateful search and plain enumeration.
 */
export function threadProgram(options: ThreadProgramOptions = {}): fc.Arbitrary<string> {
  return threadProgramModel(options).map(renderThreadProgram);
}
