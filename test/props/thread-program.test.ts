/**
 * The fast-check arbitrary of thread programs (src/props/thread-program.ts): every generated
 * program compiles without a diagnostic and runs to an end, the options restrict what is
 * generated, and a failing property shrinks to a minimal program.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compile/index.js';
import {
  renderThreadProgram,
  threadProgram,
  threadProgramModel,
  THREAD_PRIMITIVES,
  type ThreadPrimitive,
  type ThreadProgramModel,
  type ThreadStatement,
} from '../../src/fast-check.js';
import { runProgram } from '../../src/run/run.js';

/** Every statement of a program, nested ones included. */
function statementsOf(m: ThreadProgramModel): ThreadStatement[] {
  const out: ThreadStatement[] = [];
  const visit = (s: ThreadStatement): void => {
    out.push(s);
    for (const n of s.nodes) {
      if (n.kind !== 'line') n.body.forEach(visit);
      if (n.kind === 'try') n.handler.forEach(visit);
    }
  };
  for (const w of m.workers) w.body.forEach(visit);
  m.main.forEach(visit);
  return out;
}

/** The primitives a program uses: its statements', and `join` when a lifecycle is other than start-and-join. */
function primitivesOf(m: ThreadProgramModel): ThreadPrimitive[] {
  const used = new Set(statementsOf(m).map((s) => s.primitive));
  if (m.nestedStart || m.workers.some((w) => w.daemon || w.join !== 'join')) used.add('join');
  return THREAD_PRIMITIVES.filter((p) => used.has(p));
}

/** Top-level statements of the workers and main. */
const sizeOf = (m: ThreadProgramModel): number =>
  m.workers.reduce((n, w) => n + w.body.length, m.main.length);

/** Compiles `source` (failing on any diagnostic) and runs it under the uniform scheduler; its status and uncaught exceptions. */
function runOnce(source: string, seed: number): { status: string; exceptions: string[] } {
  const { program, diagnostics } = compileSource(source, 'generated.py', []);
  expect(diagnostics).toEqual([]);
  let stderr = '';
  const r = runProgram(program!, {
    scheduler: 'uniform',
    seed,
    maxSteps: 100_000,
    output: (stream, text) => {
      if (stream === 'stderr') stderr += text;
    },
  });
  return {
    status: r.execution.status,
    exceptions: [...stderr.matchAll(/^(\w+Error: .*)$/gm)].map((m) => m[1]!),
  };
}

/**
 * The minimal program with a `with lk:` over `x = 0`: in worker `t0`, in worker `t1`, or in
 * main (which then declares its globals: three statements, none removable).
 */
function minimalWithLock(where: 't0' | 't1' | 'main'): string {
  const statement = (who: string): string =>
    who === where ? '    with lk:\n        x = 0\n' : who === 'main' ? '' : '    x = 0\n';
  return `import threading
lk = threading.Lock()
x = 0
y = 0

def t0():
    global x, y
${statement('t0')}
def t1():
    global x, y
${statement('t1')}
def main():
${where === 'main' ? '    global x, y\n' : ''}    h0 = threading.Thread(target=t0)
    h1 = threading.Thread(target=t1)
    h0.start()
    h1.start()
${statement('main')}    h0.join()
    h1.join()

main()
`;
}

