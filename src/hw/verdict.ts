/**
 * Holding hardware trials against the simulator: the simulator's exhaustive search predicts
 * every outcome of the program under sequential consistency (src/explore/explore.ts); each
 * distinct outcome seen on hardware is then labelled
 *
 *   possible        the simulator reaches it too: its witness schedule replays it
 *   not predicted   the simulator's search was complete and never reaches it (a finding:
 *                   the hardware did something no interleaving does)
 *   not found       the simulator did not reach it, but its search was stopped by a bound
 *   unknown         the trial has no end state to compare (timed out or crashed while a thread
 *                   could still run)
 *
 * and, when the search was complete and the outcomes are few, the predicted outcomes that no
 * trial reached are listed.
 */
import type { CompiledProgram } from '../compile/ops.js';
import { MAX_CHOICE_BRANCHES, type StopReason } from '../explore/dpor.js';
import { exploreProgram, type Exploration } from '../explore/explore.js';
import { outcomeKey, type EndState, type ThreadError } from '../explore/outcomes.js';
import { replayFor } from '../run/replay-command.js';
import { encodeSchedule } from '../schedule/schedule.js';
import type { HwTrial, TrialStatus } from './types.js';

/** Bounds of the simulator's search (defaults: 20,000 executions, 5 s). */
export interface PredictOptions {
  maxExecutions?: number;
  timeLimitMs?: number;
}

export const DEFAULT_PREDICT_EXECUTIONS = 20_000;
export const DEFAULT_PREDICT_TIME_MS = 5_000;
/** Steps of one simulated execution before it is cut (as `check`). */
export const PREDICT_MAX_STEPS = 20_000;

/** Unseen predicted outcomes are listed only when the simulator has at most this many outcomes. */
export const MAX_UNSEEN_LISTED = 20;

/**
 * The simulator's outcomes: the exhaustive search (optimal DPOR) over the program's
 * interleavings and, when executions were cut at the step bound (a spin loop such as
 * Peterson's), the stateful search with what is left of the time budget, as `check` does.
 * Returns the DPOR exploration, or the stateful one when that one is complete.
 */
export function predictOutcomes(program: CompiledProgram, options: PredictOptions = {}): Exploration {
  return exploreProgram(program, {
    strategy: 'exhaustive',
    maxExecutions: options.maxExecutions ?? DEFAULT_PREDICT_EXECUTIONS,
    timeLimitMs: options.timeLimitMs ?? DEFAULT_PREDICT_TIME_MS,
    // As `check`: an execution this long is a spin loop or a full-size run; the stateful
    // search (spin loops) gets the rest of the time.
    maxSteps: PREDICT_MAX_STEPS,
    statefulFallback: {},
  });
}

export type HwLabel = 'possible' | 'not predicted' | 'not found' | 'unknown';

/** One distinct outcome seen on hardware. */
export interface HwOutcome {
  /** outcomeKey(end), or `trial:<status>` for trials without an end state. */
  key: string;
  /** The end state (that of the first trial with it), or null for `unknown`. */
  end: EndState | null;
  /** The end state's status, or the trial status (`timeout`, `crashed`) when there is no end state. */
  status: EndState['status'] | TrialStatus;
  globals: Record<string, string>;
  exceptions: ThreadError[];
  /** Trials that ended this way, and their 1-based numbers in order. */
  count: number;
  trials: number[];
  label: HwLabel;
  /** `possible`: the simulator's witness (fewest preemptions), encoded, and its replay command. */
  schedule?: string;
  replay?: string;
  preemptions?: number;
  /** `possible`: executions of the simulator's search that reached it. */
  simulatorCount?: number;
  /** `not found`: what stopped the simulator's search, in words. */
  bound?: string;
}

/** A predicted outcome no trial reached. */
export interface UnseenOutcome {
  key: string;
  end: EndState;
  status: EndState['status'];
  globals: Record<string, string>;
  exceptions: ThreadError[];
  /** Executions of the simulator's search that reached it. */
  simulatorCount: number;
  schedule: string;
  replay: string;
}

