/**
 * The terminal UI's state machine, with no rendering in it: keys → session actions → state the
 * view model (view-model.ts) is read from. Plain TypeScript, so tests drive it key by key.
 *
 * Going forward follows the line when there is one (a `--schedule`, a `--seed` run, a witness
 * chosen after `e`, or the steps taken before going back), else the scheduler picks. Choosing
 * another thread than the line's next step cuts the line there. Every error a key can cause
 * becomes a message on screen; the session goes on.
 */
import { basename } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import type { CompiledProgram } from '../compile/ops.js';
import { replayCommand, shellQuote } from '../run/replay-command.js';
import { DEFAULT_MAX_STEPS, type SchedulerName } from '../run/run.js';
import { DEFAULT_MAX_OPS } from '../vm/bounds.js';
import { encodeSchedule, type Schedule } from '../schedule/schedule.js';
import {
  RoundRobinStrategy,
  ScheduleMismatch,
  TimeSliceStrategy,
  UniformStrategy,
  type Strategy,
} from '../schedule/strategies.js';
import { Session } from '../session/session.js';
import { eventsPane } from './events-view.js';
import { HELP } from './help.js';
import { exploreInPlace, type ExploreJob, type Explorer } from './explore-job.js';
import { keyName, type Key } from './keys.js';
import { standing } from './so-far.js';
import { StepLog } from './step-log.js';
import { Tape } from './tape.js';

/** Who chose a step: a key naming the thread, the line being followed, or the scheduler. */
export type Chooser = 'you' | 'tape' | 'scheduler';

export interface StepConfig {
  /** The program file as given on the command line (for replay commands). */
  file: string;
  sets: [string, string][];
  /** The options that load the same tape again (`--seed 3`), for the replay command at step 0. */
  tapeArgs: string[];
  /** A schedule to follow from step 0 (`--schedule`, or the run of `--seed`), or null. */
  tape: Schedule | null;
  /** The scheduler `n` uses past the end of the line. */
  scheduler: SchedulerName;
  seed: number;
  /** Mean slice (time-slice) or turn (round-robin), in steps. */
  slice: number;
  /** Work bound of the execution in micro-ops (vm/bounds.ts); it bounds a loop with no visible operation too. */
  maxOps: number;
  /** Steps `r` takes at most before it stops (the step bound of one key). */
  runBound: number;
  /** Budget of the exhaustive exploration `e` starts. */
  exploreExecutions: number;
  exploreTimeMs: number;
  /** Folder `x` writes schedule files to. */
  outDir: string;
}

export type Tone = 'info' | 'error';

/** What the screen shows over the panes, if anything. */
export type Overlay =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'events'; scroll: number }
  | { kind: 'goto'; digits: string }
  | { kind: 'exploring'; from: number; executions: number; outcomes: number }
  | { kind: 'explore'; lines: string[]; witnesses: Schedule[]; digits: string; scroll: number };

/** Steps `s` takes at most to finish a line (a line that never ends, like `while True: pass`). */
const LINE_BOUND = 10_000;

/** `ran 1 step`, `ran 12 steps`: what `r` did. */
const ran = (n: number) => `ran ${n.toLocaleString('en-US')} step${n === 1 ? '' : 's'}`;

/** Digits `g` takes at most (steps beyond 10^12 are no execution's). */
const GOTO_DIGITS = 12;

/** The keys that still act while an exploration runs; other keys wait for its end. */
const CANCELS = (k: Key) => k.kind === 'escape' || (k.kind === 'char' && (k.char === 'q' || k.char === 'e'));

/** Scroll lines of ↑ ↓ PgUp PgDn in an overlay. */
function scrollDelta(k: Key): number | null {
  switch (k.kind) {
    case 'up':
      return -1;
    case 'down':
      return 1;
    case 'pageup':
      return -10;
    case 'pagedown':
      return 10;
    default:
      return null;
  }
}

