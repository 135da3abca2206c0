/**
 * The fewest preemptions with which an invariant fails: the smallest preemption bound at which
 * the exhaustive search (dpor.ts, bounded as CHESS and loom bound it: Musuvathi & Qadeer,
 * "Iterative context bounding for systematic testing of multithreaded programs", PLDI 2007)
 * finds a failure. The oracle shrunk witnesses are held against.
 */
import type { CompiledProgram } from '../compile/ops.js';
import type { Invariant } from '../session/invariant.js';
import { exploreProgram } from './explore.js';

/**
 * The smallest bound k (0 ≤ k ≤ `maxBound`, default 4) at which an execution with at most k
 * preemptions fails one of `invariants`, each execution cut at `maxSteps` (default 300) steps;
 * null when none fails up to `maxBound`.
 */
export function fewestFailingPreemptions(
  program: CompiledProgram,
  invariants: readonly Invariant[],
  options: { maxBound?: number; maxSteps?: number } = {},
): number | null {
  for (let bound = 0; bound <= (options.maxBound ?? 4); bound++) {
    const x = exploreProgram(program, {
      strategy: 'exhaustive',
      invariants,
      preemptionBound: bound,
      maxSteps: options.maxSteps ?? 300,
      shrink: false,
    });
    if (x.table.violations.size > 0) return bound;
  }
  return null;
}
