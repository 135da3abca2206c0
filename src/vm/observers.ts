/**
 * The VM's analyses as observers: the events the interpreter reports about a run (loads and
 * stores of shared cells, whole-container accesses, synchronizations, footprint entries,
 * visible ops) and the one interface every analysis subscribes through. The lost-update
 * tracker, the race detector, the last-writer map, the footprint recorder and the tracer each
 * own their state; the machine only reports events to an `ObserverSet` and never looks inside.
 *
 * Terms: a *load* / *store* is a visible read / write of one cell (a global, or a list or dict
 * item); a *site* is where it happened (code object, its index in the program, pc); a *step*
 * is the 0-based index of the visible op in the run.
 */
import type { CodeObject } from '../compile/ops.js';
import type { Copier } from './state.js';
import type { ThreadState } from './thread.js';
import type { PyDict, PyList, Value } from '../semantics/values.js';

/** One access of a step: `obj` names a global (`g3`), a heap object (`o17`) or the output (`io`). */
export interface Access {
  obj: string;
  /** The item within the object (list index, dict key), or null for the whole object. */
  key: string | null;
  write: boolean;
}

/** A visible op as it ran: for --trace, lost-update windows, and the terminal UI. */
export interface TraceEvent {
  step: number;
  tid: number;
  /** The thread's name (`MainThread`, `Thread-1 (increment)`). */
  thread: string;
  code: CodeObject;
  pc: number;
  /** Value read or written, or the op's result; undefined when there is none. */
  value: Value | undefined;
  /** The cell a LOAD/STORE touched, as the user wrote it (`counter`, `d['a']`). */
  cell: string | null;
  /** Extra words (`timed out`, `waiting`, `blocked`). */
  note: string;
}

/**
 * What an analysis hears of a run. Every method is optional: an observer implements the
 * events it needs, and the machine skips the work behind an event nobody listens to (the
 * interpreter's fast path stays as it is when no observer of global loads and stores is on).
 */
