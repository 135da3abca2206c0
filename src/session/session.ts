/**
 * A session owns one execution of a program: the machine, the schedule recorder and the chooser
 * that answers `random` calls, together, with the output the program printed. It takes steps
 * of threads chosen one by one (by a person, a strategy or a test), and goes back and forth
 * along the execution with checkpoints:
 *
 *   step(tid, choice?)   one step of a thread, as a StepEvent (footprint, lost updates, races)
 *   takeSteps(tid, n)    up to n steps of a thread in one go, at the VM's full speed (no events)
 *   run(pick, until)     steps chosen by `pick` until a kind of event, the end, or a bound
 *   seek(step)           to any step of this execution: back to the nearest checkpoint at or
 *                        before it, then forward by replaying the recorded schedule
 *   checkpoint/restore   a point of the execution to come back to (the stateful search's branches)
 *   peek(tid)            the step a thread would take next, leaving the execution as it is
 *   schedule()           the schedule that replays the steps taken so far
 *   view                 what a scheduling strategy may see (schedule/strategies.ts)
 *
 * Every driver of the VM goes through a session: `run` and the random and PCT explorations
 * (session/execute.ts), the executions of exhaustive search (explore/execution.ts), the
 * stateful search (explore/stateful.ts) and the terminal UI.
 *
 * A checkpoint is a machine snapshot (vm/machine.ts: state, step counts and the analyses), a
 * mark of the recorder and the length of the printed output: restoring one gives the same
 * state and the same report as the straight run (test/session/session.test.ts checks it byte
 * for byte). Checkpoints are taken every `checkpointEvery` steps (1,000 by default) and thinned
 * to every other one, doubling the interval, when there are more than `maxCheckpoints`: a seek
 * replays at most one interval, and memory stays bounded on runs of millions of steps. The
 * checkpoints after the current step are kept while the session stays on its line (the
 * execution before a seek back), so that a seek forward starts from the nearest one too; they
 * are dropped when a step leaves the line. Drivers
 * that never go back (`run`, exhaustive search) switch them off (`checkpoints: false`).
 */
import type { CompiledProgram } from '../compile/ops.js';
import {
  ScheduleRecorder,
  replayRefusal,
  scheduleLength,
  truncateSchedule,
  type RecorderMark,
  type Schedule,
} from '../schedule/schedule.js';
import { ScheduleMismatch, type SchedulingView } from '../schedule/strategies.js';
import {
  Machine,
  type Access,
  type MachineHost,
  type MachineOptions,
  type MachineSnapshot,
  type OutputSink,
  type ThreadStatus,
} from '../vm/machine.js';
import { blockedOn, type BlockedThread } from '../vm/wait-for.js';
import { InvariantMonitor, type Invariant, type InvariantViolation } from './invariant.js';

/** One step taken in a session. */
export interface StepEvent {
  /** Index of the step in the execution (0-based). */
  step: number;
  tid: number;
  /** Whether the step was the thread's timeout (its acquire, wait or join gave up). */
  timeout: boolean;
  /** The option a `random` call took in the step, or null when it made none. */
  choice: number | null;
  /** How many options that `random` call had (0 when the step made none). */
  choices: number;
  /** What the step read and wrote (vm/machine.ts Access); empty when the session records no footprints. */
  footprint: Access[];
  /** Updates lost by this step's store (lost-update analysis; 0 when it lost none). */
  lostUpdates: number;
  /** Data races first seen at this step. */
  races: number;
  /** Whether the step changed what the session's invariants read (session/invariant.ts); false without invariants. */
  observed: boolean;
}

export interface ThreadView {
  tid: number;
  name: string;
  status: ThreadStatus;
  /** Source line of the op it will run next (0 when finished). */
  line: number;
  /** Why it cannot run, when blocked. */
  blocked: BlockedThread | null;
}

