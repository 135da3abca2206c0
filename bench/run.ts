/**
 * `npm run bench`: the figures the issues ask for, each measured side by side with its baseline
 * in one run, printed as a table and written to bench/results/latest.json.
 *
 * Issue 3: executions per second of exhaustive DPOR on the counter (T=2, N=3) and lastzero(5);
 * the stateful search on the counter (T=3, N=3) against SPIN 6.5.2 on an equivalent Promela
 * model (state counts, states per second, and our bytes per stored state). SPIN is found on
 * PATH or installed with apt-get; without it that row is skipped with a message.
 *
 * Issue 2: simulate programs/counter_race.py at full size (100 threads × 50,000 loops) under the
 * random time-slice scheduler (the default of `run`) and under the uniform one, and time
 * `python3` running the same file. Reported: micro-ops per second, and our wall time over
 * CPython's, both for the whole command (process start to exit, `interleave run` against
 * `python3 FILE`) and for the execution alone (our simulation against CPython running the
 * program in-process, interpreter start-up excluded).
 *
 * Issue 10 (bench/baseline.ts): simulation, DPOR and stateful figures of this build against the
 * build of the commit before the refactor (BENCH_BASELINE, default 335e826), side by side.
 *
 * Stepping back (bench/seek-measure.ts, in a process of its own with --expose-gc): the full-size
 * time-slice run (seed 1) in a Session with checkpoints; `seek(N)` and a step back from N at 20
 * positions spread across the run (median and max; targets < 50 ms), and the checkpoints' heap
 * (with minus without checkpoints, after gc; target ≤ 256 MB).
 *
 * Issue 4 (section "hardware threads", bench/hw.ts): the hardware runner (`interleave hw`) on
 * programs/counter_race.py with 4 threads × 1,000,000 loops, `--memory sc` and `--memory
 * plain`, in increments per second, against a hand-written baseline doing the same accesses
 * (4 worker_threads over one SharedArrayBuffer, Atomics.load/store or plain reads and writes,
 * released by a common start barrier; bench/hw-baseline-worker.ts), and our time over the
 * baseline's (target: within 2×); then lock-protected increments per second on
 * bench/programs/counter_locked.py --set T=4 --set N=100000 (`with lock` increments, no sleep),
 * with the final counter checked exact. Median of trials 2..5 (trial 1 spawns the workers).
 *
 * Issue 12 (section "issue 12: property testing", bench/props.ts): schedules per second through
 * `schedule(program)` + `runProgram` on the lesson's counter (2 threads × 100 increments, no
 * lock) against fast-check's `fc.scheduler()` driving an equivalent JS async counter (a
 * scheduling point between each read and its write), 2,000 runs each under `fc.check` with one
 * seed (median of 3 alternating trials), and the ratio; then, over seeds 1..100 on
 * examples/peterson_swapped.py and examples/flag_lock.py (mutual exclusion of critical(),
 * count == 2), runs to the first failure and the witness's preemptions for `assertSchedules`
 * (shrunk) against uniform random runs without shrinking: seeds that failed, median and p90
 * runs, median and max preemptions, seeds whose witness has exactly the minimum (the smallest
 * preemption bound at which exhaustive search fails), and each method's wall time.
 *
 * Sections: `npm run bench -- NAME...` runs only the named ones (simulate, explore, baseline,
 * seek, hw, props; all when none is named), e.g. `npm run bench -- props`. latest.json then
 * keeps the other sections' results from the run before, and `updated` gives the date of each
 * section measured alone since.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { loadProgram, runProgram, type SchedulerName } from '../src/run/run.js';
import { compileSource } from '../src/compile/index.js';
import { explorePOR } from '../src/explore/dpor.js';
import { exploreStates } from '../src/explore/stateful.js';
import { againstBaseline } from './baseline.js';
import { hardware, HW_PROGRAM, NLOOP, NTHREAD } from './hw.js';
import { propertyTesting, PROPS_HEADING } from './props.js';

const root = join(import.meta.dirname, '..', '..');
const PROGRAM = 'programs/counter_race.py';
const REPEAT = 5;

/**
 * The CPython binary itself: `python3` on PATH may be a shim (pyenv's adds ~0.25 s of bash per
 * call), which would flatter us. Null when there is no python3.
 */