export interface AccessObserver {
  /**
   * Per global index, 0 once this observer no longer needs that global's loads and stores (the
   * race detector's settled globals): the interpreter's fast path then skips calling it for
   * them. Absent: every global. The array may change between calls, not be replaced.
   */
  readonly globalMask?: Uint8Array;
  /** Thread `t` loads global `g` at `step` (site: `code`, its `codeIndex`, `pc`). */
  loadGlobal?(t: ThreadState, g: number, step: number, code: CodeObject, codeIndex: number, pc: number): void;
  /**
   * Thread `t` stores `value` to global `g`, which holds `old` (called just before the store).
   */
  storeGlobal?(
    t: ThreadState,
    g: number,
    old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void;
  /**
   * Thread `t` loads item `key` of `container` (a list or dict), the cell `cell`
   * (`"<object id>:<canonical key>"`, see containers.ts itemCellKey).
   */
  loadItem?(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void;
  /**
   * Thread `t` stored `value` to item `key` of `container` (called after the store). `old` is
   * what the cell held before when `value` is an object (else undefined): enough to tell a
   * store that puts back the very object it found.
   */
  storeItem?(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void;
  /**
   * Thread `t` reads or writes a whole list or dict (its length, its layout); `name` gives the
   * program's name for it (computed only on demand).
   */
  containerAccess?(
    t: ThreadState,
    container: PyList | PyDict,
    name: () => string,
    write: boolean,
    codeIndex: number,
    pc: number,
  ): void;
  /** Thread `tid` synchronizes on object `obj` (`o17`): a lock, condition, event or thread op. */
  synchronize?(tid: number, obj: string): void;
  /** One entry of the running step's footprint (what DPOR compares steps by). */
  access?(a: Access): void;
  /** A visible op as it ran (and `reads shared` / `next item` notes). */
  trace?(e: TraceEvent): void;
  /**
   * An independent copy for a snapshot, its values mapped through `c` (the copier the machine
   * copies its heap with, so that a value the observer holds stays the object the copied state
   * holds). Observers without it (the footprint recorder, the tracer) describe the caller's
   * step, not the run: a restore keeps the ones attached instead of the snapshot's.
   */
  copy?(c: Copier): AccessObserver;
}

/** The events, in the order of ObserverSet.byEvent. */
const EVENTS: readonly (keyof AccessObserver)[] = [
  'loadGlobal',
  'storeGlobal',
  'loadItem',
  'storeItem',
  'containerAccess',
  'synchronize',
  'access',
  'trace',
];

/**
 * The observers of one machine, with one list per event so that an event is sent only to those
 * that implement it, and flags the interpreter reads to skip work nobody listens to.
 */
export class ObserverSet {
  private all: AccessObserver[];
  /** Per event (EVENTS), the observers that implement it. */
  private readonly byEvent: AccessObserver[][] = EVENTS.map(() => []);
  /** The observers of global loads, and of global stores (the interpreter's fast path calls them directly). */
  readonly loaders = this.byEvent[0]!;
  readonly storers = this.byEvent[1]!;
  private readonly itemLoaders = this.byEvent[2]!;
  private readonly itemStorers = this.byEvent[3]!;
  private readonly containerWatchers = this.byEvent[4]!;
  private readonly synchronizers = this.byEvent[5]!;
  private readonly recorders = this.byEvent[6]!;
  private readonly tracers = this.byEvent[7]!;
  /** Someone observes global loads or stores (the interpreter's fast path then reports them). */
  globals = false;
  /** Someone observes item loads or stores. */
  items = false;
  /** Someone observes whole-container accesses. */
  containers = false;
  /** Someone records footprints. */
  footprints = false;
  /** Someone traces visible ops. */
  tracing = false;
  /** Every visible op must go through the slow path (footprints or tracing are on). */
  slow = false;

  constructor(observers: readonly AccessObserver[] = []) {
    this.all = [...observers];
    this.rebuild();
  }

  /** The observers, in the order they were added. */
  get list(): readonly AccessObserver[] {
    return this.all;
  }

  add(o: AccessObserver): void {
    if (o.copy !== undefined) this.analysesVersion++;
    this.all.push(o);
    // Incremental, without allocating: the footprint recorder comes and goes at every step of DPOR.
    const mask = this.maskOf(o);
    for (let e = 0; e < EVENTS.length; e++) if ((mask & (1 << e)) !== 0) this.byEvent[e]!.push(o);
    this.setFlags();
  }

  /** Observe with `observers` instead of the current ones. */
  replace(observers: readonly AccessObserver[]): void {
    this.analysesVersion++;
    this.all = [...observers];
    this.rebuild();
  }

  /** Remove `o` if present. */
  remove(o: AccessObserver): void {
    const i = this.all.indexOf(o);
    if (i < 0) return;
    if (o.copy !== undefined) this.analysesVersion++;
    this.all.splice(i, 1);
    const mask = this.maskOf(o);
    for (let e = 0; e < EVENTS.length; e++) {
      if ((mask & (1 << e)) === 0) continue;
      const list = this.byEvent[e]!;
      list.splice(list.indexOf(o), 1);
    }
    this.setFlags();
  }

  /**
   * When not null, each access of a step is appended to this array (callers set a fresh array
   * before a step and null after it): a FootprintRecorder, attached only while recording.
   */
  get footprint(): Access[] | null {
    return this.recording ? this.recorder!.accesses : null;
  }

  set footprint(accesses: Access[] | null) {
    // The recorder stays, attached only while recording: DPOR sets a footprint at every step.
    if (accesses !== null) {
      if (this.recorder === null) this.recorder = new FootprintRecorder(accesses);
      else this.recorder.accesses = accesses;
    }
    if ((accesses !== null) === this.recording) return;
    // Not one of `all`: it joins and leaves only the list of footprint recorders, in O(1).
    this.recording = accesses !== null;
    if (this.recording) this.recorders.push(this.recorder!);
    else if (this.recorders[this.recorders.length - 1] === this.recorder) this.recorders.pop();
    else this.recorders.splice(this.recorders.indexOf(this.recorder!), 1);
    this.setFlags();
  }

  /** Changes whenever an observer with `copy` (an analysis) comes or goes. */
  get version(): number {
    return this.analysesVersion;
  }

  private analysesVersion = 0;

  private recorder: FootprintRecorder | null = null;
  private recording = false;

  /** When not null, called with every visible op: a Tracer observer. */
  get tracer(): ((e: TraceEvent) => void) | null {
    return this.tracerObserver?.onEvent ?? null;
  }

  set tracer(onEvent: ((e: TraceEvent) => void) | null) {
    if (this.tracerObserver !== null) this.remove(this.tracerObserver);
    this.tracerObserver = onEvent === null ? null : new Tracer(onEvent);
    if (this.tracerObserver !== null) this.add(this.tracerObserver);
  }

  private tracerObserver: Tracer | null = null;

  /** The first observer of class `cls`, or null. */
  find<T extends AccessObserver>(cls: abstract new (...args: never[]) => T): T | null {
    for (const o of this.all) if (o instanceof cls) return o;
    return null;
  }

  /** Copies of the observers a snapshot carries (those with `copy`). */
  copyRun(c: Copier): AccessObserver[] {
    const out: AccessObserver[] = [];
    for (const o of this.all) if (o.copy !== undefined) out.push(o.copy(c));
    return out;
  }

  /** The observers that are not part of a snapshot (footprint recorder, tracer). */
  /**
   * Put `analyses` (copies from a snapshot) in place of the current analyses (observers with
   * `copy`); the transient observers (footprint recorder, tracer) stay. Nothing to do, and
   * nothing rebuilt, when there are none either side (the stateful search restores at every
   * branch with its analyses off).
   */
  restoreAnalyses(analyses: readonly AccessObserver[]): void {
    if (analyses.length === 0 && this.all.every((o) => o.copy === undefined)) return;
    this.replace([...analyses, ...this.transient()]);
  }

  transient(): AccessObserver[] {
    return this.all.filter((o) => o.copy === undefined);
  }

  /** The events `o` implements, as bits in EVENTS order (remembered: observers do not change). */
  private maskOf(o: AccessObserver): number {
    if (o === this.lastObserver) return this.lastMask;
    let mask = 0;
    for (let e = 0; e < EVENTS.length; e++) if (o[EVENTS[e]!] !== undefined) mask |= 1 << e;
    this.lastObserver = o;
    return (this.lastMask = mask);
  }

  private lastObserver: AccessObserver | null = null;
  private lastMask = 0;

  private rebuild(): void {
    for (let e = 0; e < EVENTS.length; e++) {
      const list = this.byEvent[e]!;
      list.length = 0;
      for (const o of this.all) if (o[EVENTS[e]!] !== undefined) list.push(o);
    }
    if (this.recording) this.recorders.push(this.recorder!);
    this.setFlags();
  }

  private setFlags(): void {
    this.globals = this.loaders.length > 0 || this.storers.length > 0;
    this.items = this.itemLoaders.length > 0 || this.itemStorers.length > 0;
    this.containers = this.containerWatchers.length > 0;
    this.footprints = this.recorders.length > 0;
    this.tracing = this.tracers.length > 0;
    this.slow = this.footprints || this.tracing;
  }

  loadGlobal(t: ThreadState, g: number, step: number, code: CodeObject, codeIndex: number, pc: number): void {
    const os = this.loaders;
    for (let i = 0; i < os.length; i++) os[i]!.loadGlobal!(t, g, step, code, codeIndex, pc);
  }

  storeGlobal(
    t: ThreadState,
    g: number,
    old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void {
    const os = this.storers;
    for (let i = 0; i < os.length; i++) os[i]!.storeGlobal!(t, g, old, value, step, code, codeIndex, pc);
  }

  loadItem(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void {
    for (const o of this.itemLoaders) o.loadItem!(t, cell, container, key, step, code, codeIndex, pc);
  }

  storeItem(
    t: ThreadState,
    cell: string,
    container: Value,
    key: Value,
    old: Value | undefined,
    value: Value,
    step: number,
    code: CodeObject,
    codeIndex: number,
    pc: number,
  ): void {
    for (const o of this.itemStorers)
      o.storeItem!(t, cell, container, key, old, value, step, code, codeIndex, pc);
  }

  containerAccess(
    t: ThreadState,
    container: PyList | PyDict,
    name: () => string,
    write: boolean,
    codeIndex: number,
    pc: number,
  ): void {
    for (const o of this.containerWatchers) o.containerAccess!(t, container, name, write, codeIndex, pc);
  }

  synchronize(tid: number, obj: string): void {
    for (const o of this.synchronizers) o.synchronize!(tid, obj);
  }

  access(obj: string, key: string | null, write: boolean): void {
    if (this.recorders.length === 0) return;
    const a = { obj, key, write };
    for (const o of this.recorders) o.access!(a);
  }

  trace(e: TraceEvent): void {
    for (const o of this.tracers) o.trace!(e);
  }
}

/** Records the footprint of the steps run while it is attached (Machine.footprint). */
export class FootprintRecorder implements AccessObserver {
  constructor(public accesses: Access[]) {}

  access(a: Access): void {
    this.accesses.push(a);
  }
}

/** Passes every visible op to a callback (Machine.tracer; --trace, lost-update windows). */
export class Tracer implements AccessObserver {
  constructor(readonly onEvent: (e: TraceEvent) => void) {}

  trace(e: TraceEvent): void {
    this.onEvent(e);
  }
}
