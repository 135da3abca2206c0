/**
 * The `/fast-check` entry of the package: property-test thread programs with fast-check (a peer
 * dependency, 4.x). Schedules are drawn as a few preemption points and shrink to the fewest
 * preemptions (props/schedule-arbitrary.ts).
 *
 *   import { loadProgram } from 'interleave-sim';
 *   import { assertSchedules, schedule } from 'interleave-sim/fast-check';
 *   assertSchedules(loadProgram('counter.py').program!);   // throws with the shrunk schedule
 */
export {
  assertSchedules,
  nothingWentWrong,
  noLostUpdate,
  schedule,
  ScheduleCheckFailure,
  type AssertSchedulesOptions,
  type ExecutionCheck,
  type GeneratedSchedule,
  type ScheduleArbitraryOptions,
} from './props/schedule-arbitrary.js';
export { completeSchedule, type CompletedSchedule, type PreemptionPoint } from './props/preemptions.js';
