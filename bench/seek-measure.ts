/**
 * Stepping back at full size (run by bench/seek.ts in a process of its own, with --expose-gc):
 * programs/counter_race.py, 100 threads × 50,000 loops, time-slice scheduler seed 1, run in a
 * Session with checkpoints (as the terminal UI does), then `seek(N)` and a step back
 * (`seek(N − 1)` from N) at 20 positions spread across the run, visited in a scrambled order.
 * Memory: heap used after a full gc, with the session kept alive, minus the same for a session
 * of the same run without checkpoints (measured, not estimated). Prints one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { DEFAULT_MAX_STEPS, DEFAULT_SLICE, loadProgram } from '../src/run/run.js';
import { TimeSliceStrategy } from '../src/schedule/strategies.js';
import { execute } from '../src/session/execute.js';
import { Session } from '../src/session/session.js';

const root = join(import.meta.dirname, '..', '..');
const PROGRAM = 'programs/counter_race.py';
const POSITIONS = 20;

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap used after a full garbage collection, in bytes (null without --expose-gc). */
function heapAfterGc(): number | null {
  if (gc === undefined) return null;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const { program } = loadProgram(join(root, PROGRAM));
if (program === null) throw new Error(`${PROGRAM} does not compile`);

function fullRun(checkpoints: boolean): { session: Session; ms: number } {
  const session = new Session(program!, { checkpoints });
  const t = performance.now();
  execute(session, new TimeSliceStrategy(1, DEFAULT_SLICE), { maxSteps: DEFAULT_MAX_STEPS });
  return { session, ms: performance.now() - t };
}

const before = heapAfterGc();
let plain: Session | null = fullRun(false).session;
const withoutCheckpoints = heapAfterGc();
const steps = plain.steps;
plain = null;
heapAfterGc();
const base = heapAfterGc();
const { session, ms: runMs } = fullRun(true);
const withCheckpoints = heapAfterGc();
const internals = session as unknown as { checkpoints: { step: number }[]; interval: number };
const checkpointCount = internals.checkpoints.length;
const interval = internals.interval;

const seekMs: number[] = [];
const backMs: number[] = [];
for (let k = 0; k < POSITIONS; k++) {
  const i = (k * 7) % POSITIONS;
  const target = Math.max(1, Math.round(((i + 0.5) * steps) / POSITIONS));
  let t = performance.now();
  session.seek(target);
  seekMs.push(performance.now() - t);
  t = performance.now();
  session.seek(target - 1);
  backMs.push(performance.now() - t);
}

const checkpointBytes =
  withCheckpoints === null || withoutCheckpoints === null || base === null || before === null
    ? null
    : withCheckpoints - base - (withoutCheckpoints - before);
console.log(
  JSON.stringify({
    program: PROGRAM,
    steps,
    runMs,
    checkpoints: checkpointCount,
    interval,
    memory:
      gc === undefined ? 'unmeasured (no --expose-gc)' : 'heapUsed after gc, with minus without checkpoints',
    checkpointBytes,
    seek: { medianMs: median(seekMs), maxMs: Math.max(...seekMs), ms: seekMs },
    stepBack: { medianMs: median(backMs), maxMs: Math.max(...backMs), ms: backMs },
  }),
);
