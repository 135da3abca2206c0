/**
 * One execution driven step by step by an explorer: the machine, the events it produced (with
 * footprints), and the preemptions it made. Explorers re-execute from the start to reach an
 * earlier point (stateless search): same program, same decisions, same events.
 */
import type { CompiledProgram } from '../compile/ops.js';
import type { Schedule, ScheduleItem } from '../schedule/schedule.js';
import { Machine } from '../vm/machine.js';
import { nextStepKind } from '../vm/step-kind.js';
import type { Event, Proc } from './event.js';

/**
 * A pseudo-object for the end of the program. The program ends when its last non-daemon thread
 * ends, and daemon threads still running are dropped: so the end of a non-daemon thread writes
 * it (one item per thread, so that those ends stay independent of each other) and every step
 * of a daemon thread reads the whole of it. That makes the end dependent with the daemon steps
 * it can disable, and nothing else.
 */
export const PROGRAM_EXIT = 'exit';

export class DrivenExecution {
  readonly machine: Machine;
  readonly events: Event[] = [];
  /** Enabled threads before each event (enabledBefore[i] is the set event i was chosen from). */
  readonly enabledBefore: number[][] = [];
  preemptions = 0;
  private lastTid = -1;

  constructor(
    readonly program: CompiledProgram,
    readonly maxSteps: number,
    /** Run the data-race analysis (off for plain enumeration, which only wants outcomes). */
    races = true,
  ) {
    this.machine = new Machine(program, { lostUpdates: false, races });
  }

  /** Whether the execution has ended: finished, deadlocked, or stopped by a bound. */
  get terminal(): boolean {
    return (
      this.machine.finished ||
      this.machine.halt !== null ||
      this.machine.steps >= this.maxSteps ||
      this.enabled().length === 0
    );
  }

  /** Whether it ended because of the step bound or a spinning thread (the search is then incomplete). */
  get truncated(): boolean {
    return !this.machine.finished && (this.machine.halt !== null || this.machine.steps >= this.maxSteps);
  }

  enabled(): number[] {
    return this.machine.enabled();
  }

  /**
   * Run one step of `p` (its timeout if that is its only step; option -1: the first option of a
   * random call). Returns the event, or null if the thread cannot run.
   */
  step(p: Proc): Event | null {
    const m = this.machine;
    const status = m.status(p.tid);
    if (status === 'blocked' || status === 'finished') return null;
    const enabled = this.enabled();
    const kind = nextStepKind(m, p.tid);
    let choices = 0;
    m.chooser = (n) => {
      choices = n;
      return p.option >= 0 && p.option < n ? p.option : 0;
    };
    m.footprint = [];
    const taken = m.run(p.tid, 1, status === 'timeout');
    const accesses = m.footprint;
    m.footprint = null;
    if (taken === 0) return null;
    const t = m.threads[p.tid]!;
    if (t.daemon) accesses.push({ obj: PROGRAM_EXIT, key: null, write: false });
    else if (t.finished) accesses.push({ obj: PROGRAM_EXIT, key: `t${p.tid}`, write: true });
    if (this.lastTid >= 0 && this.lastTid !== p.tid && enabled.includes(this.lastTid)) this.preemptions++;
    this.lastTid = p.tid;
    const event: Event = {
      tid: p.tid,
      option: choices > 0 ? Math.max(0, Math.min(p.option, choices - 1)) : -1,
      accesses,
      kind,
      choices,
      timeout: m.lastTimedOut,
    };
    const cond = kind.notifies;
    if (cond !== undefined) {
      const before = kind.states.get(`o${cond.id}`) as readonly number[];
      const woken = before.filter((w) => !cond.waiters.includes(w));
      const timed = woken.filter((w) => nextStepKind(m, w).timesOutOn !== undefined);
      if (timed.length > 0) event.wokeTimed = timed;
    }
    this.events.push(event);
    this.enabledBefore.push(enabled);
    return event;
  }

  /**
   * The event that thread `tid`'s next step would be, found by running that step on a copy of
   * the machine (this execution is left as it is): for a thread that the end of the program
   * dropped, whose step never ran but races with that end. A `random` call in it takes option 0,
   * as the search's first choice does.
   */
  peek(tid: number): Event {
    const copy = new Machine(this.program, { lostUpdates: false, races: false });
    copy.restore(this.machine.snapshot());
    let choices = 0;
    copy.chooser = (n) => {
      choices = n;
      return 0;
    };
    const kind = nextStepKind(copy, tid);
    copy.footprint = [];
    const timeout = copy.status(tid) === 'timeout';
    copy.run(tid, 1, timeout);
    return { tid, option: choices > 0 ? 0 : -1, accesses: copy.footprint, kind, choices, timeout };
  }

  /**
   * `event` as a step of its thread really is: a daemon thread's step reads the program's end
   * (PROGRAM_EXIT). For events made up outside the execution (a pending step, a timeout).
   */
  asStep(event: Event): Event {
    if (!this.machine.threads[event.tid]!.daemon) return event;
    return { ...event, accesses: [...event.accesses, { obj: PROGRAM_EXIT, key: null, write: false }] };
  }

  /** Whether taking a step of `tid` now would be a preemption. */
  wouldPreempt(tid: number): boolean {
    return this.lastTid >= 0 && this.lastTid !== tid && this.enabled().includes(this.lastTid);
  }

  /** The schedule of this execution (replayable with `run --schedule`). */
  schedule(): Schedule {
    const items: ScheduleItem[] = [];
    for (const e of this.events) {
      if (e.timeout) items.push({ kind: 'timeout', tid: e.tid });
      else if (e.option >= 0) items.push({ kind: 'choice', tid: e.tid, option: e.option });
      else {
        const last = items[items.length - 1];
        if (last !== undefined && last.kind === 'run' && last.tid === e.tid) last.count++;
        else items.push({ kind: 'run', tid: e.tid, count: 1 });
      }
    }
    return { version: 1, fingerprint: this.program.fingerprint, items };
  }
}