export interface PrintedText {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface SessionOptions {
  /** Whether `step` records each step's footprint (default true; the stateful search needs none). */
  footprints?: boolean;
  /**
   * Whether step events count the lost updates and data races of each step (default true).
   * Counting reads the analyses twice a step; exhaustive search, which reads them once at the
   * end of an execution, turns it off (the counts are then 0).
   */
  stepCounts?: boolean;
  /** Whether to take checkpoints as the execution goes (default true; `seek` back needs them). */
  checkpoints?: boolean;
  /** Steps between checkpoints (default 1,000). */
  checkpointEvery?: number;
  /** Checkpoints kept at most; past it every other one is dropped (default 1,024). */
  maxCheckpoints?: number;
  /** Receives output as the program prints it (not again when a seek replays steps). */
  output?: OutputSink;
  /** Machine options (analyses, bounds); the session is the machine's host. */
  machine?: MachineOptions;
  /**
   * Invariants checked after every step (session/invariant.ts): the first failure is kept as
   * `violation`; the execution goes on. Throws RangeError when one reads a global the program lacks.
   */
  invariants?: readonly Invariant[];
}

/** What `run` stops at. */
export type StopAt = 'lost-update' | 'race' | 'end';

/** A point of an execution to come back to (Session.checkpoint / restore). */
export interface Checkpoint {
  readonly step: number;
  readonly snapshot: MachineSnapshot;
  readonly mark: RecorderMark;
  readonly printed: number;
  /** The thread that took the step before this point (−1 at step 0). */
  readonly current: number;
  /** The first invariant failure before this point. */
  readonly violations: readonly InvariantViolation[];
}

/** Answers a `random` call with `n` options during step `step` (an option in [0, n)). */
export type Chooser = (n: number, step: number) => number;

export class Session implements MachineHost {
  readonly machine: Machine;
  /** Everything printed so far, in order (cut back on a seek). */
  readonly printed: PrintedText[] = [];
  private readonly recorder: ScheduleRecorder;
  /**
   * Answers the `random` calls of steps not given a choice (default: option 0). A strategy's
   * `choose` when a strategy drives the session.
   */
  chooser: Chooser = () => 0;
  private sessionView: SchedulingView | null = null;
  private readonly checkpoints: Checkpoint[] = [];
  private readonly checkpointing: boolean;
  private readonly footprints: boolean;
  private readonly stepCounts: boolean;
  private interval: number;
  private readonly maxCheckpoints: number;
  private readonly sink: OutputSink;
  /** True while a seek replays steps: output is recorded again but not sent to the sink. */
  private replaying = false;
  /** True while a peek takes its step: no checkpoint of that step is kept. */
  private peeking = false;
  /** True while a step is taken along the line (stepAlongLine): the line stays. */
  private alongLine = false;
  private pendingChoice: number | null = null;
  private lastChoice: number | null = null;
  private lastChoices = 0;
  /** The thread that took the last step (−1 before the first). */
  private lastTid = -1;
  private readonly monitor: InvariantMonitor | null;
  /** The invariants' projection of the current state (null: not computed since the last restore). */
  private projected: string | null = null;
  /** Whether the last step taken changed the projection. */
  private lastObserved = false;
  /** The first failure of each invariant that failed in this execution, in order (empty: none). */
  violations: InvariantViolation[] = [];

  /** The first failure of an invariant in this execution (null: none, or no invariants). */
  get violation(): InvariantViolation | null {
    return this.violations[0] ?? null;
  }
  /** The furthest this execution went before a seek back (a seek forward replays it), and its steps. */
  private line: Schedule | null = null;
  private lineSteps = 0;
  /** What the line printed (null when unknown: a line given to `follow`, which has no checkpoints ahead). */
  private linePrinted: PrintedText[] | null = null;