describe('threadProgram', () => {
  it('generates programs that compile without a diagnostic and run to an end, over every primitive', () => {
    const models = fc.sample(threadProgramModel(), { numRuns: 200, seed: 20261212 });
    const used = new Set<ThreadPrimitive>();
    const statuses = new Set<string>();
    const exceptions = new Set<string>();
    for (const m of models) {
      primitivesOf(m).forEach((p) => used.add(p));
      expect(m.workers.length).toBeGreaterThanOrEqual(2);
      expect(m.workers.length).toBeLessThanOrEqual(3);
      for (const w of m.workers) expect([1, 2, 3]).toContain(w.body.length);
      expect(m.main.length).toBeLessThanOrEqual(1);
      // At most two primitives besides plain and join in one program (primitivesPerProgram).
      expect(primitivesOf(m).filter((p) => p !== 'plain' && p !== 'join').length).toBeLessThanOrEqual(2);
      const source = renderThreadProgram(m);
      for (const seed of [1, 2]) {
        const r = runOnce(source, seed);
        statuses.add(r.status);
        r.exceptions.forEach((e) => exceptions.add(e));
      }
    }
    expect([...used]).toEqual(expect.arrayContaining([...THREAD_PRIMITIVES]));
    expect(used.size).toBe(THREAD_PRIMITIVES.length);
    // Deadlocks are outcomes (a wait never notified); the step bound is never reached.
    expect([...statuses].sort()).toEqual(['completed', 'deadlock']);
    // The only exception a valid program raises: a BoundedSemaphore released once too often.
    expect([...exceptions]).toEqual(['ValueError: Semaphore released too many times']);
  }, 120_000);

  it('is threadProgramModel rendered, and the same for the same seed', () => {
    const texts = fc.sample(threadProgram(), { numRuns: 20, seed: 5 });
    expect(fc.sample(threadProgramModel(), { numRuns: 20, seed: 5 }).map(renderThreadProgram)).toEqual(texts);
    expect(fc.sample(threadProgram(), { numRuns: 20, seed: 5 })).toEqual(texts);
    expect(new Set(texts).size).toBeGreaterThan(15);
  });

  it('shrinks a program with a `with lk:` to two workers of one statement, the lock over `x = 0`', () => {
    const shrunk = (seed: number): string => {
      const details = fc.check(
        fc.property(threadProgram(), (source) => !source.includes('with lk')),
        { seed },
      );
      expect(details.failed).toBe(true);
      return details.counterexample![0];
    };
    expect(shrunk(4)).toBe(`import threading
lk = threading.Lock()
x = 0
y = 0

def t0():
    global x, y
    with lk:
        x = 0

def t1():
    global x, y
    x = 0

def main():
    h0 = threading.Thread(target=t0)
    h1 = threading.Thread(target=t1)
    h0.start()
    h1.start()
    h0.join()
    h1.join()

main()
`);
    // Whatever the seed: one of the minimal programs, found each time.
    const found = Array.from({ length: 12 }, (_, i) => shrunk(i + 1));
    const where = found.map((s) => (['t0', 't1', 'main'] as const).find((w) => minimalWithLock(w) === s));
    expect(where).toEqual(['main', 't1', 'main', 't0', 't0', 't0', 't0', 't1', 't0', 't1', 't1', 't0']);
  });

  it('shrinks toward fewer threads: a property failing on three workers shrinks to three of `x = 0`', () => {
    const details = fc.check(
      fc.property(threadProgramModel(), (m) => m.workers.length < 3),
      { seed: 11 },
    );
    expect(details.failed).toBe(true);
    const m = details.counterexample![0];
    expect(m.workers.map((w) => w.body.map((s) => s.nodes))).toEqual([
      [[{ kind: 'line', code: 'x = 0' }]],
      [[{ kind: 'line', code: 'x = 0' }]],
      [[{ kind: 'line', code: 'x = 0' }]],
    ]);
    expect(m.main).toEqual([]);
    expect(m.workers.map((w) => [w.daemon, w.join])).toEqual([
      [false, 'join'],
      [false, 'join'],
      [false, 'join'],
    ]);
    expect(m.nestedStart).toBe(false);
  });

  it('draws only on the primitives given: plain alone has no lock, no object but threads', () => {
    for (const source of fc.sample(threadProgram({ primitives: ['plain'] }), { numRuns: 100, seed: 7 })) {
      expect(source).not.toContain('Lock');
      expect(source.match(/threading\.\w+/g)!.every((t) => t === 'threading.Thread')).toBe(true);
      expect(source).not.toMatch(/daemon|join\(0\.5\)|import random/);
    }
    const models = fc.sample(threadProgramModel({ primitives: ['plain', 'semaphore'] }), {
      numRuns: 100,
      seed: 8,
    });
    const used = new Set(models.flatMap(primitivesOf));
    expect([...used].sort()).toEqual(['plain', 'semaphore']);
  });

  it('follows the counts it is given: threads, statements, main statements, a total cap', () => {
    for (const m of fc.sample(
      threadProgramModel({
        threads: { min: 4, max: 4 },
        statements: { min: 2, max: 2 },
        mainStatements: { min: 1, max: 1 },
      }),
      { numRuns: 50, seed: 9 },
    )) {
      expect(m.workers.map((w) => w.body.length)).toEqual([2, 2, 2, 2]);
      expect(m.main.length).toBe(1);
    }
    const sizes = new Set<number>();
    for (const m of fc.sample(threadProgramModel({ totalStatements: { min: 2, max: 4 } }), {
      numRuns: 200,
      seed: 10,
    })) {
      // Each worker keeps one statement: three workers may exceed a cap of 2.
      expect(sizeOf(m)).toBeLessThanOrEqual(Math.max(4, m.workers.length));
      expect(m.workers.every((w) => w.body.length >= 1)).toBe(true);
      sizes.add(sizeOf(m));
    }
    expect([...sizes].sort()).toEqual([2, 3, 4]);
  });

  it('with join: false, main joins nothing; with statements min 0, an empty worker is `pass`', () => {
    const sources = fc.sample(threadProgram({ join: false, statements: { min: 0, max: 1 } }), {
      numRuns: 100,
      seed: 12,
    });
    for (const source of sources) {
      expect(source).not.toContain('.join(');
      expect(runOnce(source, 1).status).not.toBe('step-bound');
    }
    expect(sources.some((s) => /def t\d\(\):\n {4}global [^\n]*\n {4}pass\n/.test(s))).toBe(true);
  });

  it('with primitivesPerProgram 1, a program uses at most one primitive besides plain and join', () => {
    for (const m of fc.sample(threadProgramModel({ primitivesPerProgram: 1 }), { numRuns: 100, seed: 13 }))
      expect(primitivesOf(m).filter((p) => p !== 'plain' && p !== 'join').length).toBeLessThanOrEqual(1);
  });

  it('refuses options out of range', () => {
    expect(() => threadProgram({ threads: { min: 3, max: 2 } })).toThrow(
      new RangeError('threadProgram: threads must be whole numbers with 0 <= min <= max (got 3–2)'),
    );
    expect(() => threadProgram({ threads: { min: 0, max: 2 } })).toThrow(
      new RangeError('threadProgram: threads.min must be at least 1'),
    );
    expect(() => threadProgram({ primitives: ['join'] })).toThrow(
      new RangeError("threadProgram: primitives must name one other than 'join'"),
    );
    expect(() => threadProgram({ primitives: ['lock', 'mutex' as ThreadPrimitive] })).toThrow(
      new RangeError(
        "threadProgram: unknown primitive 'mutex' (known: plain, lock, rlock, semaphore, condition, event, containers, random, join)",
      ),
    );
    expect(() => threadProgram({ primitivesPerProgram: 0 })).toThrow(
      new RangeError('threadProgram: primitivesPerProgram must be a whole number >= 1 (got 0)'),
    );
  });
});

