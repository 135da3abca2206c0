/**
 * interleave's public API: the one module the package exports (the command line is built on
 * the same functions). Re-exports only; each function's own docstring gives its contract.
 *
 *   const { program, diagnostics } = loadProgram('counter.py', [['N', '3']]);
 *   const result = runProgram(program!, { scheduler: 'uniform', seed: 3 });
 *   const exploration = exploreProgram(program!, { strategy: 'exhaustive' });
 *   const session = new Session(program!);  session.step(0);
 */

/** Compile a program: from a file (`loadProgram`) or from source text (`compileSource`), with `--set` values. */
export { loadProgram, MAX_SOURCE_BYTES, type LoadResult } from './run/run.js';
export { compileSource, type CompileResult } from './compile/index.js';
export type { CompiledProgram } from './compile/ops.js';
export { formatDiagnostics, type Diagnostic, type DiagnosticCode } from './base/diagnostics.js';

/** The execution model a program runs under (switch points and memory model), part of a run's identity. */
export {
  DEFAULT_MODEL,
  modelName,
  parseModelName,
  type ExecutionModel,
  type MemoryModel,
  type SwitchPoints,
} from './compile/model.js';

/** Run one execution under a scheduler, or replay a schedule. */
export {
  runProgram,
  DEFAULT_MAX_STEPS,
  DEFAULT_SEED,
  DEFAULT_SLICE,
  type RunOptions,
  type RunResult,
  type SchedulerConfig,
  type SchedulerName,
} from './run/run.js';
export { ScheduleMismatch } from './schedule/strategies.js';

/** Schedules: an execution's decisions, and their text form (`v1:3fa2c1d0:0*12,1*3`). */
export { decodeSchedule, encodeSchedule, type Schedule, type ScheduleItem } from './schedule/schedule.js';

/** Invariants over states, checked after every step of every execution (run, explore, the fast-check helpers). */
export {
  invariant,
  mutualExclusion,
  InvariantReadError,
  InvariantError,
  type Invariant,
  type InvariantCheck,
  type InvariantState,
  type InvariantViolation,
  type ThreadPosition,
} from './session/invariant.js';

/** Step one execution by hand: checkpoints, seek back and forth, run until an event. */
export {
  Session,
  type PrintedText,
  type SessionOptions,
  type StepEvent,
  type StopAt,
  type ThreadView,
} from './session/session.js';

/** Explore many executions: exhaustive (DPOR, stateful), random or PCT. */
export {
  exploreProgram,
  isFailure,
  type Exploration,
  type ExploreOptions,
  type Failure,
  type StrategyName,
} from './explore/explore.js';
export type { EndState, OutcomeEntry, OutcomeTable, Witness } from './explore/outcomes.js';
export { fewestFailingPreemptions } from './explore/fewest-preemptions.js';

/**
 * Shrink a witness (a schedule) to the fewest preemptions with which a check of its execution
 * still holds: what `explore --strategy random|pct` and `check` do to the witnesses they print.
 */
export {
  shrinkWitness,
  DEFAULT_SHRINK_BUDGET,
  type ShrinkOptions,
  type ShrinkRun,
  type ShrunkWitness,
} from './explore/shrink-witness.js';

/** Check a program's `# expect:` lines against its executions. */
export { parseExpectations, type Expectation, type ExpectationError } from './check/expectations.js';
export {
  checkProgram,
  type CheckOptions,
  type CheckResult,
  type LineResult,
  type Verdict,
} from './check/check.js';

/** The outcome of one execution as plain data, with its final globals as typed values; and as the JSON `run --json` prints. */
export { outcomeJson, outcomeOf, wentWrong, type Outcome, type OutcomeJson } from './report/outcome.js';

/** Python values (an explored EndState's `values`) as typed JS values (int → number, tuple → frozen array, dict → Map) and as JSON, with the repr of what has no counterpart. */
export {
  toJsValue,
  toJsonValue,
  type JsValue,
  type JsonValue,
  type OpaqueValue,
} from './semantics/js-value.js';
