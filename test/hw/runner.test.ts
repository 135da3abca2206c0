import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProgram } from '../../src/run/run.js';
import type { CompiledProgram } from '../../src/compile/ops.js';
import { generateProgram } from '../../src/hw/codegen.js';
import { liveWorkers, runOnHardware } from '../../src/hw/runner.js';
import { HwUnsupported, type HwOptions, type HwTrial } from '../../src/hw/types.js';
import { holdAgainst, predictOutcomes } from '../../src/hw/verdict.js';
import { compile, py, run } from '../helpers.js';

function load(file: string, sets: [string, string][] = []): CompiledProgram {
  const { program } = loadProgram(file, sets);
  if (program === null) throw new Error(`${file} does not compile`);
  return program;
}

/** Run on hardware, collecting the program's output; checks that no worker is left after. */
async function hw(
  program: CompiledProgram,
  options: HwOptions = {},
): Promise<{ trials: HwTrial[]; out: string }> {
  let out = '';
  const trials = await runOnHardware(program, {
    timeoutSeconds: 20,
    ...options,
    onOutput: (_, t) => (out += t),
  });
  expect(liveWorkers()).toBe(0);
  return { trials, out };
}

const counterOf = (t: HwTrial): number => Number(t.end!.globals.counter);

describe('code generation', () => {
  const hostile = py`
    import threading
    from threading import Thread
    constructor = 0
    __proto__ = "'); process.exit(7); ('"
    prototype = "\`\${process.exit(8)}\` */ }) //"

    def process(exit):
        global constructor
        constructor += 1
        print(exit + __proto__ + prototype)

    threads = [Thread(target=process, args=("\\\\",)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
  `;

  it('splices only integers: no name or string of the program reaches the generated source', () => {
    const program = compile(hostile);
    for (const memory of ['sc', 'plain'] as const) {
      const source = generateProgram(program, memory);
      for (const word of ['process', 'constructor', '__proto__', 'prototype', 'exit', 'threads'])
        expect(source).not.toContain(word);
      const literals = new Set(source.match(/'[^']*'/g));
      expect([...literals].sort()).toEqual(["' out of range in code '", "'internal error: pc '", "'number'"]);
    }
  });

  it('runs a program with hostile names and strings as CPython would', async () => {
    const { trials, out } = await hw(compile(hostile), { trials: 2 });
    const line = "\\'); process.exit(7); ('`${process.exit(8)}` */ }) //\n";
    expect(out).toBe(line.repeat(4));
    expect(trials.map((t) => t.end?.globals.constructor)).toEqual(['2', '2']);
  });
});

describe('interleave hw on the lesson programs', () => {
  it('loses updates of counter += 1 on 4 threads x 1,000,000 loops, under sc and plain memory', async () => {
    const program = load('programs/counter_race.py', [
      ['nthread', '4'],
      ['nloop', '1000000'],
    ]);
    for (const memory of ['sc', 'plain'] as const) {
      const { trials } = await hw(program, { trials: 10, memory });
      expect(trials.every((t) => t.status === 'completed')).toBe(true);
      expect(trials.every((t) => counterOf(t) <= 4_000_000 && counterOf(t) >= 2)).toBe(true);
      expect(trials.filter((t) => counterOf(t) < 4_000_000).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts exactly with `with lock` in every trial', async () => {
    const { trials } = await hw(load('programs/counter_lock.py'), { trials: 3 });
    for (const t of trials) {
      expect(t.status).toBe('completed');
      expect(t.end!.globals.COUNTER).toBe('10000');
      expect(t.end!.exceptions).toEqual([]);
    }
  });

  it('reports the deadlock of two locks taken in opposite orders, with holders and lines, and leaves no worker', async () => {
    const { trials } = await hw(load('programs/deadlock.py'), { trials: 4, timeoutSeconds: 2 });
    const deadlocked = trials.filter((t) => t.status === 'deadlock');
    expect(deadlocked.length).toBeGreaterThanOrEqual(1);
    const t = deadlocked[0]!;
    expect(t.end!.status).toBe('deadlock');
    expect(t.end!.globals).toEqual({ transfers: '0' });
    expect(t.blocked).toEqual([
      { thread: 'MainThread', waitsFor: 'join Thread-1 (a_then_b)', line: 36, heldBy: null },
      { thread: 'Thread-1 (a_then_b)', waitsFor: 'lock lock_b', line: 20, heldBy: 'Thread-2 (b_then_a)' },
      { thread: 'Thread-2 (b_then_a)', waitsFor: 'lock lock_a', line: 28, heldBy: 'Thread-1 (a_then_b)' },
    ]);
    expect(t.ms).toBeLessThan(2000);
  });

  it('ends the command with every worker gone after a deadlock (the process exits by itself)', () => {
    const r = spawnSync(
      process.execPath,
      ['bin/interleave.js', 'hw', 'programs/deadlock.py', '--timeout', '2', '--trials', '2'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.signal).toBeNull();
    expect([0, 1]).toContain(r.status);
    // The header first, then each trial's line as it ends.
    expect(r.stdout).toMatch(
      /^── interleave hw: programs\/deadlock\.py \(2 trials, memory sc, timeout 2 s\) ──\ntrial 1: /,
    );
  });

  it('refuses a dict in a shared cell from the command line as FILE:LINE: message, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-'));
    const file = join(dir, 'dict.py');
    writeFileSync(file, 'x = 1\nd = {}\n');
    const r = spawnSync(process.execPath, ['bin/interleave.js', 'hw', file, '--trials', '1'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `interleave: hw: ${file}:2: the hardware runner cannot hold a dict in shared memory (global 'd'): only ints, floats, strings, None, bools, tuples, lists, functions, exceptions and threading objects can be shared between its threads; interleave run simulates this program\n`,
    );
  });

  it('reports an uncaught exception in a thread as CPython does, and the lock it left held', async () => {
    const { trials, out } = await hw(load('programs/faulty_handler.py'), { trials: 1, timeoutSeconds: 2 });
    const t = trials[0]!;
    expect(t.end!.exceptions.map((e) => `${e.thread}: ${e.text}`)).toEqual([
      expect.stringMatching(/^Thread-1 \(faulty_lock_handler\): TypeError: /),
    ]);
    expect(out).toMatch(/^Exception in thread Thread-1 \(faulty_lock_handler\):\nTraceback/m);
  });
});

describe('faults', () => {
  it('stops a trial that runs past --timeout and says which thread was still running', async () => {
    const program = compile(py`
      from threading import Thread
      spins = 0
      def spin():
          global spins
          while True:
              spins += 1
      Thread(target=spin).start()
    `);
    const { trials } = await hw(program, { trials: 2, timeoutSeconds: 0.5 });
    for (const t of trials) {
      expect(t.status).toBe('timeout');
      expect(t.end).toBeNull();
      expect(t.ms).toBeGreaterThanOrEqual(500);
      expect(t.blocked).toEqual([
        { thread: 'MainThread', waitsFor: 'the end of Thread-1 (spin)', line: 0, heldBy: null },
        { thread: 'Thread-1 (spin)', waitsFor: 'running', line: 0, heldBy: null },
      ]);
    }
  });

  it('reports a worker that dies, goes on with the next trial, and leaves no worker', async () => {
    const { trials } = await hw(
      load('programs/counter_race.py', [
        ['nthread', '2'],
        ['nloop', '10'],
      ]),
      { trials: 2, crashThreadForTest: 1 },
    );
    for (const t of trials) {
      expect(t.status).toBe('crashed');
      expect(t.end).toBeNull();
      expect(t.crash).toMatch(
        /^worker running thread 1 died: Error: test crash of the worker running thread 1/,
      );
    }
  });

  it('refuses a program that starts more threads than the runner holds (1,024), with the line', async () => {
    const program = compile(py`
      from threading import Thread
      def f():
          pass
      for i in range(1100):
          t = Thread(target=f)
          t.start()
          t.join()
    `);
    await expect(runOnHardware(program, { trials: 1 })).rejects.toThrow(
      /^6: the program starts more than 1024 threads, the most the hardware runner holds$/,
    );
    expect(liveWorkers()).toBe(0);
  });

  it('refuses shared state it cannot hold, naming the construct and the global', async () => {
    const program = compile(py`
      d = {}
      d["a"] = 1
    `);
    await expect(runOnHardware(program, { trials: 1 })).rejects.toThrow(HwUnsupported);
    await expect(runOnHardware(program, { trials: 1 })).rejects.toThrow(
      /^1: the hardware runner cannot hold a dict in shared memory \(global 'd'\)/,
    );
    expect(liveWorkers()).toBe(0);
  });
});

describe('synchronization on Atomics', () => {
  it('Condition, Event, BoundedSemaphore and RLock hand over every item exactly once', async () => {
    const program = compile(py`
      import threading
      from threading import Thread
      cond = threading.Condition()
      done = threading.Event()
      sem = threading.BoundedSemaphore(2)
      r = threading.RLock()
      items = []
      consumed = 0
      total = 0

      def producer():
          for i in range(200):
              with cond:
                  items.append(i)
                  cond.notify()
          with cond:
              done.set()
              cond.notify_all()

      def consumer():
          global consumed, total
          while True:
              with cond:
                  while not items and not done.is_set():
                      cond.wait()
                  if not items:
                      return
                  x = items.pop(0)
              with sem:
                  with r:
                      with r:
                          consumed += 1
                          total += x

      threads = [Thread(target=consumer) for _ in range(3)] + [Thread(target=producer)]
      for t in threads:
          t.start()
      for t in threads:
          t.join(5)
      alive = [t.is_alive() for t in threads]
    `);
    const { trials } = await hw(program, { trials: 3, timeoutSeconds: 10 });
    for (const t of trials) {
      expect(t.status).toBe('completed');
      expect(t.end!.globals.consumed).toBe('200');
      expect(t.end!.globals.total).toBe(String((199 * 200) / 2));
      expect(t.end!.globals.alive).toBe('[False, False, False, False]');
      expect(t.end!.globals.items).toBe('[]');
    }
  });
});

describe('the same Python as the simulator', () => {
  it('keeps __proto__ and self-containing lists in the outcome, hits the same recursion limit, draws independent random numbers', async () => {
    const program = compile(py`
      import threading
      import random
      __proto__ = 2
      cyc = [1, 2]
      depth = 0
      draws = []

      def rec(n):
          global depth
          depth = n
          rec(n + 1)

      def w():
          global __proto__
          __proto__ = __proto__ * 2
          cyc.append(cyc)
          draws.append(random.randint(1, 1073741824))
          try:
              rec(0)
          except RecursionError as e:
              print("thread", e, depth)

      # One after the other: both write the global depth while they recurse.
      ts = [threading.Thread(target=w) for _ in range(2)]
      for t in ts:
          t.start()
          t.join()
      distinct = len(draws) == 2 and draws[0] != draws[1]
      draws = None
    `);
    const { trials, out } = await hw(program, { trials: 2 });
    const sim = run(program);
    expect(sim.out).toBe('thread maximum recursion depth exceeded 997\n'.repeat(2));
    expect(out).toBe(sim.out.repeat(2));
    for (const t of trials) {
      expect(t.end!.globals).toEqual({
        ['__proto__']: '8',
        cyc: '[1, 2, [...], [...]]',
        depth: '997',
        draws: 'None',
        distinct: 'True',
      });
    }
  });
});

describe('compiled loops', () => {
  it('runs range loops (simple, nested, with break, raising inside) as the simulator does', async () => {
    const program = compile(py`
      total = 0
      pairs = 0
      found = -1

      def divide(n):
          global total
          for i in range(n, -1, -1):
              total = total + 100 // i

      for i in range(3):
          for j in range(4):
              pairs += 1
      for k in range(10, 0, -3):
          if k < 5:
              found = k
              break
      try:
          divide(3)
      except ZeroDivisionError as e:
          print("caught", e, total)
      divide(2)
    `);
    const { trials, out } = await hw(program, { trials: 1 });
    const sim = run(program);
    expect(out).toBe(sim.out);
    expect(out).toMatch(
      /^caught integer division or modulo by zero 183\nTraceback \(most recent call last\):\n/,
    );
    expect(out).toMatch(
      /line 8, in divide\n {4}total = total \+ 100 \/\/ i\nZeroDivisionError: integer division or modulo by zero\n$/,
    );
    expect(trials[0]!.end!.globals).toEqual({
      total: '333',
      pairs: '12',
      found: '4',
      i: '2',
      j: '3',
      k: '4',
    });
  });
});

describe('held against the simulator', () => {
  const programs: [string, [string, string][]][] = [
    [
      'programs/counter_race.py',
      [
        ['nthread', '2'],
        ['nloop', '2'],
      ],
    ],
    [
      'programs/counter_race.py',
      [
        ['nthread', '3'],
        ['nloop', '1'],
      ],
    ],
    [
      'programs/counter_lock.py',
      [
        ['NTHREADS', '2'],
        ['ITERATIONS', '2'],
      ],
    ],
    ['programs/deadlock.py', []],
    ['programs/fixed_handler.py', []],
    ['programs/faulty_handler.py', []],
    ['programs/peterson.py', []],
    // The Event and daemon programs whose hardware outcomes the unsound search once called
    // NOT PREDICTED (issue 9).
    ['test/explore/regressions/preset.py', []],
    ['test/explore/regressions/setclear.py', []],
    ['test/explore/regressions/daemon.py', []],
  ];
  const cases = 'test/cases';
  for (const f of readdirSync(cases).sort()) {
    // seed_counter is the full-size lesson: no complete search.
    if (f.endsWith('.py') && f !== 'seed_counter.py') programs.push([`${cases}/${f}`, []]);
  }

  it.each(programs)(
    "every sc outcome of %s %j is one the simulator's complete search predicts",
    async (file, sets) => {
      const program = load(file, sets);
      const { trials } = await hw(program, { trials: 4, timeoutSeconds: 3 });
      expect(trials.some((t) => t.end !== null)).toBe(true);
      const x = predictOutcomes(program);
      expect(x.complete).toBe(true);
      const verdict = holdAgainst(
        trials.filter((t) => t.end !== null),
        x,
        program,
      );
      expect(verdict.outcomes.map((o) => o.label).filter((l) => l !== 'possible')).toEqual([]);
    },
  );
});
