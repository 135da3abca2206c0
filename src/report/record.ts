/**
 * One execution as a record for library users: the outcome (status, final globals as typed
 * values and reprs, exceptions, deadlock, lost updates, races, the invariant failure, the
 * schedule string), what it printed, the lost-update windows and the invariant's slice as rows,
 * and the replay command. `interleave run --json` prints the same facts.
 */
import type { RunResult } from '../run/run.js';
import { traceLostUpdateWindows } from '../run/lost-update-trace.js';
import { replayCommand } from '../run/replay-command.js';
import { DEFAULT_MAX_OPS } from '../vm/bounds.js';
import { traceViolation, type ViolationTrace } from '../run/slice-trace.js';
import { windowRows, type LostUpdateWindow } from './lost-update-window.js';
import { outcomeOf, wentWrong, type Outcome } from './outcome.js';

export interface ExecutionRecord extends Outcome {
  /** Everything the program printed (stdout and stderr, in order). */
  output: string;
  /** The window of each lost update shown (the first few), as rows of steps. */
  windows: LostUpdateWindow[];
  /** The steps that led to the invariant's failure, when one failed. */
  slice: ViolationTrace | null;
  /** `npx interleave run FILE ...` that replays this execution. */
  replay: string;
  /** Whether anything went wrong (a lost update, race, exception, deadlock, bound or invariant). */
  failed: boolean;
}

/**
 * The record of `result` (re-executes its schedule to collect the windows and the slice).
 * `maxSteps`: the step bound the run had, when it was not the default (a replay of a run cut
 * by it needs the same `--max-steps`).
 */
export function executionRecord(result: RunResult, maxSteps?: number): ExecutionRecord {
  const outcome = outcomeOf(result);
  const windows = windowRows(traceLostUpdateWindows(result, outcome.lostUpdates.first));
  const slice =
    result.violation === null ? null : traceViolation(result, result.violation, result.invariants);
  return {
    ...outcome,
    output: (result.printed ?? []).map((p) => p.text).join(''),
    windows,
    slice,
    replay: replayCommand(
      result.program.file,
      result.program.sets,
      result.config,
      maxSteps !== undefined && outcome.status === 'step-bound'
        ? { maxSteps, maxOps: DEFAULT_MAX_OPS }
        : undefined,
    ),
    failed: wentWrong(outcome),
  };
}
