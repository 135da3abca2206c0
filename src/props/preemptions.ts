/**
 * A schedule as a few preemption points, completed without further preemptions: the shape the
 * fast-check arbitrary generates and shrinks (props/schedule-arbitrary.ts). Any list of points
 * gives a valid execution, so every shrunk value is one too. The completion itself, and its
 * rule, are the explore layer's (explore/preemption-points.ts), which the witness shrinker of
 * `explore` and `check` shares (explore/shrink-witness.ts).
 */
import type { CompiledProgram } from '../compile/ops.js';
import { completePoints, type PreemptionPoint } from '../explore/preemption-points.js';
import type { Schedule } from '../schedule/schedule.js';

export type { PreemptionPoint } from '../explore/preemption-points.js';

export interface CompletedSchedule {
  /** The points as given, sorted by step. */
  points: PreemptionPoint[];
  /** The schedule of the execution they give (replayable with `run --schedule`). */
  schedule: Schedule;
  /** Steps the execution took (up to `maxSteps`). */
  steps: number;
  /** Points that switched away from a thread that could go on: the preemptions of the schedule. */
  preemptions: number;
}

/**
 * The execution of `program` under `points`, completed non-preemptively, up to `maxSteps` steps
 * (the program's end, a deadlock, or the bound). `random` calls take option 0.
 */
export function completeSchedule(
  program: CompiledProgram,
  points: readonly PreemptionPoint[],
  maxSteps: number,
  maxOps?: number,
): CompletedSchedule {
  const done = completePoints(program, points, { maxSteps, maxOps });
  return {
    points: [...points].sort((a, b) => a.step - b.step),
    schedule: done.schedule,
    steps: done.steps,
    preemptions: done.preemptions,
  };
}
