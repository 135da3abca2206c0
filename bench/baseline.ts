/**
 * Issue 10 (a refactor that must not slow anything down): simulation and exploration figures of
 * this build against the build of an earlier commit, measured side by side in one run. The
 * baseline commit is BENCH_BASELINE (default 335e826, the last commit before issue 10's
 * rework); it is checked out into a temporary git worktree and built there once.
 *
 * Each task runs in a fresh process per build (bench/measure-build.ts), the two builds
 * alternating, TRIALS times; the figure is the median of the trials' medians. A slowdown is
 * this build's time over the baseline's, minus one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const TRIALS = 5;
const TASKS = ['sim-uniform', 'sim-slice', 'dpor-counter', 'dpor-lastzero', 'stateful-counter'] as const;
const LABEL: Record<(typeof TASKS)[number], string> = {
  'sim-uniform': 'simulate counter_race full size, uniform',
  'sim-slice': 'simulate counter_race full size, time-slice',
  'dpor-counter': 'DPOR, counter T=2 N=4',
  'dpor-lastzero': 'DPOR, lastzero(6)',
  'stateful-counter': 'stateful search, counter T=3 N=3',
};

export interface BaselineRow {
  task: string;
  work: number;
  oursMs: number;
  baselineMs: number;
  /** oursMs / baselineMs − 1 (0.05 is 5 % slower). */
  slowdown: number;
}

/** The baseline build's dist/ folder, building it when needed; a string says why there is none. */
function baselineDist(ref: string): string | { skipped: string } {
  const dir = join(tmpdir(), `interleave-baseline-${ref}`);
  if (!existsSync(join(dir, 'dist', 'src', 'compile', 'index.js'))) {
    if (!existsSync(dir)) {
      const add = spawnSync('git', ['worktree', 'add', '--detach', dir, ref], {
        cwd: root,
        encoding: 'utf8',
      });
      if (add.status !== 0) return { skipped: `cannot check out ${ref}: ${add.stderr.trim()}` };
    }
    if (!existsSync(join(dir, 'node_modules')))
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    if (tsc.status !== 0) return { skipped: `cannot build ${ref}: ${tsc.stdout.trim().slice(0, 200)}` };
  }
  return join(dir, 'dist');
}

function measure(dist: string, task: string): { ms: number; work: number } {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'measure-build.js'), dist, task, '3'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`measuring ${task} on ${dist} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { ms: number; work: number };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** This build against the baseline commit, task by task. */
export function againstBaseline(): { ref: string; rows: BaselineRow[] } | { ref: string; skipped: string } {
  const ref = process.env.BENCH_BASELINE ?? '335e826';
  const base = baselineDist(ref);
  if (typeof base !== 'string') return { ref, ...base };
  const ours = join(root, 'dist');
  const rows = TASKS.map((task) => {
    const a: number[] = [];
    const b: number[] = [];
    let work = 0;
    for (let i = 0; i < TRIALS; i++) {
      const x = measure(ours, task);
      const y = measure(base, task);
      if (x.work !== y.work) throw new Error(`${task}: this build did ${x.work}, the baseline ${y.work}`);
      work = x.work;
      a.push(x.ms);
      b.push(y.ms);
    }
    const oursMs = median(a);
    const baselineMs = median(b);
    return { task: LABEL[task], work, oursMs, baselineMs, slowdown: oursMs / baselineMs - 1 };
  });
  return { ref, rows };
}

// `node dist/bench/baseline.js`: this section alone.
if (process.argv[1] !== undefined && process.argv[1].endsWith(join('bench', 'baseline.js'))) {
  const r = againstBaseline();
  if ('skipped' in r) console.log(`baseline ${r.ref} skipped: ${r.skipped}`);
  else {
    console.log(
      `against ${r.ref} (median of ${TRIALS} trials, each the median of 3 runs in a fresh process):`,
    );
    for (const x of r.rows)
      console.log(
        `${x.task.padEnd(46)} ${x.oursMs.toFixed(0).padStart(7)} ms vs ${x.baselineMs.toFixed(0).padStart(7)} ms  ${(x.slowdown * 100).toFixed(1).padStart(6)} %  (work ${x.work.toLocaleString('en-US')})`,
      );
  }
}