  constructor(
    readonly program: CompiledProgram,
    options: SessionOptions = {},
  ) {
    this.checkpointing = options.checkpoints ?? true;
    this.footprints = options.footprints ?? true;
    this.stepCounts = options.stepCounts ?? true;
    this.interval = this.checkpointing ? Math.max(1, options.checkpointEvery ?? 1000) : Infinity;
    this.maxCheckpoints = Math.max(2, options.maxCheckpoints ?? 1024);
    this.sink = options.output ?? (() => {});
    this.recorder = new ScheduleRecorder(program.fingerprint, program.model);
    this.machine = new Machine(program, options.machine, this);
    const invariants = options.invariants ?? [];
    this.monitor =
      invariants.length === 0
        ? null
        : new InvariantMonitor(
            invariants,
            program.globalNames,
            program.codes.map((c) => c.name),
          );
    if (this.checkpointing) this.saveCheckpoint();
  }

  /** The machine's output (MachineHost): kept, and sent to the sink unless a seek replays it. */
  print(stream: 'stdout' | 'stderr', text: string): void {
    this.printed.push({ stream, text });
    if (!this.replaying) this.sink(stream, text);
  }

  /**
   * The machine's `random` calls (MachineHost): the option given to this step, else `chooser`'s
   * answer, recorded in the schedule.
   */
  choose(n: number, step: number): number {
    const pending = this.pendingChoice;
    const option = pending === null ? this.chooser(n, step) : Math.max(0, Math.min(pending, n - 1));
    this.pendingChoice = null;
    this.lastChoice = option;
    this.lastChoices = n;
    this.recorder.choice(step, option);
    return option;
  }

  /** What a scheduling strategy sees of this execution (made on first use: DPOR never asks). */
  get view(): SchedulingView {
    return (this.sessionView ??= new SessionView(this.machine, this));
  }

  /**
   * Whether a thread's `start()` ends the steps given to the starting thread, so that the new
   * thread can be scheduled at once (as CPython's Thread.start() waits for it to begin).
   */
  set yieldAfterStart(on: boolean) {
    this.machine.yieldAfterStart = on;
  }

  /** The thread that took the last step (−1 before the first). */
  get current(): number {
    return this.lastTid;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.machine.steps;
  }

  /** Steps of the longest execution a seek can reach (this one, or the one before a seek back). */
  get length(): number {
    return Math.max(this.steps, this.line === null ? 0 : this.lineSteps);
  }

  /** Whether no thread can take a step: the program ended, deadlocked, or hit a bound. */
  get ended(): boolean {
    return this.machine.finished || this.machine.halt !== null || this.machine.enabled().length === 0;
  }

  /** Every thread started so far, with its status and why it cannot run. */
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
   * One step of thread `tid` (its timeout, if that is its only step); `choice` answers a
   * `random` call in it (default option 0). Returns null, changing nothing, when the thread
   * cannot run. A step taken after a seek back forgets the steps that came after.
   */
  step(tid: number, choice?: number): StepEvent | null {
    const m = this.machine;
    if (m.finished || m.halt !== null) return null;
    return this.take(tid, choice ?? null);
  }

  /**
   * Steps chosen by `pick` (a thread id, or null to stop) until a step of the kind `until`
   * (a store that lost updates, a newly seen race), the end of the program, a deadlock, or
   * `maxSteps` more steps. Returns the steps taken.
   */
  run(pick: (session: Session) => number | null, until: StopAt = 'end', maxSteps = 1_000_000): StepEvent[] {
    const out: StepEvent[] = [];
    while (out.length < maxSteps && !this.ended) {
      const tid = pick(this);
      if (tid === null) break;
      const e = this.step(tid);
      if (e === null) break;
      out.push(e);
      if ((until === 'lost-update' && e.lostUpdates > 0) || (until === 'race' && e.races > 0)) break;
    }
    return out;
  }

