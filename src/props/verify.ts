/**
 * One call that proves or tests a property of a thread program: `verify`.
 *
 * First the exhaustive search (optimal DPOR, explore/dpor.ts; a program that spins hands over
 * to the stateful search, explore/stateful.ts), with the property's invariants visible to the
 * reduction (session/invariant.ts). When it completes within the budget and nothing fails, the
 * property is **proven**: it holds in every execution of the program under the language's
 * semantics. When it finds a failure, the failing execution with the fewest preemptions among
 * those explored is the witness. When the budget runs out first, a complete search was not
 * possible and `verify` falls back to testing: fast-check over `schedule(program)`
 * (props/schedule-arbitrary.ts), which either finds a failure (shrunk to few preemptions) or
 * says **tested N schedules, not proven**. An incomplete search is never called proven.
 */
import { plural } from '../base/plural.js';
import fc from 'fast-check';
import type { CompiledProgram } from '../compile/ops.js';
import { exploreProgram, type Exploration } from '../explore/explore.js';
import { shrinkWitness } from '../explore/shrink-witness.js';
import type { EndState, Witness } from '../explore/outcomes.js';
import type { StopReason } from '../explore/dpor.js';
import { encodeSchedule } from '../schedule/schedule.js';
import { toJsValue, type JsValue } from '../semantics/js-value.js';
import type { Invariant } from '../session/invariant.js';
import { isDataValue } from '../vm/data-globals.js';
import {
  assertSchedules,
  explainExecution,
  ScheduleCheckFailure,
  wholeAtLeast,
  type GeneratedSchedule,
} from './schedule-arbitrary.js';

/** How an execution ended, as a property's end check sees it. */
export interface FinalState {
  status: 'completed' | 'deadlock' | 'step-bound';
  /** The data globals as typed values (semantics/js-value.ts). */
  globals: Readonly<Record<string, JsValue>>;
  /** Uncaught exceptions, `TypeError: message`, by thread. */
  exceptions: readonly { thread: string; text: string }[];
}

/** What must hold: invariants after every step, and a check of every execution's end. */
export interface Property {
  invariants?: readonly Invariant[];
  /** True (or nothing) when the end is fine; false or a message when not. */
  end?: (final: FinalState) => boolean | string | void;
  /**
   * Whether a deadlock, an uncaught exception or an execution that does not end (a step bound,
   * a thread spinning for ever) fails the property too (default true).
   */
  strict?: boolean;
}

export interface VerifyBudget {
  /** Executions of the exhaustive search (default 20,000). */
  executions?: number;
  /** States of the stateful search, for programs that spin (default 200,000). */
  states?: number;
  /** Wall-clock milliseconds for the exhaustive search (default 10,000; it only stops the search). */
  timeMs?: number;
  /** Steps per execution (default 2,000: a spinning execution is cut there and the stateful search takes over). */
  maxSteps?: number;
  /** Schedules fast-check tests when the search cannot complete (default 1,000). */
  schedules?: number;
  /** fast-check's seed for that fallback (default: fast-check's own). */
  seed?: number;
}

/** A failing execution: why, its schedule, and `run`'s explanation of it. */
export interface VerifyFailure {
  reason: string;
  schedule: string;
  preemptions: number;
  /** `npx interleave run FILE --schedule ...`. */
  replay: string;
  /** `run`'s report: final globals, the invariant's slice, lost-update windows. */
  report: string;
}

export type VerifyResult =
  | { verdict: 'proven'; by: 'dpor' | 'stateful'; executions: number; states?: number; summary: string }
  | { verdict: 'failed'; by: 'dpor' | 'stateful' | 'fast-check'; failure: VerifyFailure; summary: string }
  | { verdict: 'tested'; schedules: number; searchStoppedBy: StopReason[]; summary: string };

/**
 * Prove `property` of `program` by exhaustive search within `budget`, or test it with
 * fast-check when the search cannot complete. Returns the verdict with a one-line `summary`:
 * `proven: ... (N executions, every Mazurkiewicz trace)`, `failed: reason` (with the witness),
 * or `tested N schedules, not proven (the search stopped: ...)`. Throws RangeError when an
 * invariant reads a global the program lacks.
 */