describe('renderThreadProgram', () => {
  it('renders a structure: objects used, result globals, a nested start, a daemon, a timed join', () => {
    const line = (code: string) => ({ kind: 'line' as const, code });
    const m: ThreadProgramModel = {
      workers: [
        {
          body: [
            {
              primitive: 'containers',
              nodes: [
                {
                  kind: 'try',
                  body: [{ primitive: 'containers', nodes: [line("del d['j']")] }],
                  except: 'KeyError',
                  handler: [{ primitive: 'containers', nodes: [line("r0 = 'ke'")] }],
                },
              ],
            },
          ],
          daemon: false,
          join: 'join',
        },
        { body: [{ primitive: 'event', nodes: [line('r1 = ev.wait(0.5)')] }], daemon: false, join: 'timed' },
        { body: [], daemon: true, join: 'join' },
      ],
      main: [{ primitive: 'semaphore', nodes: [line('sem.release()')] }],
      nestedStart: true,
      semaphore: { bounded: true, value: 2 },
      eventSet: true,
      results: ['r0', 'r1'],
    };
    const source = renderThreadProgram(m);
    expect(source).toBe(`import threading
sem = threading.BoundedSemaphore(2)
ev = threading.Event()
ev.set()
a = [0, 0]
d = {}
x = 0
y = 0

def t0():
    global x, y, h1, r0, r1
    h1.start()
    try:
        del d['j']
    except KeyError:
        r0 = 'ke'

def t1():
    global x, y, h1, r0, r1
    r1 = ev.wait(0.5)

def t2():
    global x, y, h1, r0, r1
    pass

def main():
    global x, y, h1, r0, r1
    h0 = threading.Thread(target=t0)
    h1 = threading.Thread(target=t1)
    h2 = threading.Thread(target=t2, daemon=True)
    h0.start()
    h2.start()
    sem.release()
    h0.join()
    h1.join(0.5)

main()
`);
    expect(runOnce(source, 1).status).toBe('completed');
  });
});
