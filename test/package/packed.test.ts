/**
 * The package as a user gets it: `npm pack`, the tarball installed into an empty project, and
 * there a TypeScript consumer that imports every entry point, type-checked with the installed
 * `.d.ts` files and run with Node; and the installed bin, run from that project's folder.
 * The published shape is tested, not the source tree. Needs the npm registry (the package's
 * dependencies are installed from it, or from npm's cache). `--ignore-scripts`: dist/ is built
 * by `npm test`'s pretest, and a rebuild while other tests run the bin would race with them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
const project = mkdtempSync(join(tmpdir(), 'interleave-consumer-'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const CONSUMER = `import { loadProgram, compileSource, runProgram, exploreProgram, checkProgram, encodeSchedule, Session, outcomeOf, outcomeJson, toJsValue, mutualExclusion, invariant, type JsValue, type Invariant } from '${pkg.name}';
import { assertSchedules, noLostUpdate, schedule, ScheduleCheckFailure, threadProgram, verify, type GeneratedSchedule, type VerifyResult } from '${pkg.name}/fast-check';
import fc from 'fast-check';

const source = 'import threading\\ncounter = 0\\ndef inc():\\n    global counter\\n    counter += 1\\nts = [threading.Thread(target=inc) for _ in range(2)]\\nfor t in ts: t.start()\\nfor t in ts: t.join()\\n';
const { program, diagnostics } = compileSource(source, 'counter.py', []);
if (program === null) throw new Error(diagnostics.map((d) => d.message).join('; '));
const run = runProgram(program, { scheduler: 'uniform', seed: 3 });
const explored = exploreProgram(program, { strategy: 'exhaustive' });
const counters: JsValue[] = explored.table.entries.map((e) => toJsValue(e.state.values.get('counter')!));
const bad = compileSource('x = (\\n', 'bad.py', []);
const session = new Session(program);
session.step(0);
const sample: GeneratedSchedule[] = fc.sample(schedule(program), { numRuns: 3, seed: 1 });
const twice: Invariant = invariant('counter ≤ 2', (s) => (s.globals.counter as number) <= 2, { reads: ['counter'] });
const verdict: VerifyResult = verify(program, { invariants: [twice, mutualExclusion('inc')], end: (f) => f.globals.counter === 2 });
const programs = fc.sample(threadProgram({ primitives: ['plain'] }), { numRuns: 2, seed: 1 });
let shrunk = -1;
try {
  assertSchedules(program, noLostUpdate, { fc: { seed: 1 } });
} catch (err) {
  if (err instanceof ScheduleCheckFailure) shrunk = err.execution.preemptions;
}
console.log(JSON.stringify({
  steps: run.execution.steps > 0,
  values: outcomeOf(run).values,
  json: outcomeJson(run).globals,
  repr: outcomeJson(run).globalsRepr,
  counters: counters.map(Number).sort(),
  schedule: encodeSchedule(run.execution.schedule).startsWith('v1:'),
  outcomes: explored.table.entries.length,
  complete: explored.complete,
  diagnostic: bad.diagnostics[0]?.code,
  sessionStep: session.steps,
  sampled: sample.length,
  shrunk,
  verdict: verdict.summary,
  programs: programs.every((p) => compileSource(p, 'p.py', []).program !== null),
  load: typeof loadProgram,
  check: typeof checkProgram,
}));
`;

describe('the packed package, installed into an empty project', () => {
  beforeAll(() => {
    const out = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', project], root);
    const tarball = join(project, (JSON.parse(out) as { filename: string }[])[0]!.filename);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', type: 'module', private: true }),
    );
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'fast-check@4'], project);
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          outDir: 'out',
          skipLibCheck: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
  }, 240_000);

  it('type-checks and runs a consumer importing every entry point', () => {
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      {
        encoding: 'utf8',
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const r = spawnSync(process.execPath, [join(project, 'out', 'consumer.js')], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      steps: true,
      values: { counter: 2 },
      json: { counter: 2 },
      repr: { counter: '2' },
      counters: [1, 2],
      schedule: true,
      outcomes: 2,
      complete: true,
      diagnostic: 'E110',
      sessionStep: 1,
      sampled: 3,
      shrunk: 1,
      verdict: 'failed: mutual exclusion of inc(): Thread-1 (inc) and Thread-2 (inc) are both inside inc()',
      programs: true,
      load: 'function',
      check: 'function',
    });
  }, 60_000);

  it('ships the built code and types, not the sources or the tests', () => {
    const files = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root)) as {
      files: { path: string }[];
    }[];
    const paths = files[0]!.files.map((f) => f.path);
    expect(paths).toContain('dist/src/index.d.ts');
    expect(paths).toContain('dist/src/fast-check.js');
    expect(
      paths.some((p) => p.startsWith('src/') || p.startsWith('test/') || p.startsWith('dist/test/')),
    ).toBe(false);
  }, 60_000);

  it('runs the installed bin from the project folder', () => {
    writeFileSync(join(project, 'race.py'), readFileSync(join(root, 'programs', 'counter_race.py')));
    const r = spawnSync(
      join(project, 'node_modules', '.bin', 'interleave'),
      ['run', 'race.py', '--set', 'nthread=2', '--set', 'nloop=1', '--seed', '1'],
      { cwd: project, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('── interleave: race.py');
  }, 60_000);
});
