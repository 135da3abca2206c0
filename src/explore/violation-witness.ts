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
    let schedule = entry.witness.schedule;
    let preemptions = entry.witness.preemptions;
    let shrunkFrom: number | undefined;
    if (shrink !== false) {
      const shrunk = shrinkWitness(
        program,
        schedule,
        (run) => run.violations.some((v) => v.message === entry.message),
        {
          ...shrink,
          invariants,
          maxSteps,
        },
      );
      if (shrunk.reproduced) {
        if (shrunk.preemptions < preemptions) shrunkFrom = preemptions;
        ({ schedule, preemptions } = shrunk);
      }
    }
    // The shrinker returns the witness itself when nothing better fails: it may still stop at
    // the failure. Completing a whole execution changes nothing.
    const done = completePoints(program, [], { maxSteps, prefix: schedule, invariants });
    entry.witness = {
      schedule: done.schedule,
      preemptions,
      ...(shrunkFrom === undefined ? {} : { shrunkFrom }),
    };
  }
}