function pythonExecutable(): string | null {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}
const PYTHON = pythonExecutable();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time of a command, in ms (median of REPEAT runs). */
function wall(command: string, args: string[]): number | null {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const r = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
    if (r.error !== undefined || (r.status !== 0 && r.status !== 1)) return null;
    times.push(performance.now() - t);
  }
  return median(times);
}

/** CPython running the program in-process (threads joined), interpreter start-up excluded, in ms. */
function cpythonInProcess(): number | null {
  const script = [
    'import runpy, threading, time, io, contextlib',
    't = time.perf_counter()',
    'with contextlib.redirect_stdout(io.StringIO()):',
    `    runpy.run_path(${JSON.stringify(PROGRAM)}, run_name="__main__")`,
    '    for th in threading.enumerate():',
    '        if th is not threading.main_thread(): th.join()',
    'print((time.perf_counter() - t) * 1000)',
  ].join('\n');
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    if (PYTHON === null) return null;
    const r = spawnSync(PYTHON, ['-c', script], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) return null;
    times.push(Number(r.stdout.trim()));
  }
  return median(times);
}

interface Simulation {
  scheduler: SchedulerName;
  firstMs: number;
  medianMs: number;
  microOps: number;
  steps: number;
}

/** Our execution alone, in-process: the first run (cold JIT, as the CLI sees it) and the median. */
function simulate(scheduler: SchedulerName): Simulation {
  const { program } = loadProgram(join(root, PROGRAM));
  if (program === null) throw new Error(`${PROGRAM} does not compile`);
  const times: number[] = [];
  let microOps = 0;
  let steps = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const r = runProgram(program, { scheduler, seed: 1 });
    times.push(performance.now() - t);
    microOps = r.machine.microOps;
    steps = r.execution.steps;
  }
  return { scheduler, firstMs: times[0]!, medianMs: median(times), microOps, steps };
}

/** Executions per second of exhaustive DPOR on a bench program (median of REPEAT searches). */
function dpor(file: string, sets: [string, string][]): { executions: number; perSecond: number } {
  const { program } = compileSource(readFileSync(join(root, file), 'utf8'), file, sets);
  if (program === null) throw new Error(`${file} does not compile`);
  const times: number[] = [];
  let executions = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    executions = explorePOR(program).executions;
    times.push(performance.now() - t);
  }
  return { executions, perSecond: (executions / median(times)) * 1000 };
}

const SPIN_MODEL = `/* The counter program: T threads x N increments, each += a load and a store, main joining. */
#define T 3
#define N 3
byte counter = 0;
byte done = 0;
proctype inc() {
  byte i = 0;
  byte tmp;
  do
  :: i < N -> tmp = counter; counter = tmp + 1; i++
  :: else -> break
  od;
  done++
}
init {
  byte k = 0;
  atomic { do :: k < T -> run inc(); k++ :: else -> break od };
  (done == T)
}
`;

interface SpinRun {
  states: number;
  perSecond: number;
}