export class Controller {
  readonly session: Session;
  readonly log: StepLog;
  /** Who chose each step taken (or known ahead on the line), by step. */
  readonly chosenBy: Chooser[] = [];
  /** The thread the threads pane, the code pane and `s` and Enter are about. */
  focus = 0;
  overlay: Overlay = { kind: 'none' };
  message: { text: string; tone: Tone } | null = null;
  /** Set by `q` and Ctrl-C. */
  quit = false;
  private line: Tape | null = null;
  private readonly strategy: Strategy;
  /** The time-slice or round-robin turn the scheduler is in: its thread and steps left. */
  private turn = { tid: -1, left: 0 };

  /** Called when the state changes without a key (an exploration's progress or end). */
  onChange: () => void = () => undefined;
  private job: ExploreJob | null = null;
  /** Keys typed while an exploration runs, applied when it ends. */
  private queued: Key[] = [];

  /** `explorer` runs `e`'s exploration: in place (the default; `--keys`, tests) or in a worker. */
  constructor(
    readonly program: CompiledProgram,
    readonly config: StepConfig,
    private readonly explorer: Explorer = exploreInPlace,
  ) {
    this.session = new Session(program, { machine: { lastWriters: true, maxOps: config.maxOps } });
    this.log = new StepLog(this.session.machine);
    this.strategy =
      config.scheduler === 'uniform'
        ? new UniformStrategy(config.seed)
        : config.scheduler === 'round-robin'
          ? new RoundRobinStrategy(config.slice)
          : new TimeSliceStrategy(config.seed, config.slice);
    this.session.chooser = (n, step) => this.strategy.choose(n, step);
    if (config.tape !== null) this.follow(config.tape, 0, 'tape');
  }

  /** Steps taken. */
  get step(): number {
    return this.session.steps;
  }

  /** Steps of the known execution: the line's length when there is one ahead. */
  get length(): number {
    return this.session.length;
  }

  /** Who chose the last step, or null at step 0. */
  get lastChooser(): Chooser | null {
    return this.step === 0 ? null : (this.chosenBy[this.step - 1] ?? 'tape');
  }

  /** Apply one key. Never throws: a key that cannot apply leaves a message. */
  press(k: Key): void {
    this.message = null;
    try {
      this.dispatch(k);
    } catch (err) {
      this.message = {
        text: err instanceof ScheduleMismatch || err instanceof RangeError ? err.message : String(err),
        tone: 'error',
      };
    }
  }

  private dispatch(k: Key): void {
    if (k.kind === 'ctrl-c') {
      this.cancelExploration();
      this.quit = true;
      return;
    }
    const o = this.overlay;
    if (o.kind === 'help' || o.kind === 'events') return this.scrollKey(o, k);
    if (o.kind === 'goto') return this.gotoKey(o, k);
    if (o.kind === 'explore') return this.exploreKey(o, k);
    if (o.kind === 'exploring') return this.exploringKey(k);
    if (k.kind === 'char') return this.charKey(k.char);
    switch (k.kind) {
      case 'left':
        return this.back();
      case 'right':
        return void this.advance();
      case 'up':
      case 'down':
      case 'pageup':
      case 'pagedown':
        return this.moveFocus(k.kind);
      case 'enter':
        return this.stepThread(this.focus);
      default:
        return this.refuse(k);
    }
  }

  private charKey(c: string): void {
    if (c >= '0' && c <= '9') {
      const tid = Number(c);
      if (tid < this.session.machine.threads.length) this.focus = tid;
      return this.stepThread(tid);
    }
    switch (c) {
      case 'n':
        if (!this.advance()) this.message ??= { text: this.endText(), tone: 'info' };
        return;
      case 'b':
        return this.back();
      case 's':
        return this.finishLine();
      case 'g':
        this.overlay = { kind: 'goto', digits: '' };
        return;
      case 'r':
        return this.runUntilEvent();
      case 'e':
        return this.explore();
      case 'x':
        return this.exportSchedule();
      case '?':
        this.overlay = { kind: 'help', scroll: 0 };
        return;
      case 'v':
        this.overlay = { kind: 'events', scroll: 0 };
        return;
      case 'q':
        this.quit = true;
        return;
      default:
        return this.refuse({ kind: 'char', char: c });
    }
  }

