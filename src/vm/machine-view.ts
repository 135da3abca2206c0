/**
 * What code outside the interpreter reads of a machine (the wait-for graph, the list of
 * synchronization objects), as an interface: those modules depend on this, not on machine.ts,
 * so the machine can use them without an import cycle.
 */
import type { CompiledProgram, Op } from '../compile/ops.js';
import type { GlobalsView } from './cells.js';
import type { ObserverSet } from './observers.js';
import type { ThreadState } from './thread.js';
import type { PyDict, PyList, Value } from '../semantics/values.js';

export type ThreadStatus = 'enabled' | 'timeout' | 'blocked' | 'finished';

/** A machine as its readers see it (Machine implements it). */
export interface MachineView extends GlobalsView {
  readonly program: CompiledProgram;
  readonly globals: readonly (Value | undefined)[];
  /** Every thread started so far, by thread id. */
  readonly threads: readonly ThreadState[];
  status(tid: number): ThreadStatus;
}

/**
 * The machine as the op helpers outside machine.ts use it (access-events.ts, item-ops.ts,
 * method-ops.ts, blocking-ops.ts): its observers, the running thread, and a few services.
 */
export interface VmContext extends MachineView {
  readonly globals: (Value | undefined)[];
  readonly observers: ObserverSet;
  /** The thread whose step is running. */
  readonly running: ThreadState;
  newList(items: Value[]): PyList;
  newDict(): PyDict;
  /** The items of an iterable, as a fresh array (raises TypeError for a non-iterable). */
  iterateValue(v: Value): Value[];
  /** The effect of a method op (Machine.methodEffect). */
  methodEffect(
    t: ThreadState,
    op: Op,
    name: string,
    self: Value,
    pos: Value[],
    kw: Map<string, Value> | null,
    step: number,
  ): Value;
}
