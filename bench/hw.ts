/**
 * The "hardware threads" section of `npm run bench` (issue 4): the hardware runner
 * (src/hw/runner.ts) on the counter, against a hand-written worker loop doing the same shared
 * accesses (bench/hw-baseline-worker.ts), and on a lock-protected counter.
 *
 * Each measurement runs TRIALS times; the first includes spawning the workers (and their JIT
 * warming up), so the figure is the median of trials 2..TRIALS.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { loadProgram } from '../src/run/run.js';
import type { CompiledProgram } from '../src/compile/ops.js';
import { runOnHardware } from '../src/hw/runner.js';
import type { HwTrial, MemoryMode } from '../src/hw/types.js';
import { COUNTER, DONE, FAILED, GO, READY, WORDS, type BaselineData } from './hw-baseline-worker.js';

const root = join(import.meta.dirname, '..', '..');
export const HW_PROGRAM = 'programs/counter_race.py';
export const LOCK_PROGRAM = 'bench/programs/counter_locked.py';
export const NTHREAD = 4;
export const NLOOP = 1_000_000;
const TRIALS = 5;
/** A trial or a baseline round running longer than this is a failure. */
const TIMEOUT_S = 30;

export type Row = [string, string, string, string];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const n = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const perSecond = (count: number, ms: number): number => count / (ms / 1000);

/** A measurement: every trial's time and final counter, and the median of trials 2.. . */
export interface Measured {
  trialsMs: number[];
  counters: number[];
  medianMs: number;
  incrementsPerSecond: number;
}

function measured(trialsMs: number[], counters: number[], increments: number): Measured {
  const medianMs = median(trialsMs.slice(1));
  return { trialsMs, counters, medianMs, incrementsPerSecond: perSecond(increments, medianMs) };
}