  private refuse(k: Key): void {
    this.message = { text: `key ${keyName(k)} does nothing here (? lists the keys)`, tone: 'error' };
  }

  private endText(): string {
    const s = standing(this.session);
    return s === 'deadlock'
      ? 'deadlock: no thread can take a step'
      : s === 'completed'
        ? 'the program has ended'
        : `the run stopped: ${this.session.machine.halt?.reason ?? 'a bound was reached'}`;
  }

  /**
   * What has gone wrong in the execution so far, as one line (`2 updates lost; deadlock`), or
   * null: the exit status of `step` is 1 when it is not null at quit.
   */
  failure(): string | null {
    const m = this.session.machine;
    const s = standing(this.session);
    const out: string[] = [];
    if (s === 'deadlock') out.push('deadlock');
    if (s === 'step-bound') out.push(`stopped: ${m.halt?.reason ?? 'a bound was reached'}`);
    const raised = m.threads.filter((t) => t.uncaught !== null).map((t) => t.name);
    if (raised.length > 0) out.push(`an exception in ${raised.join(', ')}`);
    const lost = m.lost?.stores ?? 0;
    if (lost > 0) out.push(`${m.lost!.lost} update${m.lost!.lost === 1 ? '' : 's'} lost`);
    const races = m.races?.total ?? 0;
    if (races > 0) out.push(`${races} data race${races === 1 ? '' : 's'}`);
    return out.length === 0 ? null : out.join('; ');
  }

  /** A key in the help or the events full-screen: ↑ ↓ PgUp PgDn scroll, any other key closes. */
  private scrollKey(o: Extract<Overlay, { kind: 'help' | 'events' }>, k: Key): void {
    const delta = scrollDelta(k);
    if (delta === null) {
      this.overlay = { kind: 'none' };
      return;
    }
    const last = (o.kind === 'help' ? HELP.length : eventsPane(this.session).lines.length) - 1;
    this.overlay = { kind: o.kind, scroll: Math.max(0, Math.min(last, o.scroll + delta)) };
  }

  private moveFocus(kind: 'up' | 'down' | 'pageup' | 'pagedown'): void {
    const last = this.session.machine.threads.length - 1;
    const delta = kind === 'up' ? -1 : kind === 'down' ? 1 : kind === 'pageup' ? -10 : 10;
    this.focus = Math.max(0, Math.min(last, this.focus + delta));
  }

  /** Step thread `tid` (a person's choice): along the line if it is the line's next step, else cutting the line. */
  stepThread(tid: number): void {
    const m = this.session.machine;
    if (tid >= m.threads.length) {
      this.message = {
        text: `there is no thread ${tid} (threads started so far: 0 to ${m.threads.length - 1})`,
        tone: 'error',
      };
      return;
    }
    const next = this.line?.at(this.step) ?? null;
    if (next !== null && next.tid === tid && next.choice === null) {
      this.followLine();
      this.chosenBy[this.step - 1] = 'you';
      return;
    }
    const status = m.status(tid);
    if (status === 'finished' || status === 'blocked' || m.finished || m.halt !== null) {
      const why = m.finished || m.halt !== null ? 'the program has ended' : `it is ${status}`;
      this.message = { text: `thread ${tid} cannot take a step: ${why}`, tone: 'error' };
      return;
    }
    this.take(tid, 'you');
  }

  /** One step off the line: the line is cut here. */
  private take(tid: number, who: Chooser): boolean {
    if (this.session.step(tid) === null) return false;
    this.line = null;
    this.chosenBy.length = this.step - 1;
    this.chosenBy.push(who);
    return true;
  }

