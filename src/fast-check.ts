/**
 * The `/fast-check` entry of the package: property-test thread programs with fast-check (a peer
 * dependency, 4.x). Schedules are drawn as a few preemption points and shrink to the fewest
 * preemptions (props/schedule-arbitrary.ts); programs are drawn as small thread programs that
 * shrink to fewer threads and simpler statements (props/thread-program.ts).
 *
 *   import { compileSource, loadProgram } from 'interleave-sim';
 *   import { assertSchedules, schedule, threadProgram } from 'interleave-sim/fast-check';
 *   assertSchedules(loadProgram('counter.py').program!);   // throws with the shrunk schedule
 *   fc.assert(fc.property(threadProgram({ primitives: ['plain', 'lock'] }), (source) => ...));
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
export {
  renderThreadProgram,
  threadProgram,
  threadProgramModel,
  THREAD_PRIMITIVES,
  type CountRange,
  type StatementNode,
  type ThreadPrimitive,
  type ThreadProgramModel,
  type ThreadProgramOptions,
  type ThreadStatement,
  type WorkerModel,
} from './props/thread-program.js';
export {
  verify,
  type FinalState,
  type Property,
  type VerifyBudget,
  type VerifyFailure,
  type VerifyResult,
} from './props/verify.js';
export { explainExecution, type ExplainedExecution } from './props/schedule-arbitrary.js';
