/**
 * Outcomes of many executions: what one execution ended with (status, final globals,
 * uncaught exceptions, data races), grouped into distinct outcomes with how many executions
 * reached each and a witness: the execution with the fewest preemptions.
 */
import { dataGlobals } from '../vm/data-globals.js';
import type { Schedule } from '../schedule/schedule.js';
import type { InvariantViolation } from '../session/invariant.js';
import { classChain } from '../semantics/exceptions.js';
import { exceptionLine } from '../semantics/format.js';
import type { Machine } from '../vm/machine.js';
import type { Value } from '../semantics/values.js';

export type EndStatus = 'completed' | 'deadlock' | 'step-bound';

export interface ThreadError {
  thread: string;
  /** The exception class and its bases, most derived first (for `exception T` matching). */
  classes: string[];
  /** `TypeError: message`. */
  text: string;
}

/** What one execution ended with. */
export interface EndState {
  status: EndStatus;
  /** repr of each data global, in definition order. */
  globals: Record<string, string>;
  /** Final values, for evaluating expectations. */
  values: Map<string, Value>;
  exceptions: ThreadError[];
  /** Cells that had a data race in this execution. */
  races: string[];
}

/** Read the end state of a machine whose execution has ended. */
export function endState(machine: Machine, status: EndStatus): EndState {
  const values = machine.finalGlobals();
  const globals = dataGlobals(values);
  const exceptions = machine.threads
    .filter((t) => t.uncaught !== null)
    .map((t) => ({ thread: t.name, classes: classChain(t.uncaught!.cls), text: exceptionLine(t.uncaught!) }));
  const races = machine.races === null ? [] : [...machine.races.counts.keys()];
  return { status, globals, values, exceptions, races };
}

/** Identity of an outcome: status, final globals, exceptions (races are per execution, not outcome). */
export function outcomeKey(s: EndState): string {
  return JSON.stringify([s.status, s.globals, s.exceptions.map((e) => `${e.thread}: ${e.text}`)]);
}

export interface Witness {
  schedule: Schedule;
  preemptions: number;
  /**
   * For an execution cut by the step bound: its length in steps, the `--max-steps` its replay
   * needs to stop where it stopped (a replay otherwise goes on past the end of the schedule).
   */
  maxSteps?: number;
  /**
   * When the witness was shrunk to fewer preemptions (explore/shrink-witness.ts): the
   * preemptions of the execution it was shrunk from.
   */
  shrunkFrom?: number;
}

/** Steps of a schedule: each run item counts its steps; a timeout or a random choice is one. */
export function scheduleSteps(s: Schedule): number {
  let n = 0;
  for (const item of s.items) n += item.kind === 'run' ? item.count : 1;
  return n;
}

export interface OutcomeEntry {
  key: string;
  state: EndState;
  count: number;
  witness: Witness;
}

/**
 * An invariant that failed (session/invariant.ts), by message: how many executions (states, in
 * the stateful search) failed it so, and a witness: the schedule up to the step after which it
 * failed, the one with the fewest preemptions.
 */
export interface ViolationEntry {
  message: string;
  invariant: string;
  count: number;
  witness: Witness;
}

/** Distinct outcomes and the races seen, in order of discovery. */
export class OutcomeTable {
  readonly entries: OutcomeEntry[] = [];
  private readonly byKey = new Map<string, OutcomeEntry>();
  /** Cells with a data race, and a witness execution for each. */
  readonly races = new Map<string, Witness>();
  /** Invariant failures by message, in order of discovery. */
  readonly violations = new Map<string, ViolationEntry>();
  executions = 0;

  /**
   * Count an invariant failure (not an execution: call `add` for the execution too).
   * `schedule` (the steps up to the failure) is only built when it becomes the witness.
   */
  addViolation(v: InvariantViolation, preemptions: number, schedule: () => Schedule): ViolationEntry {
    let entry = this.violations.get(v.message);
    if (entry === undefined) {
      entry = {
        message: v.message,
        invariant: v.invariant,
        count: 0,
        witness: { schedule: schedule(), preemptions },
      };
      this.violations.set(v.message, entry);
    } else if (preemptions < entry.witness.preemptions) entry.witness = { schedule: schedule(), preemptions };
    entry.count++;
    return entry;
  }

  /** Count one execution; `schedule` is only built when it becomes a witness. */
  add(state: EndState, preemptions: number, schedule: () => Schedule): OutcomeEntry {
    this.executions++;
    const key = outcomeKey(state);
    let entry = this.byKey.get(key);
    let built: Witness | null = null;
    const witness = (): Witness => {
      if (built !== null) return built;
      const w: Witness = { schedule: schedule(), preemptions };
      if (state.status === 'step-bound') w.maxSteps = scheduleSteps(w.schedule);
      return (built = w);
    };
    if (entry === undefined) {
      entry = { key, state, count: 0, witness: witness() };
      this.byKey.set(key, entry);
      this.entries.push(entry);
    } else if (preemptions < entry.witness.preemptions) {
      entry.witness = witness();
    }
    entry.count++;
    for (const cell of state.races) {
      const known = this.races.get(cell);
      if (known === undefined || preemptions < known.preemptions) this.races.set(cell, witness());
    }
    return entry;
  }
}