  /** The line's next step, taken as the schedule gives it. */
  private followLine(): void {
    const next = this.line!.at(this.step)!;
    const taken = this.session.stepAlongLine(next.tid, 1, next.timeout, next.choice);
    if (taken === 0) {
      this.line = null;
      throw new ScheduleMismatch(this.step, `thread ${next.tid} cannot take the step the schedule gives it`);
    }
  }

  /** One step chosen by the line or the scheduler; false when no thread can run. */
  advance(): boolean {
    if (this.session.ended) return false;
    if (this.line !== null && this.step < this.line.length) {
      this.followLine();
      return true;
    }
    const view = this.session.view;
    let tid = this.turn.tid;
    if (this.turn.left <= 0 || tid < 0 || !view.isEnabled(tid)) {
      const d = this.strategy.pick(view);
      if (d === null) return false;
      this.turn = { tid: d.tid, left: d.steps };
      tid = d.tid;
    }
    this.turn.left--;
    return this.take(tid, 'scheduler');
  }

  /** Go to step `n` of the known execution (0 ≤ n ≤ length). */
  seek(n: number): void {
    if (n < this.step && this.line === null) this.line = new Tape(this.session.schedule());
    this.session.seek(n);
    // Threads started after step n are gone: the focus goes to the last one there is.
    this.focus = Math.min(this.focus, this.session.machine.threads.length - 1);
  }

  private back(): void {
    if (this.step === 0) {
      this.message = { text: 'already at step 0', tone: 'error' };
      return;
    }
    this.seek(this.step - 1);
  }

  /** A key while `g` asks for a step: digits, Backspace, Enter goes, Esc cancels; the prompt stays open on any other key. */
  private gotoKey(o: Extract<Overlay, { kind: 'goto' }>, k: Key): void {
    if (k.kind === 'char' && k.char >= '0' && k.char <= '9') {
      if (o.digits.length >= GOTO_DIGITS) {
        this.message = { text: `a step has at most ${GOTO_DIGITS} digits`, tone: 'error' };
        return;
      }
      this.overlay = { kind: 'goto', digits: o.digits + k.char };
      return;
    }
    if (k.kind === 'backspace') {
      this.overlay = { kind: 'goto', digits: o.digits.slice(0, -1) };
      return;
    }
    if (k.kind !== 'enter' && k.kind !== 'escape') {
      this.message = {
        text: `go to step: type digits, Enter goes, Esc cancels (not ${keyName(k)})`,
        tone: 'error',
      };
      return;
    }
    this.overlay = { kind: 'none' };
    if (k.kind !== 'enter' || o.digits === '') return;
    const n = Number(o.digits);
    if (n > this.length) {
      this.message = {
        text: `step ${n} is outside this execution (0 to ${this.length}); step forward to go further`,
        tone: 'error',
      };
      return;
    }
    this.seek(n);
  }

  /** `s`: steps of the focused thread until it is on another line, starts the line over (a loop), or returns. */
  private finishLine(): void {
    const tid = this.focus;
    const m = this.session.machine;
    const t = m.threads[tid];
    const start = m.nextOp(tid);
    if (t === undefined || start === null) {
      this.message = { text: `thread ${tid} has no line to finish`, tone: 'error' };
      return;
    }
    const line = start.code.spans[start.pc * 4]!;
    const depth = t.frames.length;
    let pc = start.pc;
    for (let i = 0; i < LINE_BOUND; i++) {
      const before = this.step;
      this.stepThread(tid);
      if (this.step === before) return;
      const next = m.nextOp(tid);
      if (next === null || t.frames.length < depth) return;
      if (t.frames.length > depth) continue;
      if (next.code !== start.code || next.code.spans[next.pc * 4] !== line || next.pc <= pc) return;
      pc = next.pc;
    }
  }