/** SPIN on the Promela counter, with and without partial-order reduction; null when SPIN cannot run. */
function spin(): { plain: SpinRun; reduced: SpinRun } | string {
  let found = spawnSync('spin', ['-V'], { encoding: 'utf8' });
  if (found.error !== undefined) {
    spawnSync('apt-get', ['install', '-y', 'spin'], { encoding: 'utf8' });
    found = spawnSync('spin', ['-V'], { encoding: 'utf8' });
    if (found.error !== undefined) return 'SPIN not found and could not be installed (apt-get install spin)';
  }
  if (!found.stdout.includes('6.5.2')) return `SPIN 6.5.2 wanted, found: ${found.stdout.trim()}`;
  const dir = join(tmpdir(), `interleave-spin-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'counter.pml'), SPIN_MODEL);
  const gen = spawnSync('spin', ['-a', 'counter.pml'], { cwd: dir, encoding: 'utf8' });
  if (gen.status !== 0) return `spin -a failed: ${gen.stderr}`;
  const measure = (flags: string[]): SpinRun | string => {
    const cc = spawnSync('gcc', ['-O2', ...flags, '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
    if (cc.status !== 0) return `gcc failed: ${cc.stderr}`;
    const runs: SpinRun[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const out = spawnSync('./pan', ['-m100000'], { cwd: dir, encoding: 'utf8' }).stdout;
      const states = Number(/(\d+) states, stored/.exec(out)?.[1]);
      const rate = Number(/rate\s+([\d.]+) states\/second/.exec(out)?.[1]);
      if (!Number.isFinite(states)) return `pan printed no state count:\n${out}`;
      runs.push({ states, perSecond: rate });
    }
    return { states: runs[0]!.states, perSecond: median(runs.map((r) => r.perSecond)) };
  };
  const plain = measure(['-DNOREDUCE']);
  const reduced = measure([]);
  if (typeof plain === 'string') return plain;
  if (typeof reduced === 'string') return reduced;
  return { plain, reduced };
}

/** Our stateful search on the same counter (T=3, N=3). */
function stateful(): { states: number; perSecond: number; bytesPerState: number } {
  const file = 'bench/programs/counter.py';
  const { program } = compileSource(readFileSync(join(root, file), 'utf8'), file, [
    ['T', '3'],
    ['N', '3'],
  ]);
  if (program === null) throw new Error(`${file} does not compile`);
  const rates: number[] = [];
  let states = 0;
  let bytes = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const r = exploreStates(program);
    rates.push((r.states / (performance.now() - t)) * 1000);
    states = r.states;
    bytes = r.bytesPerState;
  }
  return { states, perSecond: median(rates), bytesPerState: bytes };
}

interface SeekFigures {
  steps: number;
  checkpoints: number;
  interval: number;
  memory: string;
  checkpointBytes: number | null;
  seek: { medianMs: number; maxMs: number };
  stepBack: { medianMs: number; maxMs: number };
}

/** bench/seek-measure.ts in a process of its own (with --expose-gc); a string says why it failed. */
function stepBack(): SeekFigures | string {
  const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'dist', 'bench', 'seek-measure.js')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) return `exit ${r.status}: ${r.stderr.trim().split('\n')[0] ?? ''}`;
  return JSON.parse(r.stdout) as SeekFigures;
}

const n = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

type Row = [string, string, string, string];

/** The sections, in the order they run and print; `npm run bench -- NAME...` runs only those. */
const SECTIONS = ['simulate', 'explore', 'baseline', 'seek', 'hw', 'props'] as const;
type Section = (typeof SECTIONS)[number];

/** The sections named on the command line (all of them when none is); a string says what is wrong. */
function selectedSections(args: readonly string[]): Section[] | string {
  if (args.length === 0) return [...SECTIONS];
  const unknown = args.filter((a) => !(SECTIONS as readonly string[]).includes(a));
  if (unknown.length > 0)
    return `unknown section ${unknown.join(', ')}; the sections: ${SECTIONS.join(', ')}`;
  return SECTIONS.filter((s) => args.includes(s));
}

/**
 * latest.json after a run of some sections only: the previous file with those sections'
 * results and targets replaced, and the date of each section measured since the last full run.
 */
function merged(
  previous: Record<string, unknown>,
  results: Record<string, unknown>,
  sections: readonly Section[],
): Record<string, unknown> {
  const { date, targets, ...measured } = results;
  return {
    ...previous,
    ...measured,
    targets: { ...(previous.targets as object | undefined), ...(targets as object) },
    updated: {
      ...(previous.updated as object | undefined),
      ...Object.fromEntries(sections.map((s) => [s, date])),
    },
  };
}

async function main(sections: readonly Section[]): Promise<void> {
  const on = new Set(sections);
  const rows: Row[] = [];
  const results: Record<string, unknown> = {
    program: PROGRAM,
    repeat: REPEAT,
    date: new Date().toISOString().slice(0, 10),
  };
  const targets: Record<string, { target: number; reached: number | null }> = {};

  if (on.has('simulate')) {
    const pyWall = PYTHON === null ? null : wall(PYTHON, [PROGRAM]);
    const pyRun = cpythonInProcess();
    const ourWall = wall(process.execPath, [join(root, 'bin', 'interleave.js'), 'run', PROGRAM]);
    const sims = (['time-slice', 'uniform'] as const).map(simulate);
    results.cpython = { executable: PYTHON, wallMs: pyWall, inProcessMs: pyRun };
    results.interleave = { wallMs: ourWall, simulations: sims };

    for (const s of sims) {
      const mops = s.microOps / s.medianMs / 1000;
      rows.push([
        `simulate, ${s.scheduler} scheduler`,
        `${n(s.medianMs)} ms (first run ${n(s.firstMs)} ms)`,
        `${n(mops, 1)} M micro-ops/s, ${n(s.steps)} steps`,
        pyRun === null ? 'python3 not found' : `×${n(s.medianMs / pyRun, 2)} of CPython's ${n(pyRun)} ms run`,
      ]);
    }
    rows.push([
      '`interleave run` vs `python3 FILE`',
      ourWall === null ? 'failed' : `${n(ourWall)} ms`,
      'whole command: start-up, parse, run, report',
      pyWall === null || ourWall === null
        ? 'python3 not found'
        : `×${n(ourWall / pyWall, 2)} of ${n(pyWall)} ms`,
    ]);
    const target = sims[0]!;
    targets.microOpsPerSecond = { target: 30e6, reached: (target.microOps / target.medianMs) * 1000 };
    targets.ratioExecution = { target: 1, reached: pyRun === null ? null : target.medianMs / pyRun };
    targets.ratioWholeCommand = {
      target: 1,
      reached: pyWall === null || ourWall === null ? null : ourWall / pyWall,
    };
  }

  if (on.has('explore')) {
    // Issue 3: DPOR executions per second, and the stateful search against SPIN.
    const counterDpor = dpor('bench/programs/counter.py', [
      ['T', '2'],
      ['N', '3'],
    ]);
    const lastzeroDpor = dpor('bench/programs/lastzero.py', [['n', '5']]);
    rows.push([
      'DPOR, counter T=2 N=3',
      `${n(counterDpor.executions)} executions`,
      `${n(counterDpor.perSecond)} executions/s`,
      'one execution per Mazurkiewicz trace',
    ]);
    rows.push([
      'DPOR, lastzero(5)',
      `${n(lastzeroDpor.executions)} executions`,
      `${n(lastzeroDpor.perSecond)} executions/s`,
      'one execution per Mazurkiewicz trace',
    ]);
    const ours = stateful();
    const spinResult = spin();
    rows.push([
      'stateful search, counter T=3 N=3',
      `${n(ours.states)} states`,
      `${n(ours.perSecond)} states/s, ${n(ours.bytesPerState, 1)} bytes/state`,
      typeof spinResult === 'string'
        ? `SPIN skipped: ${spinResult}`
        : `SPIN 6.5.2 -DNOREDUCE: ${n(spinResult.plain.states)} states, ${n(spinResult.plain.perSecond)} states/s (with POR: ${n(spinResult.reduced.states)} states, ${n(spinResult.reduced.perSecond)} states/s)`,
    ]);
    results.exploration = {
      dpor: { counter: counterDpor, lastzero: lastzeroDpor },
      stateful: ours,
      spin: spinResult,
    };
    targets.statesPerSecond = { target: 1.5e6, reached: ours.perSecond };
    targets.bytesPerState = { target: 64, reached: ours.bytesPerState };
  }

  if (on.has('baseline')) {
    // Issue 10: the refactor must not slow simulation or exploration down (over 5 %).
    const before = againstBaseline();
    results.baseline = before;
    if ('skipped' in before) rows.push([`against ${before.ref}`, 'skipped', before.skipped, '']);
    else
      for (const r of before.rows)
        rows.push([
          `${r.task}, against ${before.ref}`,
          `${n(r.oursMs)} ms vs ${n(r.baselineMs)} ms`,
          `${r.slowdown >= 0 ? '+' : ''}${n(r.slowdown * 100, 1)} % time`,
          'issue 10: at most +5 %',
        ]);
  }

  if (on.has('seek')) {
    // Stepping back at full size, in a fresh process with --expose-gc (memory measured after gc).
    const seek = stepBack();
    results.stepBack = seek;
    if (typeof seek === 'string') rows.push(['seek / step back, full size', 'failed', seek, '']);
    else {
      const mb =
        seek.checkpointBytes === null ? 'not measured' : `${n(seek.checkpointBytes / 2 ** 20, 1)} MB`;
      rows.push([
        'seek(N), full size, time-slice seed 1',
        `median ${n(seek.seek.medianMs, 2)} ms, max ${n(seek.seek.maxMs, 2)} ms`,
        `20 positions of ${n(seek.steps)} steps; ${n(seek.checkpoints)} checkpoints every ${n(seek.interval)} steps`,
        'target < 50 ms',
      ]);
      rows.push([
        'step back (seek(N − 1) from N), full size',
        `median ${n(seek.stepBack.medianMs, 2)} ms, max ${n(seek.stepBack.maxMs, 2)} ms`,
        `checkpoints: ${mb} (${seek.memory})`,
        'target < 50 ms, ≤ 256 MB',
      ]);
    }
    targets.seekMaxMs = { target: 50, reached: typeof seek === 'string' ? null : seek.seek.maxMs };
    targets.stepBackMaxMs = { target: 50, reached: typeof seek === 'string' ? null : seek.stepBack.maxMs };
    targets.checkpointBytes = {
      target: 256 * 2 ** 20,
      reached: typeof seek === 'string' ? null : seek.checkpointBytes,
    };
  }

  let hwRows: Row[] = [];
  if (on.has('hw')) {
    // Issue 4: real threads (the hardware runner) against a hand-written worker loop.
    const hw = await hardware();
    results.hardware = hw.results;
    hwRows = hw.rows;
    targets.hwOverBaselineSc = {
      target: 2,
      reached: (hw.results.hwOverBaseline as Record<string, number | null> | undefined)?.sc ?? null,
    };
  }

  let propRows: Row[] = [];
  if (on.has('props')) {
    // Issue 12: fast-check over schedules against fc.scheduler(), and shrunk witnesses against random runs.
    const props = await propertyTesting();
    results.propertyTesting = props.results;
    propRows = props.rows;
    Object.assign(targets, props.targets);
  }
  results.targets = targets;

  const all = [...rows, ...hwRows, ...propRows];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...all.map((r) => r[i]!.length)));
  const print = (r: Row): void =>
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  |  ')
        .trimEnd(),
    );
  if (rows.length > 0) {
    console.log(
      `interleave bench: ${PROGRAM} at full size (100 threads × 50,000 loops), median of ${REPEAT}; CPython: ${PYTHON ?? 'not found'}`,
    );
    for (const r of rows) print(r);
  }
  if (hwRows.length > 0) {
    console.log(
      `hardware threads: ${HW_PROGRAM} with ${NTHREAD} threads × ${n(NLOOP)} loops and a lock-protected counter, on worker_threads; median of trials 2..5`,
    );
    for (const r of hwRows) print(r);
  }
  if (propRows.length > 0) {
    console.log(PROPS_HEADING);
    for (const r of propRows) print(r);
  }
  console.log(`bench time: ${n((performance.now() - benchStart) / 1000, 1)} s`);
  const dir = join(root, 'bench', 'results');
  const file = join(dir, 'latest.json');
  mkdirSync(dir, { recursive: true });
  const whole = sections.length === SECTIONS.length;
  const previous =
    !whole && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, `${JSON.stringify(whole ? results : merged(previous, results, sections), null, 2)}\n`);
  console.log(
    `written: bench/results/latest.json${whole ? '' : ` (sections ${sections.join(', ')}; the others kept from before)`}`,
  );
}

const benchStart = performance.now();
const sections = selectedSections(process.argv.slice(2));
if (typeof sections === 'string') {
  console.error(`bench: ${sections}`);
  process.exitCode = 2;
} else await main(sections);
