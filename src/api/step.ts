/**
 * Stepping one execution by hand (for the terminal UI and for tests): start a program, see
 * which threads can run and why the others cannot, take one step of a chosen thread with its
 * footprint, and go back to any earlier step by deterministic re-execution of the schedule.
 */
import type { CompiledProgram } from '../compile/ops.js';
import { ScheduleRecorder, type Schedule } from '../schedule/schedule.js';
import { Machine, type Access, type OutputSink, type ThreadStatus } from '../vm/machine.js';
import { blockedOn, type BlockedThread } from '../vm/wait-for.js';

export interface ThreadView {
  tid: number;
  name: string;
  status: ThreadStatus;
  /** Source line of the op it will run next (0 when finished). */
  line: number;
  /** Why it cannot run, when blocked. */
  blocked: BlockedThread | null;
}

/** A program being stepped by hand. `choose` answers `random` calls (default: option 0). */
export class Stepper {
  readonly machine: Machine;
  private readonly recorder: ScheduleRecorder;
  private pendingChoice: number | null = null;

  constructor(
    readonly program: CompiledProgram,
    output: OutputSink = () => {},
  ) {
    this.machine = new Machine(program, { output });
    this.recorder = new ScheduleRecorder(program.fingerprint);
    this.machine.chooser = (n, step) => {
      const option = Math.min(this.pendingChoice ?? 0, n - 1);
      this.pendingChoice = null;
      this.recorder.choice(step, option);
      return option;
    };
  }

  /** Every thread started so far, with its status. */
  threads(): ThreadView[] {
    return this.machine.threads.map((t) => {
      const status = this.machine.status(t.tid);
      const next = this.machine.nextOp(t.tid);
      return {
        tid: t.tid,
        name: t.name,
        status,
        line: next === null ? 0 : next.code.spans[next.pc * 4]!,
        blocked: status === 'blocked' ? blockedOn(this.machine, t) : null,
      };
    });
  }

  /**
   * One step of thread `tid` (its timeout, if that is its only step). Returns the step's
   * footprint, or null when the thread cannot run.
   */
  step(tid: number, choice?: number): Access[] | null {
    const status = this.machine.status(tid);
    if (status === 'blocked' || status === 'finished' || this.machine.finished) return null;
    this.pendingChoice = choice ?? null;
    this.machine.footprint = [];
    const start = this.machine.steps;
    const taken = this.machine.run(tid, 1, status === 'timeout');
    const footprint = this.machine.footprint;
    this.machine.footprint = null;
    if (taken === 0) return null;
    this.recorder.steps(tid, start, taken, this.machine.lastTimedOut);
    return footprint;
  }

  /** The schedule of the steps taken so far. */
  schedule(): Schedule {
    return this.recorder.schedule();
  }

  /**
   * A new stepper at step `step` of this one's schedule (stepping back), by re-executing the
   * schedule from the start: the same program and decisions give the same state.
   */
  rewind(step: number, output: OutputSink = () => {}): Stepper {
    const back = new Stepper(this.program, output);
    let remaining = step;
    for (const item of this.schedule().items) {
      if (remaining === 0) break;
      if (item.kind === 'run') {
        for (let i = 0; i < item.count && remaining > 0; i++, remaining--) back.step(item.tid);
      } else {
        back.step(item.tid, item.kind === 'choice' ? item.option : undefined);
        remaining--;
      }
    }
    return back;
  }
}
