/**
 * Events of an explored execution and the dependency relation that partial-order reduction
 * is built on.
 *
 * An event is one step of one thread. Two events are *dependent* when they belong to the same
 * thread, when one starts the other's thread, or when their footprints conflict: they touch the
 * same object (and the same item of it, or the whole object) and at least one writes. Two
 * executions that order dependent events the same way are the same Mazurkiewicz trace: they
 * reach the same state.
 */
import type { Access } from '../vm/machine.js';
import type { StepKind } from '../vm/step-kind.js';

/** A process as DPOR sees it: a thread, and the option of a `random` call made in the step (-1: none). */
export interface Proc {
  tid: number;
  option: number;
}

export interface Event extends Proc {
  accesses: Access[];
  kind: StepKind;
  /** Options of the `random` call made in this step (0 when there was none). */
  choices: number;
  /** Whether this step was a timeout transition. */
  timeout: boolean;
}

export function sameProc(a: Proc, b: Proc): boolean {
  return a.tid === b.tid && a.option === b.option;
}

function accessesConflict(a: Access[], b: Access[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x.obj !== y.obj || !(x.write || y.write)) continue;
      if (x.key === null || y.key === null || x.key === y.key) return true;
    }
  }
  return false;
}

/** The dependency relation (symmetric). */
export function dependent(a: Event, b: Event): boolean {
  if (a.tid === b.tid) return true;
  if (a.kind.spawns === b.tid || b.kind.spawns === a.tid) return true;
  return accessesConflict(a.accesses, b.accesses);
}

/**
 * Whether the race "a before b" can be reversed: b cannot run before a when b waits, with no
 * timeout, on an object a unblocks (an acquire after the release it waited for, a join after
 * the thread's end, a wake-up after the notify).
 */
export function reversible(a: Event, b: Event): boolean {
  for (const o of b.kind.blocksOn) if (a.kind.unblocks.includes(o)) return false;
  return true;
}