  /** Counters that change at an event: lost-update stores, races, finished threads, exceptions. */
  private eventCounters(): number[] {
    const m = this.session.machine;
    let finished = 0;
    let raised = 0;
    for (const t of m.threads) {
      if (t.finished) finished++;
      if (t.uncaught !== null) raised++;
    }
    return [m.lost?.stores ?? 0, m.races?.total ?? 0, finished, raised, m.threads.length];
  }

  /** `r`: steps by the line or the scheduler until a lost update, a race, a thread's end, an exception, the end, or the bound. */
  private runUntilEvent(): void {
    const names = ['a lost update', 'a data race', 'a thread ended', 'an exception', 'a thread started'];
    const before = this.eventCounters();
    const from = this.step;
    for (let i = 0; i < this.config.runBound; i++) {
      if (!this.advance()) {
        this.message = { text: `${ran(this.step - from)}: ${this.endText()}`, tone: 'info' };
        return;
      }
      const now = this.eventCounters();
      const k = now.findIndex((x, j) => x !== before[j]);
      if (k >= 0) {
        this.message = { text: `${ran(this.step - from)}: stopped at ${names[k]}`, tone: 'info' };
        return;
      }
    }
    this.message = {
      text: `${ran(this.step - from)}: no event within ${this.config.runBound.toLocaleString('en-US')} steps`,
      tone: 'info',
    };
  }

  /**
   * `e`: every continuation of the steps taken so far, explored exhaustively under the budget,
   * shown as `interleave explore` prints it; typing an outcome's number and Enter makes its
   * witness the line. While it runs (in a worker, in the terminal) Esc cancels it.
   */
  private explore(): void {
    const from = this.step;
    this.overlay = { kind: 'exploring', from, executions: 0, outcomes: 0 };
    const request = {
      prefix: from > 0 ? this.session.schedule() : null,
      maxExecutions: this.config.exploreExecutions,
      timeLimitMs: this.config.exploreTimeMs,
    };
    const job = this.explorer(this.program, request, {
      progress: (executions, outcomes) => {
        if (this.overlay.kind !== 'exploring') return;
        this.overlay = { ...this.overlay, executions, outcomes };
        this.onChange();
      },
      done: (r) => {
        this.job = null;
        this.overlay = { kind: 'explore', lines: r.lines, witnesses: r.witnesses, digits: '', scroll: 0 };
        if (r.witnesses.length === 0)
          this.message = {
            text: 'no execution from this step ended within the bounds: there is no outcome to follow (Esc closes)',
            tone: 'error',
          };
        this.applyQueued();
        this.onChange();
      },
      error: (message) => {
        this.job = null;
        this.overlay = { kind: 'none' };
        this.message = { text: `exploration failed: ${message}`, tone: 'error' };
        this.applyQueued();
        this.onChange();
      },
    });
    // An explorer in place has already called done or error.
    if (this.overlay.kind === 'exploring') this.job = job;
  }

  /** Stop a running exploration, if any; keys typed meanwhile are dropped. */
  cancelExploration(): void {
    this.job?.cancel();
    this.job = null;
    this.queued = [];
  }

  /** Keys typed during the exploration, in order, as if typed now (an outcome number and Enter typed ahead). */
  private applyQueued(): void {
    const keys = this.queued;
    this.queued = [];
    for (const k of keys) {
      if (this.quit) break;
      this.press(k);
    }
  }

  private exploringKey(k: Key): void {
    if (CANCELS(k)) {
      this.cancelExploration();
      this.overlay = { kind: 'none' };
      this.message = { text: 'exploration cancelled', tone: 'info' };
      return;
    }
    this.queued.push(k);
    this.message = {
      text: `exploring: Esc or q cancels it; ${this.queued.length} key${this.queued.length === 1 ? '' : 's'} typed will apply when it ends`,
      tone: 'info',
    };
  }