  /**
   * Go to step `step` of this execution (0 ≤ step ≤ length): to the nearest checkpoint at or
   * before it (when that is not behind the current step on the way forward) and forward by
   * replaying the schedule, at most one checkpoint interval. Throws RangeError outside that range.
   */
  seek(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step > this.length)
      throw new RangeError(`step ${step} is outside this execution (0 to ${this.length})`);
    if (step === this.steps) return;
    const line = this.line ?? this.recorder.schedule();
    const lineSteps = this.line === null ? this.steps : this.lineSteps;
    const printed = this.line === null ? [...this.printed] : this.linePrinted;
    if (this.checkpoints.length > 0) {
      let i = this.checkpoints.length - 1;
      while (this.checkpoints[i]!.step > step) i--;
      const c = this.checkpoints[i]!;
      if (step < this.steps) this.restore(c);
      else if (c.step > this.steps && printed !== null) this.restoreAhead(c, line, printed);
    }
    this.replaying = true;
    try {
      this.replay(line, step);
    } finally {
      this.replaying = false;
    }
    this.setLine(lineSteps > this.steps ? line : null, lineSteps, printed);
  }

  /**
   * Go forward to `c`, a checkpoint ahead of the current step on `line`: the recorder's marks
   * ahead are not valid after a seek back (its last run was cut), so the schedule so far is
   * rebuilt from the line, and the output from what the line printed.
   */
  private restoreAhead(c: Checkpoint, line: Schedule, printed: PrintedText[]): void {
    this.machine.restore(c.snapshot);
    this.recorder.load(truncateSchedule(line, c.step));
    this.printed.length = 0;
    for (let i = 0; i < c.printed; i++) this.printed.push(printed[i]!);
    this.lastTid = c.current;
    this.violations = [...c.violations];
    this.projected = null;
  }

  /**
   * Take `schedule` as this execution's line (a failing schedule from CI, a witness): the
   * session goes back to step 0, and `seek` moves along the schedule. Throws ScheduleMismatch
   * when it was recorded for another program; `seek` throws it at the step where it does not fit.
   */
  follow(schedule: Schedule): void {
    const refusal = replayRefusal(schedule, this.program);
    if (refusal !== null) throw new ScheduleMismatch(0, refusal);
    if (this.steps > 0) this.seek(0);
    this.leaveLine();
    this.setLine(schedule, scheduleLength(schedule));
  }

  /**
   * Steps of thread `tid` that are the line's next steps (as takeSteps: `timeout`, `choice`),
   * keeping the line, so that its length and a seek to its end stay (a person following a tape
   * step by step). The caller checks that they are the line's next steps. Returns the steps taken.
   */
  stepAlongLine(tid: number, count: number, timeout: boolean, choice: number | null = null): number {
    this.alongLine = true;
    try {
      return this.takeSteps(tid, count, timeout, choice);
    } finally {
      this.alongLine = false;
    }
  }

  /** The schedule of the steps taken so far (replayable with `run --schedule`). */
  schedule(): Schedule {
    return this.recorder.schedule();
  }

  /**
   * The current point of the execution, to `restore` later. With `detach`, the machine gives
   * its state up without copying it (cheaper) and must be restored before its next step.
   */
  checkpoint(detach = false): Checkpoint {
    return {
      step: this.machine.steps,
      snapshot: detach ? this.machine.detach() : this.machine.snapshot(),
      mark: this.recorder.mark(),
      printed: this.printed.length,
      current: this.lastTid,
      violations: [...this.violations],
    };
  }

  /**
   * Go back to `c`, a checkpoint taken earlier on this session along the steps taken since
   * (the schedule is cut back to it; the checkpoint stays usable). Checkpoints of later steps
   * taken by `seek` are not dropped: use `seek` to move along one execution.
   */
  restore(c: Checkpoint): void {
    this.machine.restore(c.snapshot);
    this.recorder.truncate(c.mark);
    // Setting an array's length costs even when it does not change (the stateful search restores at every branch).
    if (this.printed.length !== c.printed) this.printed.length = c.printed;
    this.lastTid = c.current;
    this.violations = [...c.violations];
    this.projected = null;
  }