export interface HwVerdict {
  /** Distinct hardware outcomes, most trials first (ties: the earliest trial first). */
  outcomes: HwOutcome[];
  /**
   * Predicted outcomes no trial reached, in the simulator's order of discovery; null when they
   * are not listed (the search was not complete, or it found more than MAX_UNSEEN_LISTED).
   */
  unseen: UnseenOutcome[] | null;
  simulator: {
    executions: number;
    complete: boolean;
    /** Distinct outcomes the simulator found. */
    outcomes: number;
    stoppedBy: StopReason[];
  };
}

/** What stopped an incomplete search, in words (for `not found`). */
export function boundText(x: Exploration): string {
  const k = x.table.executions;
  const executions = `${k.toLocaleString('en-US')} execution${k === 1 ? '' : 's'}`;
  const reasons = x.stoppedBy.map((r) =>
    r === 'max-executions'
      ? `the simulator stopped at its limit of ${executions}`
      : r === 'time-limit'
        ? `the simulator stopped at its time limit after ${executions}`
        : r === 'step-bound'
          ? 'some simulated executions were cut at the step bound'
          : r === 'preemption-bound'
            ? 'executions over the preemption bound were skipped'
            : r === 'choice-bound'
              ? `only the first ${MAX_CHOICE_BRANCHES} options of a random call were explored`
              : 'the simulator was stopped',
  );
  return reasons.length > 0 ? reasons.join('; ') : `the simulator's search was not complete`;
}

/** Label each distinct hardware outcome against the simulator's exploration `x` of `program`. */
export function holdAgainst(trials: HwTrial[], x: Exploration, program: CompiledProgram): HwVerdict {
  const predicted = new Map(x.table.entries.map((e) => [e.key, e]));
  const byKey = new Map<string, HwOutcome>();
  const outcomes: HwOutcome[] = [];
  for (const t of trials) {
    const key = t.end === null ? `trial:${t.status}` : outcomeKey(t.end);
    let o = byKey.get(key);
    if (o === undefined) {
      o = {
        key,
        end: t.end,
        status: t.end === null ? t.status : t.end.status,
        globals: t.end?.globals ?? {},
        exceptions: t.end?.exceptions ?? [],
        count: 0,
        trials: [],
        label: 'unknown',
      };
      if (t.end !== null) {
        const entry = predicted.get(key);
        if (entry !== undefined) {
          o.label = 'possible';
          o.schedule = encodeSchedule(entry.witness.schedule);
          o.replay = replayFor(program, entry.witness);
          o.preemptions = entry.witness.preemptions;
          o.simulatorCount = entry.count;
        } else if (x.complete) {
          o.label = 'not predicted';
        } else {
          o.label = 'not found';
          o.bound = boundText(x);
        }
      }
      byKey.set(key, o);
      outcomes.push(o);
    }
    o.count++;
    o.trials.push(t.index);
  }
  outcomes.sort((a, b) => b.count - a.count || a.trials[0]! - b.trials[0]!);

  let unseen: UnseenOutcome[] | null = null;
  if (x.complete && x.table.entries.length <= MAX_UNSEEN_LISTED) {
    unseen = x.table.entries
      .filter((e) => !byKey.has(e.key))
      .map((e) => ({
        key: e.key,
        end: e.state,
        status: e.state.status,
        globals: e.state.globals,
        exceptions: e.state.exceptions,
        simulatorCount: e.count,
        schedule: encodeSchedule(e.witness.schedule),
        replay: replayFor(program, e.witness),
      }));
  }
  return {
    outcomes,
    unseen,
    simulator: {
      executions: x.table.executions,
      complete: x.complete,
      outcomes: x.table.entries.length,
      stoppedBy: x.stoppedBy,
    },
  };
}

/** Whether the trials found something wrong: a deadlock, timeout, crash, uncaught exception, or an outcome not predicted. */
export function hwFailed(trials: HwTrial[], verdict: HwVerdict): boolean {
  return (
    trials.some(
      (t) =>
        t.status !== 'completed' ||
        (t.end !== null && (t.end.status !== 'completed' || t.end.exceptions.length > 0)),
    ) || verdict.outcomes.some((o) => o.label === 'not predicted')
  );
}