  private exploreKey(o: Extract<Overlay, { kind: 'explore' }>, k: Key): void {
    if (k.kind === 'char' && k.char >= '0' && k.char <= '9') {
      this.overlay = { ...o, digits: o.digits + k.char };
      return;
    }
    if (k.kind === 'backspace') {
      this.overlay = { ...o, digits: o.digits.slice(0, -1) };
      return;
    }
    if (k.kind === 'escape' || (k.kind === 'char' && k.char === 'q')) {
      this.overlay = { kind: 'none' };
      return;
    }
    const delta = scrollDelta(k);
    if (delta !== null) {
      this.overlay = { ...o, scroll: Math.max(0, Math.min(o.lines.length - 1, o.scroll + delta)) };
      return;
    }
    if (k.kind !== 'enter') return this.refuse(k);
    const i = Number(o.digits) - 1;
    const w = o.witnesses[i];
    if (o.digits === '' || w === undefined) {
      this.overlay = { ...o, digits: '' };
      this.message = { text: `choose an outcome from 1 to ${o.witnesses.length}`, tone: 'error' };
      return;
    }
    this.overlay = { kind: 'none' };
    this.follow(w, Math.min(this.step, this.length), 'tape');
    this.message = { text: `following the witness of outcome ${i + 1}; n steps along it`, tone: 'info' };
  }

  /** Make `schedule` the line and go to step `at` along it. */
  private follow(schedule: Schedule, at: number, who: Chooser): void {
    const kept = this.chosenBy.slice(0, at);
    this.session.follow(schedule);
    this.line = new Tape(schedule);
    this.chosenBy.length = 0;
    this.chosenBy.push(...kept);
    for (let k = at; k < this.line.length; k++) this.chosenBy.push(who);
    this.session.seek(Math.min(at, this.session.length));
  }

  /** `x`: the schedule of the steps so far, written to a file, and the command that replays it. */
  private exportSchedule(): void {
    if (this.step === 0) {
      // An empty schedule replays nothing: `run` would refuse it (the program has not ended).
      this.message = { text: 'nothing to save at step 0: take a step first', tone: 'error' };
      return;
    }
    // A file saved before (another execution at the same step) is kept: the next free name is used.
    const stem = `${this.config.outDir.replace(/\/$/, '')}/${basename(this.config.file).replace(/\.py$/, '')}.step-${this.step}`;
    let path = `${stem}.schedule`;
    for (let k = 2; existsSync(path); k++) path = `${stem}-${k}.schedule`;
    writeFileSync(path, `${encodeSchedule(this.session.schedule())}\n`, { flag: 'wx' });
    const args = ['npx', 'interleave', 'run', this.config.file];
    for (const [k, v] of this.config.sets) args.push('--set', `${k}=${v}`);
    args.push('--schedule', `@${path}`);
    if (standing(this.session) === 'running') args.push('--max-steps', String(Math.max(1, this.step)));
    if (this.config.maxOps !== DEFAULT_MAX_OPS) args.push('--max-ops', String(this.config.maxOps));
    this.message = { text: `wrote ${path}; replay: ${args.map(shellQuote).join(' ')}`, tone: 'info' };
  }

  /**
   * The command that replays the execution up to the current step: `run --schedule` with
   * `--max-steps` while it has not ended; at step 0, the `step` command itself with its tape.
   */
  replayCommand(): string {
    if (this.step === 0) {
      const args = ['npx', 'interleave', 'step', this.config.file];
      for (const [k, v] of this.config.sets) args.push('--set', `${k}=${v}`);
      args.push(...this.config.tapeArgs);
      return args.map(shellQuote).join(' ');
    }
    const running = standing(this.session) === 'running';
    return replayCommand(
      this.config.file,
      this.config.sets,
      { kind: 'replay', schedule: this.session.schedule() },
      { maxSteps: running ? this.step : DEFAULT_MAX_STEPS, maxOps: this.config.maxOps },
    );
  }
}