export function verify(
  program: CompiledProgram,
  property: Property,
  budget: VerifyBudget = {},
): VerifyResult {
  const invariants = property.invariants ?? [];
  const maxSteps = budget.maxSteps ?? 2_000;
  for (const [name, value] of Object.entries(budget))
    if (name !== 'seed' && value !== undefined)
      wholeAtLeast(name, value as number, name === 'timeMs' ? 0 : 1);
  const x = exploreProgram(program, {
    strategy: 'exhaustive',
    invariants,
    maxExecutions: budget.executions ?? 20_000,
    timeLimitMs: budget.timeMs ?? 10_000,
    maxSteps,
    statefulFallback: { maxStates: budget.states ?? 200_000, livelocks: property.strict ?? true },
  });
  const by = x.stateful !== undefined && x.stateful.complete ? 'stateful' : 'dpor';
  const livelock = x.stateful?.livelock ?? null;
  if (livelock !== null && (property.strict ?? true)) {
    // The steps to a state no execution can end from: the run stops there, it would loop for ever.
    const explained = explainExecution(program, livelock.schedule, { maxSteps, invariants, stopAtEnd: true });
    const reason = `an execution can never end: from ${plural(livelock.states, 'reachable state')} no path leads to the program's end (a thread loops for ever)`;
    const failure: VerifyFailure = {
      reason,
      schedule: encodeSchedule(livelock.schedule),
      preemptions: 0,
      replay: explained.replay,
      report: explained.report,
    };
    return { verdict: 'failed', by, failure, summary: `failed: ${reason}` };
  }
  const failed = firstFailure(x, property, x.complete);
  if (failed !== null) {
    // An invariant's witness comes whole and shrunk from the exploration (violation-witness.ts);
    // a failing end's is the exhaustive search's, shrunk here to the fewest preemptions.
    const shrunk = failed.invariant
      ? null
      : shrinkWitness(
          program,
          failed.witness.schedule,
          (run) => run.violations.length === 0 && endVerdict(finalOf(run.state), property) === failed.reason,
          { invariants, maxSteps },
        );
    const better = shrunk !== null && shrunk.reproduced ? shrunk : null;
    const whole = better?.schedule ?? failed.witness.schedule;
    const explained = explainExecution(program, whole, { maxSteps, invariants });
    const failure: VerifyFailure = {
      reason: failed.reason,
      schedule: encodeSchedule(whole),
      preemptions: better?.preemptions ?? failed.witness.preemptions,
      replay: explained.replay,
      report: explained.report,
    };
    return { verdict: 'failed', by, failure, summary: `failed: ${failed.reason}` };
  }
  if (x.complete) {
    const executions = x.table.executions;
    const states = x.stateful?.states;
    const what =
      by === 'stateful'
        ? `${plural(states!, 'state')}, every reachable state`
        : `${plural(executions, 'execution')}, every Mazurkiewicz trace`;
    return {
      verdict: 'proven',
      by,
      executions,
      ...(states === undefined ? {} : { states }),
      summary: `proven (${what})`,
    };
  }
  return tested(program, property, budget, x.stoppedBy);
}

function tested(
  program: CompiledProgram,
  property: Property,
  budget: VerifyBudget,
  stoppedBy: StopReason[],
): VerifyResult {
  const invariants = property.invariants ?? [];
  const params: fc.Parameters<[GeneratedSchedule]> = { numRuns: budget.schedules ?? 1_000 };
  if (budget.seed !== undefined) params.seed = budget.seed;
  try {
    const n = assertSchedules(
      program,
      (_result, outcome) => {
        const final: FinalState = {
          status: outcome.status === 'diverged' ? 'step-bound' : outcome.status,
          globals: outcome.values,
          exceptions: outcome.exceptions.map((e) => ({ thread: e.thread, text: e.text })),
        };
        return endVerdict(final, property) ?? true;
      },
      { invariants, fc: params, maxSteps: budget.maxSteps ?? 2_000 },
    );
    const why = stoppedBy.length === 0 ? '' : ` (the exhaustive search stopped: ${stoppedBy.join(', ')})`;
    return {
      verdict: 'tested',
      schedules: n,
      searchStoppedBy: stoppedBy,
      summary: `tested ${n.toLocaleString('en-US')} schedules, not proven${why}`,
    };
  } catch (err) {
    if (!(err instanceof ScheduleCheckFailure)) throw err;
    return {
      verdict: 'failed',
      by: 'fast-check',
      failure: {
        reason: err.reason,
        schedule: err.execution.text,
        preemptions: err.execution.preemptions,
        replay: err.explained.replay,
        report: err.explained.report,
      },
      summary: `failed: ${err.reason}`,
    };
  }
}

/** The end check's verdict on `final` (a message), or null when it passes. */
function endVerdict(final: FinalState, property: Property): string | null {
  if (property.strict ?? true) {
    if (final.status === 'deadlock') return 'deadlock';
    if (final.status === 'step-bound')
      return 'an execution did not end (step bound, or a thread spinning for ever)';
    if (final.exceptions.length > 0) return `${final.exceptions[0]!.thread}: ${final.exceptions[0]!.text}`;
  }
  const v = property.end?.(final);
  if (v === undefined || v === true) return null;
  return v === false ? 'the end check returned false' : v;
}

function finalOf(state: EndState): FinalState {
  const globals: Record<string, JsValue> = {};
  for (const [name, v] of state.values)
    if (isDataValue(v))
      Object.defineProperty(globals, name, {
        value: toJsValue(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return {
    status: state.status,
    globals,
    exceptions: state.exceptions.map((e) => ({ thread: e.thread, text: e.text })),
  };
}

/** The failure to show: an invariant's (fewest preemptions first), else a failing end. */
function firstFailure(
  x: Exploration,
  property: Property,
  complete: boolean,
): { reason: string; witness: Witness; invariant: boolean } | null {
  const violations = [...x.table.violations.values()].sort(
    (a, b) => a.witness.preemptions - b.witness.preemptions,
  );
  if (violations.length > 0)
    return { reason: violations[0]!.message, witness: violations[0]!.witness, invariant: true };
  // An incomplete search's executions cut by the step bound may only be long (a spin loop the
  // stateful search did not finish): not a failure unless the search completed.
  const ends = x.table.entries
    .filter((e) => complete || e.state.status !== 'step-bound')
    .map((e) => ({ reason: endVerdict(finalOf(e.state), property), witness: e.witness, invariant: false }))
    .filter((e): e is { reason: string; witness: Witness; invariant: false } => e.reason !== null)
    .sort((a, b) => a.witness.preemptions - b.witness.preemptions);
  return ends[0] ?? null;
}
