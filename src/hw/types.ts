/**
 * What the hardware runner reports: one trial per run of the program on real threads
 * (Node.js worker_threads over one SharedArrayBuffer), in the same terms as the simulator's
 * outcomes so the two can be held against each other (src/explore/outcomes.ts).
 */
import type { EndState } from '../explore/outcomes.js';

/** `sc`: every shared load/store is an Atomics op; `plain`: ordinary typed-array accesses. */
export type MemoryMode = 'sc' | 'plain';

/**
 * How a trial ended. `deadlock`: every live thread was blocked on a lock, condition, event,
 * semaphore or join with no timeout, seen twice in a row by the watchdog; `timeout`: the
 * trial ran past --timeout; `crashed`: a worker died of an internal error.
 */
export type TrialStatus = 'completed' | 'deadlock' | 'timeout' | 'crashed';

/**
 * A thread that had not finished when a trial was stopped: what it was blocked on, or that it
 * was still running (read from the shared state). Not the simulator's BlockedThread
 * (src/vm/wait-for.ts), a node of its wait-for graph, in thread ids.
 */
export interface UnfinishedThread {
  thread: string;
  /** `lock lock_a`, `join Thread-2 (worker)`, `condition cond`, `event ready`, `semaphore sem`, `sleep`, or `running` (busy, e.g. a spin loop). */
  waitsFor: string;
  /** Source line of the op it is blocked in (0 if unknown). */
  line: number;
  /** The thread holding the lock it waits for, or null. */
  heldBy: string | null;
}

export interface HwTrial {
  /** 1-based trial number. */
  index: number;
  status: TrialStatus;
  /**
   * The end state in the simulator's terms: status 'completed' or 'deadlock' (a timeout and a
   * crash map to 'deadlock' only when the watchdog saw every thread blocked; otherwise the
   * trial has no comparable end state and `end` is null).
   */
  end: EndState | null;
  /** Threads blocked (or still running) when the trial was stopped; empty when it completed. */
  blocked: UnfinishedThread[];
  /** The crash message of a worker that died of an internal error, or null. */
  crash: string | null;
  /** Wall time of the trial, ms (from releasing MainThread to the last thread's end). */
  ms: number;
  /** Threads the program started, MainThread included. */
  threads: number;
}

export interface HwOptions {
  trials?: number;
  memory?: MemoryMode;
  /** Seconds a trial may run before the watchdog stops it (default 10). */
  timeoutSeconds?: number;
  /** Called with each trial's program output chunk, in order of arrival. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Tests only: the worker that runs this thread (tid) dies of an internal error. */
  crashThreadForTest?: number;
  /** Called after each trial. */
  onTrial?: (trial: HwTrial) => void;
}

/** A construct the hardware runner cannot hold in shared memory (the simulator still runs the program). */
export class HwUnsupported extends Error {}