  /**
   * The step thread `tid` would take next (its timeout, if that is its only step; a `random`
   * call takes option `choice`, default 0), as a StepEvent, leaving the execution as it is:
   * taken on the live machine and undone from a checkpoint, with output kept from the sink.
   * Also after the end of the program, for a daemon thread the end dropped. Null when the
   * thread is blocked or finished. Arrays of the machine read before (`threads`, `live`) may
   * have grown during the step: read them again after a peek.
   */
  peek(tid: number, choice = 0): StepEvent | null {
    const here = this.checkpoint();
    const line = this.line;
    const lineSteps = this.lineSteps;
    const linePrinted = this.linePrinted;
    const replaying = this.replaying;
    this.replaying = true;
    this.peeking = true;
    try {
      return this.take(tid, choice);
    } finally {
      this.restore(here);
      this.replaying = replaying;
      this.peeking = false;
      this.setLine(line, lineSteps, linePrinted);
    }
  }

  /** A step off the line (the execution before a seek back): its checkpoints after this step go with it. */
  private leaveLine(): void {
    this.setLine(null, 0);
    const cs = this.checkpoints;
    while (cs.length > 0 && cs[cs.length - 1]!.step > this.machine.steps) cs.pop();
  }

  private setLine(line: Schedule | null, steps: number, printed: PrintedText[] | null = null): void {
    this.line = line;
    this.lineSteps = line === null ? 0 : steps;
    this.linePrinted = line === null ? null : printed;
  }

  /** Replay `line` from the current step up to step `to`. */
  private replay(line: Schedule, to: number): void {
    let pos = 0;
    for (const item of line.items) {
      const n = item.kind === 'run' ? item.count : 1;
      const from = Math.max(this.steps - pos, 0);
      const count = Math.min(n, to - pos) - from;
      if (from < n && count > 0) {
        const taken =
          item.kind === 'run'
            ? this.takeSteps(item.tid, count, false, null)
            : this.takeSteps(
                item.tid,
                1,
                item.kind === 'timeout',
                item.kind === 'choice' ? item.option : null,
              );
        if (taken < count)
          throw new ScheduleMismatch(
            this.steps,
            `thread ${item.tid} cannot take the step the schedule gives it`,
          );
      }
      pos += n;
      if (pos >= to) break;
    }
  }

  /**
   * Up to `count` steps of thread `tid` in one go, at the VM's full speed (the first as its
   * timeout when `timeout`; `choice` answers a `random` call in them, else `chooser` does),
   * recorded in the schedule, with a checkpoint at every multiple of the interval on the way.
   * Returns the steps taken: fewer when the thread blocks or ends, the program ends, a bound
   * halts it, or a start hands over to the new thread (`yieldAfterStart`). The caller checks
   * that the thread can run.
   */
  takeSteps(tid: number, count: number, timeout: boolean, choice: number | null = null): number {
    const m = this.machine;
    if (!this.replaying && !this.alongLine && this.line !== null) this.leaveLine();
    this.lastObserved = false;
    if (!this.checkpointing && !timeout && choice === null && this.monitor === null) {
      // The common case (a run, exhaustive search): one machine run, no checkpoint to stop at.
      const start = m.steps;
      this.lastChoice = null;
      const n = m.run(tid, count, false);
      if (n > 0) {
        this.recorder.steps(tid, start, n, m.lastTimedOut);
        this.lastTid = tid;
      }
      return n;
    }
    let taken = 0;
    while (taken < count) {
      const budget =
        (timeout && taken === 0) || this.monitor !== null
          ? 1
          : Math.min(count - taken, this.nextCheckpoint() - m.steps);
      const start = m.steps;
      if (this.monitor !== null) this.projected ??= this.monitor.projection(m);
      this.pendingChoice = choice;
      this.lastChoice = null;
      const n = m.run(tid, budget, timeout && taken === 0);
      this.pendingChoice = null;
      if (n === 0) break;
      this.recorder.steps(tid, start, n, m.lastTimedOut);
      this.lastTid = tid;
      taken += n;
      if (this.monitor !== null) this.observe(start, tid);
      if (this.checkpointing && m.steps % this.interval === 0) this.saveCheckpoint();
      if (n < budget) break;
    }
    return taken;
  }

