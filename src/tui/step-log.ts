/**
 * The recent steps of a session, as the machine's tracer reports them: which thread took each
 * step, whether it preempted a thread that could still run, and the value each LOAD and STORE
 * read or wrote. A ring of the last CAPACITY steps, keyed by step: a seek re-executes steps
 * with the tracer on, so the steps near the current one are always there, whatever the path.
 */
import type { Machine, TraceEvent } from '../vm/machine.js';

/** Steps kept. */
export const CAPACITY = 4096;

export interface LoggedStep {
  step: number;
  tid: number;
  /** The thread of the step before could still run: the scheduler switched away from it. */
  preempted: boolean;
  /** The visible op as it ran (mnemonic and cell from report/lost-update-window.ts describeEvent). */
  event: TraceEvent;
}

export class StepLog {
  private readonly ring: (LoggedStep | undefined)[] = new Array<LoggedStep | undefined>(CAPACITY);

  /** Start logging `machine`'s steps (it becomes the machine's tracer). */
  constructor(private readonly machine: Machine) {
    machine.tracer = (e) => this.note(e);
  }

  private note(e: TraceEvent): void {
    const prev = this.at(e.step - 1);
    const preempted = prev !== null && prev.tid !== e.tid && this.machine.isEnabled(prev.tid);
    this.ring[e.step % CAPACITY] = { step: e.step, tid: e.tid, preempted, event: e };
  }

  /** The step `step` as logged, or null when it is not in the ring (too old, or never taken). */
  at(step: number): LoggedStep | null {
    if (step < 0) return null;
    const s = this.ring[step % CAPACITY];
    return s !== undefined && s.step === step ? s : null;
  }
}
