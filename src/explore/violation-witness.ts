/**
 * The witnesses of invariant failures as whole executions. An explorer records the steps up to
 * the failure (outcomes.ts `addViolation`); a replay of those alone would stop short of the
 * program's end. Each is shrunk to the fewest preemptions that fail the invariant the same way
 * (shrink-witness.ts), which gives a whole execution; when shrinking is off or the witness is
 * not reproduced, it is completed from where it stops without further preemptions
 * (preemption-points.ts).
 */
import type { CompiledProgram } from '../compile/ops.js';
import type { Invariant } from '../session/invariant.js';
import type { OutcomeTable } from './outcomes.js';
import { completePoints } from './preemption-points.js';
import { shrinkWitness, type ShrinkOptions } from './shrink-witness.js';

/** Replace each violation's witness in `table` by a whole execution (shrunk unless `shrink` is false). */
export function wholeViolationWitnesses(
  program: CompiledProgram,
  table: OutcomeTable,
  invariants: readonly Invariant[],
  maxSteps: number,
  shrink: false | ShrinkOptions = {},
): void {
  for (const entry of table.violations.values()) {
    const prefix = entry.witness.schedule;
    if (shrink !== false) {
      const shrunk = shrinkWitness(program, prefix, (run) => run.violation?.message === entry.message, {
        ...shrink,
        invariants,
        maxSteps,
      });
      if (shrunk.reproduced) {
        const from = entry.witness.preemptions;
        entry.witness = { schedule: shrunk.schedule, preemptions: shrunk.preemptions };
        if (shrunk.preemptions < from) entry.witness.shrunkFrom = from;
        continue;
      }
    }
    const done = completePoints(program, [], { maxSteps, prefix, invariants });
    entry.witness = { schedule: done.schedule, preemptions: entry.witness.preemptions };
  }
}
