/**
 * The state of a machine as its readers see it, apart from the interpreter (machine.ts, which
 * extends it): globals, threads and counters; the scheduling interface (which threads can
 * step); snapshot, detach and restore (the state with every analysis's own copy); the
 * analyses and recorders as observers; the synchronization objects created so far.
 */
import type { CodeObject, CompiledProgram, Op } from '../compile/ops.js';
import type { Halt } from './bounds.js';
import { LastWriterMap } from './last-writers.js';
import { LostUpdateTracker } from './lost-updates.js';
import type { MachineOptions, MachineSnapshot, RunCounters } from './machine-types.js';
import type { MachineView, ThreadStatus } from './machine-view.js';
import { ObserverSet, type Access, type AccessObserver, type TraceEvent } from './observers.js';
import { RaceDetector } from './race-detector.js';
import { Copier, StateHasher } from './state.js';
import { Readiness, readiness } from './sync.js';
import { describeSyncObjects, type SyncObject, type SyncPrimitive } from './sync-objects.js';
import { ThreadState } from './thread.js';
import { PyCondition, type Value } from '../semantics/values.js';

/** The analyses `options` ask for (lost updates and races by default; the last-writer map on request). */
export function analysesFor(program: CompiledProgram, options: MachineOptions): AccessObserver[] {
  const names = program.globalNames;
  const analyses: AccessObserver[] = [];
  if (options.lostUpdates !== false) analyses.push(new LostUpdateTracker(names));
  if (options.races !== false) analyses.push(new RaceDetector(names.length, names));
  if (options.lastWriters === true) analyses.push(new LastWriterMap(names));
  return analyses;
}

export abstract class MachineState implements MachineView {
  threads: ThreadState[] = [];
  /** Threads started and not finished, in thread-id order. */
  live: ThreadState[] = [];
  globals: (Value | undefined)[];
  /** Steps taken so far (visible ops executed). */
  steps = 0;
  /** Micro-ops executed so far (visible and invisible). */
  microOps = 0;
  halt: Halt | null = null;
  /** Whether the last run() took a timeout transition. */
  lastTimedOut = false;
  /**
   * The analyses and recorders listening to the run (observers.ts). A restore replaces those
   * that describe the run (with `copy`) by the snapshot's copies and keeps the others.
   */
  readonly observers: ObserverSet;
  /** The synchronization objects created so far, in creation order. */
  protected created: SyncPrimitive[] = [];
  /** Work charged beyond micro-ops: elements of large results (bounds.ts resultCost). */
  protected allocated = 0;
  /** Cold ops run so far (paces the heap check). */
  protected coldOps = 0;
  protected nextId = 1;
  protected threadNameCounter = 0;
  protected liveNonDaemon = 0;

  constructor(
    readonly program: CompiledProgram,
    analyses: AccessObserver[],
  ) {
    this.observers = new ObserverSet(analyses);
    this.globals = new Array<Value | undefined>(program.globalNames.length).fill(undefined);
  }

  /** Whether the program has ended: the main thread and every non-daemon thread finished. */
  get finished(): boolean {
    return this.liveNonDaemon === 0;
  }

  status(tid: number): ThreadStatus {
    const t = this.threads[tid];
    if (t === undefined || t.finished) return 'finished';
    const r = readiness(t, this.threads);
    return r === Readiness.Enabled ? 'enabled' : r === Readiness.Timeout ? 'timeout' : 'blocked';
  }

  /** Thread ids that can take a step (including those whose only step is a timeout), ascending. */
  enabled(): number[] {
    const out: number[] = [];
    if (this.finished || this.halt !== null) return out;
    for (const t of this.live) if (readiness(t, this.threads) !== Readiness.Blocked) out.push(t.tid);
    return out;
  }

  /** Whether thread `tid` can take a step now (possibly only its timeout). */
  isEnabled(tid: number): boolean {
    const t = this.threads[tid];
    return t !== undefined && !t.finished && readiness(t, this.threads) !== Readiness.Blocked;
  }

  /** The op a live thread will run at its next step. */
  nextOp(tid: number): { code: CodeObject; pc: number; op: Op } | null {
    const t = this.threads[tid];
    if (t === undefined || t.finished) return null;
    const f = t.frame;
    return { code: f.code, pc: f.pc, op: f.code.ops[f.pc] as Op };
  }

  /**
   * A copy of the machine's state (state.ts) and of everything its report depends on (step and
   * micro-op counts, the analyses); `restore` puts it back, leaving the snapshot intact so that
   * it can be restored again. Printed output is not part of it: it has gone to the output sink
   * (a session keeps its own record of it), nor are the footprint recorder and the tracer.
   */
  snapshot(): MachineSnapshot {
    const c = new Copier();
    return {
      globals: this.globals.map((v) => c.value(v)),
      threads: this.threads.map((t) => c.thread(t, new ThreadState(t.tid, c.value(t.obj)))),
      nextId: this.nextId,
      threadNameCounter: this.threadNameCounter,
      liveNonDaemon: this.liveNonDaemon,
      halt: this.halt,
      syncObjects: this.created.map((o) => c.value(o)),
      run: { ...this.counters(), observers: this.observers.copyRun(c) },
    };
  }

