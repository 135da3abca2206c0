/** What the step UI's tests start from: a program of programs/ compiled with `--set` values, and a config. */
import type { CompiledProgram } from '../../src/compile/ops.js';
import { loadProgram } from '../../src/run/run.js';
import type { StepConfig } from '../../src/tui/controller.js';
import { DEFAULT_MAX_OPS } from '../../src/vm/bounds.js';

export function loadOrFail(file: string, sets: [string, string][] = []): CompiledProgram {
  const { program } = loadProgram(file, sets);
  if (program === null) throw new Error(`${file} does not compile`);
  return program;
}

/** The config `interleave step` would make, with a budget for `e` that small programs never reach. */
export function stepConfig(
  file: string,
  sets: [string, string][],
  over: Partial<StepConfig> = {},
): StepConfig {
  return {
    file,
    sets,
    tapeArgs: [],
    tape: null,
    scheduler: 'uniform',
    seed: 1,
    slice: 100,
    maxOps: DEFAULT_MAX_OPS,
    runBound: 100_000,
    exploreExecutions: 20_000,
    exploreTimeMs: 60_000,
    outDir: '.',
    ...over,
  };
}
