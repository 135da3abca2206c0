/**
 * Measures one task on one build of interleave, in a process of its own, and prints
 * `{ "ms": <median wall time of the task in ms>, "work": <executions, states or micro-ops> }`
 * as JSON. bench/baseline.ts runs it alternately on our build and on the build of an earlier
 * commit, so that both are measured side by side on the same machine in the same minute.
 *
 * Usage: node dist/bench/measure-build.js DIST TASK REPEAT
 *   DIST    the build's dist/ folder (its modules are imported from there; a module that moved
 *           between commits is found under each of its known paths)
 *   TASK    sim-uniform | sim-slice | dpor-counter | dpor-lastzero | stateful-counter
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [dist, task, repeatText] = process.argv.slice(2);
if (dist === undefined || task === undefined) {
  console.error('usage: measure-build DIST TASK [REPEAT]');
  process.exit(2);
}
const repeat = Number(repeatText ?? 3);
const root = join(import.meta.dirname, '..', '..');

/** The first of `paths` (relative to DIST) that the build has. */
async function load(paths: string[]): Promise<Record<string, (...args: unknown[]) => unknown>> {
  for (const p of paths) {
    try {
      return (await import(pathToFileURL(join(dist!, p)).href)) as Record<
        string,
        (...args: unknown[]) => unknown
      >;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  throw new Error(`none of ${paths.join(', ')} in ${dist}`);
}

const { compileSource } = await load(['src/compile/index.js']);
const { runProgram } = await load(['src/run/run.js', 'src/api/run.js']);
const { explorePOR } = await load(['src/explore/dpor.js']);
const { exploreStates } = await load(['src/explore/stateful.js']);

function compile(file: string, sets: [string, string][]): unknown {
  const r = compileSource!(readFileSync(join(root, file), 'utf8'), file, sets) as { program: unknown };
  if (r.program === null) throw new Error(`${file} does not compile`);
  return r.program;
}

type Run = { machine: { microOps: number } };

/** Each task compiles its program and returns the measured body, which returns the work done. */
const tasks: Record<string, () => () => number> = {
  'sim-uniform': () => {
    const p = compile('programs/counter_race.py', []);
    return () => (runProgram!(p, { scheduler: 'uniform', seed: 3 }) as Run).machine.microOps;
  },
  'sim-slice': () => {
    const p = compile('programs/counter_race.py', []);
    return () => (runProgram!(p, { seed: 1 }) as Run).machine.microOps;
  },
  'dpor-counter': () => {
    const p = compile('bench/programs/counter.py', [
      ['T', '2'],
      ['N', '4'],
    ]);
    return () => (explorePOR!(p) as { executions: number }).executions;
  },
  'dpor-lastzero': () => {
    const p = compile('bench/programs/lastzero.py', [['n', '6']]);
    return () => (explorePOR!(p) as { executions: number }).executions;
  },
  'stateful-counter': () => {
    const p = compile('bench/programs/counter.py', [
      ['T', '3'],
      ['N', '3'],
    ]);
    return () => (exploreStates!(p) as { states: number }).states;
  },
};

const make = tasks[task];
if (make === undefined) {
  console.error(`unknown task ${task}: ${Object.keys(tasks).join(', ')}`);
  process.exit(2);
}
const body = make();
const times: number[] = [];
let work = 0;
for (let i = 0; i < repeat; i++) {
  const t = performance.now();
  work = body();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ ms: times[Math.floor(times.length / 2)], work }));
