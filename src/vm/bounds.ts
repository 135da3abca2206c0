/**
 * The bounds that stop a run which steps alone would not bound: the work bound (micro-ops plus
 * the elements of large results), the spin limit (loop iterations without a visible op), and
 * the heap (a safety net against "heap out of memory"). The machine counts; this says what a
 * result costs and what the halt says.
 */
import { getHeapStatistics } from 'node:v8';
import type { ThreadState } from './thread.js';
import { PyList, PyTuple, type Value } from '../semantics/values.js';

/**
 * Default work bound (micro-ops): about 5-10 s of simulation, 14 times the full-size locked
 * counter of the lesson (70 million micro-ops).
 */
export const DEFAULT_MAX_OPS = 1_000_000_000;

/** Why a run stopped early, beyond the scheduler's step bound. */
export interface Halt {
  /** What was exceeded, with the option that raises it. */
  reason: string;
  tid: number;
}

/** Work charged per element of a large result: building one costs about as much as 4 micro-ops. */
const ELEMENT_COST = 4;

/** Results at least this long are charged to the work bound by their length. */
const CHARGED_LENGTH = 256;

/** Fraction of V8's heap limit past which a run stops (see heapHalt). */
const HEAP_FULL = 0.75;
/** ... and past 2 GB in any case: no thread lesson needs more, and V8 slows down near its limit. */
const HEAP_MAX = 2 ** 31;

/** The halt for thread `t` past the spin limit (`spun`) or past the work bound. */
export function boundHalt(t: ThreadState, spun: boolean, spinLimit: number, maxOps: number): Halt {
  const reason = spun
    ? `${t.name} ran ${spinLimit.toLocaleString('en-US')} loop iteration${spinLimit === 1 ? '' : 's'} without a visible operation`
    : `work bound of ${maxOps.toLocaleString('en-US')} micro-ops reached`;
  return { reason: `${reason} (raise it with --max-ops)`, tid: t.tid };
}

/**
 * The work to charge for a result an op just pushed: a list, tuple or string of at least
 * CHARGED_LENGTH elements costs ELEMENT_COST per element, so that a loop building big values
 * stops in bounded time; anything smaller costs nothing beyond its micro-op.
 */
export function resultCost(top: Value | undefined): number {
  let length = 0;
  if (typeof top === 'string') length = top.length;
  else if (top instanceof PyList || top instanceof PyTuple) length = top.items.length;
  return length < CHARGED_LENGTH ? 0 : length * ELEMENT_COST;
}

/**
 * The halt of thread `t` when the V8 heap is nearly full, else null. The one bound that is not
 * deterministic (it depends on the garbage collector), and a safety net only: a program holding
 * millions of objects (a comprehension of dicts, say) stops with a report instead of crashing
 * Node.js with "heap out of memory".
 */
export function heapHalt(t: ThreadState): Halt | null {
  const heap = getHeapStatistics();
  if (heap.used_heap_size < Math.min(HEAP_FULL * heap.heap_size_limit, HEAP_MAX)) return null;
  const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;
  return {
    reason: `memory bound reached: the program's objects fill ${mb(heap.used_heap_size)} of the ${mb(heap.heap_size_limit)} heap`,
    tid: t.tid,
  };
}
