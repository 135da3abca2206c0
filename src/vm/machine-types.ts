/**
 * The machine's public data types: its options, where its output goes, and a snapshot (the
 * state, and the path-dependent counters and analyses a run's report depends on).
 */
import type { Halt } from './bounds.js';
import type { AccessObserver } from './observers.js';
import type { SyncPrimitive } from './sync-objects.js';
import type { ThreadState } from './thread.js';
import type { Value } from '../semantics/values.js';

/** A saved machine state (see Machine.snapshot). */
export interface MachineSnapshot {
  globals: (Value | undefined)[];
  threads: ThreadState[];
  nextId: number;
  threadNameCounter: number;
  liveNonDaemon: number;
  halt: Halt | null;
  /** The synchronization objects created so far (see Machine.syncObjects). */
  syncObjects: SyncPrimitive[];
  /**
   * What the run's report depends on beyond the state: counters and the analyses, each with
   * its own copy (so that a run restored here reports exactly what the straight run reports).
   */
  run: RunCounters;
}

/** The path-dependent part of a snapshot (steps, work done, the analyses' own state). */
export interface RunCounters {
  steps: number;
  microOps: number;
  allocated: number;
  coldOps: number;
  lastTimedOut: boolean;
  /** The observers that describe the run (those with `copy`). */
  observers: AccessObserver[];
}

export type OutputSink = (stream: 'stdout' | 'stderr', text: string) => void;

/**
 * The side of a run outside the machine: where output goes and who answers `random` calls. A
 * session is the host of its machine (session/session.ts). An object with methods, not two
 * closures: exhaustive search makes a machine per execution, and a closure per machine that
 * captures its session made V8 pretenure the search's objects (every young collection then
 * copied megabytes; DPOR ran 1.7× slower).
 */
export interface MachineHost {
  /** Receives the program's print() output and tracebacks. */
  print(stream: 'stdout' | 'stderr', text: string): void;
  /** Picks an option in [0, n) for a `random` call (randint, choice) during step `step`. */
  choose(n: number, step: number): number;
}

export interface MachineOptions {
  /** Keep the lost-update analysis (default true). */
  lostUpdates?: boolean;
  /** Keep the happens-before data-race analysis (default true). */
  races?: boolean;
  /** Keep the last-writer map (default false). */
  lastWriters?: boolean;
  /** Maximum call depth before RecursionError (default 1000, CPython's recursion limit). */
  maxDepth?: number;
  /**
   * Bound on the total work of the run, in micro-ops, where each element a list, tuple or
   * string operation creates also counts as one (default DEFAULT_MAX_OPS). Past it the run
   * stops with `halt` set: steps alone do not bound time, since one step may run a long local
   * loop or build a huge list.
   */
  maxOps?: number;
  /**
   * Loop iterations (backward jumps) a thread may make without a visible op before the run
   * stops (default maxOps / 20): a local spin loop is reported long before maxOps is spent.
   */
  spinLimit?: number;
}
