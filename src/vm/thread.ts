/**
 * Per-thread state of the VM: a stack of frames, the exceptions being handled, the state of a
 * condition wait, and its loop epoch.
 *
 * Invariant between steps: a live thread is paused *before* a visible op (its next step),
 * having already run the invisible ops that lead to it.
 */
import type { CodeObject } from '../compile/ops.js';
import type { PyCondition, PyException, PyThread, Value } from '../semantics/values.js';

export class Frame {
  pc = 0;
  sp = 0;
  stack: Value[];
  locals: (Value | undefined)[];
  /** Keyword names for the next call-like op (set by KW_NAMES). */
  kwnames: readonly string[] | null = null;
  /** Length of the thread's handled-exception stack when this frame was entered. */
  handledBase = 0;

  constructor(
    readonly code: CodeObject,
    /** Materialized constants of `code`. */
    readonly consts: readonly Value[],
    /** Index of `code` in the program (-1 for a thread's bootstrap). */
    readonly codeIndex: number,
    /** Start with these arrays instead of fresh ones (for copies of the state). */
    stack?: Value[],
    locals?: (Value | undefined)[],
  ) {
    this.stack = stack ?? new Array<Value>(code.maxStack).fill(null);
    this.locals = locals ?? new Array<Value | undefined>(code.localNames.length).fill(undefined);
  }
}

/** A thread blocked in `Condition.wait()`: waiting for a notify, then for the lock. */
export interface ConditionWait {
  cond: PyCondition;
  /** 'waiting' until notified (or timed out), then it needs the lock back. */
  phase: 'waiting' | 'notified' | 'timed-out';
  /** The RLock recursion count to restore. */
  savedCount: number;
}

export class ThreadState {
  readonly frames: Frame[] = [];
  finished = false;
  /** Exceptions being handled (`except` blocks entered), innermost last. */
  readonly handled: PyException[] = [];
  /** The exception that ended this thread, if any. */
  uncaught: PyException | null = null;
  condWait: ConditionWait | null = null;
  /**
   * Counts this thread's loop iterations (backward jumps). A LOAD and a STORE of one cell form a
   * read-modify-write only within one iteration: `turn = j` in the next pass of a loop that read
   * `turn` is a fresh write, not a store computed from that read (lost-updates.ts).
   */
  epoch = 0;

  constructor(
    /** 0 for MainThread, then 1, 2, ... in start order. */
    readonly tid: number,
    readonly obj: PyThread,
    /**
     * Unused: the lost-update analysis keeps its own per-thread bookkeeping (lost-updates.ts).
     * Kept while Machine.startThread still passes it.
     */
    _globalCount = 0,
  ) {}

  get name(): string {
    return this.obj.name;
  }

  get daemon(): boolean {
    return this.obj.daemon;
  }

  get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }
}
