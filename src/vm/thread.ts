/**
 * Per-thread state of the VM: a stack of frames, the exceptions being handled, the state of a
 * condition wait, and the bookkeeping of the lost-update analysis.
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

const NO_GLOBALS = new Float64Array(0);

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
  /** Per global: the cell's read-modify-write depth at this thread's last LOAD, or -1 (lost-update analysis). */
  loadDepth: Float64Array;
  /** Per global: step of this thread's last LOAD. */
  loadStep: Float64Array;
  /** Per global: the loop epoch of this thread's last LOAD. */
  loadEpoch: Float64Array;
  /** Per shared item cell ("objectId:key"): [depth seen, step, epoch] of the last LOAD (created on first use). */
  private itemLoadMap: Map<string, [number, number, number]> | null = null;
  /**
   * Counts this thread's loop iterations (backward jumps). A LOAD and a STORE of one cell form a
   * read-modify-write only within one iteration: `turn = j` in the next pass of a loop that read
   * `turn` is a fresh write, not a store computed from that read.
   */
  epoch = 0;

  constructor(
    /** 0 for MainThread, then 1, 2, ... in start order. */
    readonly tid: number,
    readonly obj: PyThread,
    globalCount: number,
  ) {
    // Without the lost-update analysis (explorers make many copies of threads) nothing is allocated.
    this.loadDepth = globalCount === 0 ? NO_GLOBALS : new Float64Array(globalCount).fill(-1);
    this.loadStep = globalCount === 0 ? NO_GLOBALS : new Float64Array(globalCount);
    this.loadEpoch = globalCount === 0 ? NO_GLOBALS : new Float64Array(globalCount);
  }

  /** Take over a copy of `t`'s load bookkeeping (lost-update analysis), for snapshots. */
  copyLoads(t: ThreadState): void {
    this.loadDepth = t.loadDepth.length === 0 ? t.loadDepth : t.loadDepth.slice();
    this.loadStep = t.loadStep.length === 0 ? t.loadStep : t.loadStep.slice();
    this.loadEpoch = t.loadEpoch.length === 0 ? t.loadEpoch : t.loadEpoch.slice();
    this.itemLoadMap =
      t.itemLoadMap === null
        ? null
        : new Map([...t.itemLoadMap].map(([k, v]) => [k, [...v] as [number, number, number]]));
  }

  get itemLoads(): Map<string, [number, number, number]> {
    return (this.itemLoadMap ??= new Map());
  }

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