  private counters(): RunCounters {
    return {
      steps: this.steps,
      microOps: this.microOps,
      allocated: this.allocated,
      coldOps: this.coldOps,
      lastTimedOut: this.lastTimedOut,
      observers: this.observers.list.filter((o) => o.copy !== undefined),
    };
  }

  /**
   * The current state as a snapshot, without copying: the machine gives it up and must be
   * restored before it runs again. (The stateful search keeps each new state this way.)
   */
  detach(): MachineSnapshot {
    return {
      globals: this.globals,
      threads: this.threads,
      nextId: this.nextId,
      threadNameCounter: this.threadNameCounter,
      liveNonDaemon: this.liveNonDaemon,
      halt: this.halt,
      syncObjects: this.created,
      run: this.counters(),
    };
  }

  restore(s: MachineSnapshot): void {
    const c = new Copier();
    this.globals = s.globals.map((v) => c.value(v));
    this.threads = s.threads.map((t) => c.thread(t, new ThreadState(t.tid, c.value(t.obj))));
    this.live = this.threads.filter((t) => !t.finished);
    this.nextId = s.nextId;
    this.threadNameCounter = s.threadNameCounter;
    this.liveNonDaemon = s.liveNonDaemon;
    this.halt = s.halt;
    this.created = s.syncObjects.map((o) => c.value(o));
    const r = s.run;
    this.steps = r.steps;
    this.microOps = r.microOps;
    this.allocated = r.allocated;
    this.coldOps = r.coldOps;
    this.lastTimedOut = r.lastTimedOut;
    this.observers.restoreAnalyses(r.observers.map((o) => o.copy!(c)));
  }

  /** The lost-update analysis (null when off), as `observers` holds it now. */
  get lost(): LostUpdateTracker | null {
    return this.analyses()[0];
  }

  /** The data-race analysis (null when off). */
  get races(): RaceDetector | null {
    return this.analyses()[1];
  }

  /** The last-writer map (null when off). */
  get lastWriters(): LastWriterMap | null {
    return this.analyses()[2];
  }

  /** The analyses `observers` holds, found again only when they change (a session asks at every step). */
  private analyses(): [LostUpdateTracker | null, RaceDetector | null, LastWriterMap | null] {
    const o = this.observers;
    if (this.analysesSeen !== o.version) {
      this.analysesSeen = o.version;
      this.found = [o.find(LostUpdateTracker), o.find(RaceDetector), o.find(LastWriterMap)];
    }
    return this.found;
  }

  private analysesSeen = -1;
  private found: [LostUpdateTracker | null, RaceDetector | null, LastWriterMap | null] = [null, null, null];

  /** Each access of a step is appended to this array when it is not null (ObserverSet.footprint). */
  get footprint(): Access[] | null {
    return this.observers.footprint;
  }

  set footprint(accesses: Access[] | null) {
    this.observers.footprint = accesses;
  }

  /** When not null, called with every visible op (--trace, reports; ObserverSet.tracer). */
  get tracer(): ((e: TraceEvent) => void) | null {
    return this.observers.tracer;
  }

  set tracer(onEvent: ((e: TraceEvent) => void) | null) {
    this.observers.tracer = onEvent;
  }

  /** Every lock, re-entrant lock, semaphore, condition and event created so far, with its state now. */
  syncObjects(): SyncObject[] {
    return describeSyncObjects(this, this.created);
  }

  /** Register a synchronization object a `threading` constructor returned (a condition's own lock first). */
  protected register(o: SyncPrimitive): void {
    if (o instanceof PyCondition && !this.created.includes(o.lock)) this.created.push(o.lock);
    if (!this.created.includes(o)) this.created.push(o);
  }

  /** A canonical 64-bit hash of the state (state.ts), as two unsigned 32-bit halves. */
  stateHash(): [number, number] {
    const h = new StateHasher();
    for (const v of this.globals) h.value(v);
    h.word(this.threadNameCounter);
    h.word(this.threads.length);
    for (const t of this.threads) h.thread(t);
    return h.digest();
  }

  /** Final value of every bound global, by name (definitions included). */
  finalGlobals(): Map<string, Value> {
    const out = new Map<string, Value>();
    this.program.globalNames.forEach((name, i) => {
      const v = this.globals[i];
      if (v !== undefined) out.set(name, v);
    });
    return out;
  }
}