  /** One step of `tid` as a StepEvent (null when it is blocked or finished), even after the program's end. */
  private take(tid: number, choice: number | null): StepEvent | null {
    const m = this.machine;
    const status = m.status(tid);
    if (status === 'blocked' || status === 'finished') return null;
    if (this.replaying) this.setLine(null, 0);
    else this.leaveLine();
    const counts = this.stepCounts;
    const lostBefore = counts ? (m.lost?.lost ?? 0) : 0;
    const racesBefore = counts ? (m.races?.total ?? 0) : 0;
    const step = m.steps;
    if (this.footprints) m.footprint = [];
    const taken = this.takeSteps(tid, 1, status === 'timeout', choice);
    const footprint = m.footprint ?? [];
    m.footprint = null;
    if (taken === 0) return null;
    return {
      step,
      tid,
      timeout: m.lastTimedOut,
      choice: this.lastChoice,
      choices: this.lastChoice === null ? 0 : this.lastChoices,
      footprint,
      lostUpdates: counts ? (m.lost?.lost ?? 0) - lostBefore : 0,
      races: counts ? (m.races?.total ?? 0) - racesBefore : 0,
      observed: this.lastObserved,
    };
  }

  /**
   * After step `step` of `tid`: whether it changed the invariants' projection, and if so (or
   * at the first step) their verdict, kept when it is the execution's first failure.
   */
  private observe(step: number, tid: number): void {
    const monitor = this.monitor!;
    const before = this.projected;
    const after = monitor.projection(this.machine);
    this.projected = after;
    if (after !== before) this.lastObserved = true;
    if ((after !== before || step === 0) && this.violations.length < monitor.invariants.length)
      for (const v of monitor.evaluate(this.machine, step, tid))
        if (!this.violations.some((w) => w.invariant === v.invariant)) this.violations.push(v);
  }

  /** The step of the next automatic checkpoint (Infinity without them). */
  private nextCheckpoint(): number {
    return this.checkpointing
      ? (Math.floor(this.machine.steps / this.interval) + 1) * this.interval
      : Infinity;
  }

  private saveCheckpoint(): void {
    if (this.peeking) return;
    const last = this.checkpoints[this.checkpoints.length - 1];
    // Along the line after a seek back, the checkpoints ahead are kept: this one is among them.
    if (last !== undefined && last.step >= this.machine.steps) return;
    this.checkpoints.push(this.checkpoint());
    if (this.checkpoints.length > this.maxCheckpoints) {
      // Keep every other one (step 0 stays): the interval doubles, memory stays bounded.
      const kept = this.checkpoints.filter((_, i) => i % 2 === 0);
      this.checkpoints.length = 0;
      this.checkpoints.push(...kept);
      this.interval *= 2;
    }
  }
}

/**
 * A session's execution as a scheduling strategy sees it (schedule/strategies.ts): a class,
 * not an object of closures, since a strategy reads it at every decision of a run of millions.
 */
class SessionView implements SchedulingView {
  constructor(
    private readonly m: Machine,
    private readonly session: Session,
  ) {}
  get step(): number {
    return this.m.steps;
  }
  get threadCount(): number {
    return this.m.threads.length;
  }
  get current(): number {
    return this.session.current;
  }
  enabled(): number[] {
    return this.m.enabled();
  }
  isEnabled(tid: number): boolean {
    return this.m.isEnabled(tid);
  }
  status(tid: number): ThreadStatus {
    return this.m.status(tid);
  }
  get liveCount(): number {
    return this.m.live.length;
  }
  liveThread(i: number): number {
    return this.m.live[i]!.tid;
  }
}
