/**
 * `npm run bench`: the figures the issues ask for, each measured side by side with its baseline
 * in one run, printed as a table and written to bench/results/latest.json.
 *
 * Issue 2: simulate programs/counter_race.py at full size (100 threads × 50,000 loops) under the
 * random time-slice scheduler (the default of `run`) and under the uniform one, and time
 * `python3` running the same file. Reported: micro-ops per second, and our wall time over
 * CPython's, both for the whole command (process start to exit, `interleave run` against
 * `python3 FILE`) and for the execution alone (our simulation against CPython running the
 * program in-process, interpreter start-up excluded).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProgram, runProgram, type SchedulerName } from '../src/api/run.js';

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

const n = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function main(): void {
  const rows: [string, string, string, string][] = [];
  const results: Record<string, unknown> = {
    program: PROGRAM,
    repeat: REPEAT,
    date: new Date().toISOString().slice(0, 10),
  };

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
  results.targets = {
    microOpsPerSecond: { target: 30e6, reached: (target.microOps / target.medianMs) * 1000 },
    ratioExecution: { target: 1, reached: pyRun === null ? null : target.medianMs / pyRun },
    ratioWholeCommand: { target: 1, reached: pyWall === null || ourWall === null ? null : ourWall / pyWall },
  };

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(
    `interleave bench: ${PROGRAM} at full size (100 threads × 50,000 loops), median of ${REPEAT}; CPython: ${PYTHON ?? 'not found'}`,
  );
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  |  '));
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('written: bench/results/latest.json');
}

main();
