/**
 * One execution driven step by step by an explorer: a session (session/session.ts, which owns
 * the machine and records the schedule), the events it produced (with footprints), and the
 * preemptions it made. Explorers re-execute from the start to reach an earlier point
 * (stateless search): same program, same decisions, same events.
 */
import type { CompiledProgram } from '../compile/ops.js';
import type { Schedule } from '../schedule/schedule.js';
import { Session, type StepEvent } from '../session/session.js';
import type { Access, Machine } from '../vm/machine.js';
import type { Invariant } from '../session/invariant.js';
import { nextStepKind } from '../vm/step-kind.js';
import { INVARIANT_STATE, type Event, type Proc } from './event.js';
import { checkPrefixChoice, checkPrefixStep, type PrefixStep } from './prefix.js';

/**
 * A pseudo-object for the end of the program. The program ends when its last non-daemon thread
 * ends, and daemon threads still running are dropped: so the end of a non-daemon thread writes
 * it (one item per thread, so that those ends stay independent of each other) and every step
 * of a daemon thread reads the whole of it. That makes the end dependent with the daemon steps
 * it can disable, and nothing else.
 */
export const PROGRAM_EXIT = 'exit';

/** A step that changes what the invariants read writes INVARIANT_STATE (event.ts). */
const OBSERVED: Access = { obj: INVARIANT_STATE, key: null, write: true };

export class DrivenExecution {
  readonly session: Session;
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
    /** Invariants checked after every step (their failure: `session.violation`). */
    invariants: readonly Invariant[] = [],
  ) {
    this.session = new Session(program, {
      checkpoints: false,
      stepCounts: false,
      machine: { lostUpdates: false, races },
      invariants,
    });
  }

  get machine(): Machine {
    return this.session.machine;
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
    const enabled = this.enabled();
    const kind = nextStepKind(m, p.tid);
    const taken = this.session.step(p.tid, Math.max(0, p.option));
    if (taken === null) return null;
    const event = this.eventOf(taken, kind);
    if (this.lastTid >= 0 && this.lastTid !== p.tid && enabled.includes(this.lastTid)) this.preemptions++;
    this.lastTid = p.tid;
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
   * Step `index` of a fixed prefix (prefix.ts), checked: throws ScheduleMismatch when the
   * thread cannot take it or its random choice does not fit.
   */
  stepPrefix(s: PrefixStep, index: number): Event {
    checkPrefixStep(this.machine, s, index);
    const event = this.step({ tid: s.tid, option: s.option });
    if (event === null)
      throw new Error(`internal error: prefix step ${index} of thread ${s.tid} was not taken`);
    checkPrefixChoice(s, event.choices, index);
    return event;
  }

  /**
   * The event that thread `tid`'s next step would be, leaving this execution as it is (the
   * session takes the step and goes back): for a thread that the end of the program dropped,
   * whose step never ran but races with that end. A `random` call in it takes option 0, as the
   * search's first choice does.
   */
  peek(tid: number): Event {
    const kind = nextStepKind(this.machine, tid);
    const taken = this.session.peek(tid, 0);
    // A thread blocked when the program ended takes no step: it reads and writes nothing.
    if (taken === null) return { tid, option: -1, accesses: [], kind, choices: 0, timeout: false };
    const { choices, footprint, timeout } = taken;
    if (taken.observed) footprint.push(OBSERVED);
    return { tid, option: choices > 0 ? 0 : -1, accesses: footprint, kind, choices, timeout };
  }

  /**
   * `event` as a step of its thread really is: a daemon thread's step reads the program's end
   * (PROGRAM_EXIT). For events made up outside the execution (a pending step, a timeout).
   */
  asStep(event: Event): Event {
    if (!this.machine.threads[event.tid]!.daemon) return event;
    return { ...event, accesses: [...event.accesses, { obj: PROGRAM_EXIT, key: null, write: false }] };
  }

  /** Preemptions among the first `n` steps (a switch away from a thread that could go on). */
  preemptionsUpTo(n: number): number {
    let count = 0;
    for (let i = 1; i < Math.min(n, this.events.length); i++) {
      const prev = this.events[i - 1]!.tid;
      if (this.events[i]!.tid !== prev && this.enabledBefore[i]!.includes(prev)) count++;
    }
    return count;
  }

  /** Whether taking a step of `tid` now would be a preemption. */
  wouldPreempt(tid: number): boolean {
    return this.lastTid >= 0 && this.lastTid !== tid && this.enabled().includes(this.lastTid);
  }

  /** The schedule of this execution (replayable with `run --schedule`). */
  schedule(): Schedule {
    return this.session.schedule();
  }

  /** A session step as the search's event: the end of the program is an access too (PROGRAM_EXIT). */
  private eventOf(taken: StepEvent, kind: Event['kind']): Event {
    const accesses = taken.footprint;
    if (taken.observed) accesses.push(OBSERVED);
    const t = this.machine.threads[taken.tid]!;
    if (t.daemon) accesses.push({ obj: PROGRAM_EXIT, key: null, write: false });
    else if (t.finished) accesses.push({ obj: PROGRAM_EXIT, key: `t${taken.tid}`, write: true });
    return {
      tid: taken.tid,
      option: taken.choices > 0 ? taken.choice! : -1,
      accesses,
      kind,
      choices: taken.choices,
      timeout: taken.timeout,
    };
  }
}