function load(file: string, sets: [string, string][]): CompiledProgram {
  const { program, diagnostics } = loadProgram(join(root, file), sets);
  if (program === null)
    throw new Error(`${file} does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  return program;
}

/** The final value of global `counter` of a completed trial (an error for any other trial). */
function counterOf(t: HwTrial): number {
  if (t.status !== 'completed' || t.end === null)
    throw new Error(`trial ${t.index} ${t.status}${t.crash === null ? '' : `: ${t.crash}`}`);
  if (t.end.exceptions.length > 0) throw new Error(`trial ${t.index}: ${t.end.exceptions[0]!.text.trim()}`);
  const v = Number(t.end.globals.counter);
  if (!Number.isSafeInteger(v)) throw new Error(`trial ${t.index}: counter is ${t.end.globals.counter}`);
  return v;
}

async function hw(program: CompiledProgram, memory: MemoryMode, increments: number): Promise<Measured> {
  const trials = await runOnHardware(program, { trials: TRIALS, memory, timeoutSeconds: TIMEOUT_S });
  const counters = trials.map(counterOf);
  return measured(
    trials.map((t) => t.ms),
    counters,
    increments,
  );
}

/** Block until word `i` of M reaches `target`, or fail after `deadline` (performance.now()). */
function waitFor(M: Int32Array, i: number, target: number, deadline: number, what: string): void {
  for (let v = Atomics.load(M, i); v < target; v = Atomics.load(M, i)) {
    if (Atomics.load(M, FAILED) !== 0) throw new Error(`baseline: a worker failed while waiting for ${what}`);
    if (performance.now() > deadline) throw new Error(`baseline: timed out waiting for ${what}`);
    Atomics.wait(M, i, v, 100);
  }
}

/** The hand-written loop: NTHREAD workers, TRIALS rounds, each released by one store to GO. */
async function baseline(memory: MemoryMode): Promise<Measured> {
  const script = join(root, 'dist', 'bench', 'hw-baseline-worker.js');
  if (!existsSync(script)) throw new Error(`${script} is not built (npm run build)`);
  const sab = new SharedArrayBuffer(WORDS * 4);
  const M = new Int32Array(sab);
  const data: BaselineData = { sab, memory, nloop: NLOOP, rounds: TRIALS };
  const workers = Array.from({ length: NTHREAD }, () => new Worker(script, { workerData: data }));
  let failure: Error | null = null;
  const exited = workers.map(
    (w) =>
      new Promise<void>((resolve) => {
        w.once('error', (e) => (failure ??= e));
        w.once('exit', () => resolve());
      }),
  );
  const trialsMs: number[] = [];
  const counters: number[] = [];
  try {
    // Let the workers start, and report errors, before blocking this thread on them.
    const startBy = performance.now() + TIMEOUT_S * 1000;
    while (Atomics.load(M, READY) < NTHREAD && failure === null && performance.now() < startBy)
      await new Promise((resolve) => setTimeout(resolve, 1));
    if (failure !== null) throw failure;
    for (let r = 1; r <= TRIALS; r++) {
      const deadline = performance.now() + TIMEOUT_S * 1000;
      waitFor(M, READY, NTHREAD * r, deadline, 'the workers to be ready');
      Atomics.store(M, COUNTER, 0);
      const t = performance.now();
      Atomics.store(M, GO, r);
      Atomics.notify(M, GO);
      waitFor(M, DONE, NTHREAD * r, deadline, 'the workers to end');
      trialsMs.push(performance.now() - t);
      counters.push(Atomics.load(M, COUNTER) >> 1);
    }
  } catch (e) {
    // A worker's own error says more than a wait that gave up on it.
    await new Promise((resolve) => setTimeout(resolve, 10));
    throw failure ?? e;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await Promise.all(exited);
  }
  return measured(trialsMs, counters, NTHREAD * NLOOP);
}

/** Run `f`; on failure print why and return the message (the bench goes on). */
async function attempt<T>(what: string, f: () => Promise<T>): Promise<T | string> {
  try {
    return await f();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`hardware bench: ${what} failed: ${message}`);
    return message;
  }
}

const range = (xs: number[]): string => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? n(lo) : `${n(lo)}–${n(hi)}`;
};

const timeCell = (m: Measured, first: string): string =>
  `${n(m.medianMs, 1)} ms (${first} ${n(m.trialsMs[0]!, 1)} ms)`;

/** The section's rows and its part of latest.json. */
export async function hardware(): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const rows: Row[] = [];
  const increments = NTHREAD * NLOOP;
  const size = `${NTHREAD} threads × ${n(NLOOP)}`;
  const counterProgram = await attempt(`loading ${HW_PROGRAM}`, async () =>
    load(HW_PROGRAM, [
      ['nthread', String(NTHREAD)],
      ['nloop', String(NLOOP)],
    ]),
  );
  const results: Record<string, unknown> = {
    trials: TRIALS,
    figure: 'median of trials 2..trials (trial 1 spawns the workers)',
    counter: { program: HW_PROGRAM, nthread: NTHREAD, nloop: NLOOP },
  };
  const ratios: Record<string, number | null> = {};
  for (const memory of ['sc', 'plain'] as const) {
    const base = await attempt(`baseline ${memory}`, () => baseline(memory));
    const ours =
      typeof counterProgram === 'string'
        ? counterProgram
        : await attempt(`hw ${memory} on ${HW_PROGRAM}`, () => hw(counterProgram, memory, increments));
    const access = memory === 'sc' ? 'Atomics.load/store' : 'plain M[0] = M[0] + 2';
    rows.push(
      typeof base === 'string'
        ? [`baseline ${memory}: worker loop, ${size}`, 'failed', base, '']
        : [
            `baseline ${memory}: worker loop, ${size}`,
            timeCell(base, 'first round'),
            `${n(base.incrementsPerSecond / 1e6, 1)} M increments/s`,
            `${access}; counter ${range(base.counters.slice(1))} of ${n(increments)}${
              base.counters.slice(1).every((c) => c === increments)
                ? ' (no update lost: the loops did not overlap, so the ratio below compares unlike work)'
                : ''
            }`,
          ],
    );
    const ratio = typeof base === 'string' || typeof ours === 'string' ? null : ours.medianMs / base.medianMs;
    ratios[memory] = ratio;
    rows.push(
      typeof ours === 'string'
        ? [`hw ${memory}: counter_race.py, ${size}`, 'failed', ours, '']
        : [
            `hw ${memory}: counter_race.py, ${size}`,
            timeCell(ours, 'first trial'),
            `${n(ours.incrementsPerSecond / 1e6, 1)} M increments/s`,
            `${ratio === null ? 'no baseline' : `×${n(ratio, 2)} of the baseline's time (target ≤ ×2)`}; counter ${range(ours.counters.slice(1))}`,
          ],
    );
    results[memory] = { hw: ours, baseline: base, hwOverBaseline: ratio };
  }

  const lockN = 100_000;
  const lockIncrements = NTHREAD * lockN;
  const lock = await attempt(`hw sc on ${LOCK_PROGRAM}`, async () => {
    const program = load(LOCK_PROGRAM, [
      ['T', String(NTHREAD)],
      ['N', String(lockN)],
    ]);
    return hw(program, 'sc', lockIncrements);
  });
  const exact = typeof lock !== 'string' && lock.counters.every((c) => c === lockIncrements);
  rows.push(
    typeof lock === 'string'
      ? [`hw sc: with lock, ${NTHREAD} threads × ${n(lockN)}`, 'failed', lock, '']
      : [
          `hw sc: with lock, ${NTHREAD} threads × ${n(lockN)}`,
          timeCell(lock, 'first trial'),
          `${n(lock.incrementsPerSecond / 1e6, 2)} M increments/s`,
          `counter ${range(lock.counters)} ${exact ? '(exact in every trial)' : `— NOT ${n(lockIncrements)}`}`,
        ],
  );
  results.lock = { program: LOCK_PROGRAM, threads: NTHREAD, n: lockN, hw: lock, exact };
  results.hwOverBaseline = ratios;
  return { rows, results };
}
