/**
 * Plain enumeration of every interleaving: depth-first over all enabled threads (and every
 * option of a `random` call) at every step, with no reduction at all. Exponential; it exists
 * as the reference the reductions are tested against (same outcome sets as DPOR).
 */
import type { CompiledProgram } from '../compile/ops.js';
import type { Invariant } from '../session/invariant.js';
import type { Proc } from './event.js';
import { DrivenExecution } from './execution.js';
import type { Schedule } from '../schedule/schedule.js';
import { prefixSteps } from './prefix.js';

export interface EnumerationResult {
  executions: number;
  complete: boolean;
}

/**
 * Call `onExecution` for every interleaving, up to `maxExecutions`. With `prefix`, only the
 * interleavings that start with exactly its steps (the continuations of the prefix); throws
 * ScheduleMismatch when the prefix does not fit the program (prefix.ts).
 */
export function enumerateAll(
  program: CompiledProgram,
  onExecution: (run: DrivenExecution) => void,
  options: {
    maxExecutions?: number;
    maxSteps?: number;
    races?: boolean;
    prefix?: Schedule;
    /** Invariants checked after every step (their failure: `run.session.violation`). */
    invariants?: readonly Invariant[];
  } = {},
): EnumerationResult {
  const max = options.maxExecutions ?? 1_000_000;
  const maxSteps = options.maxSteps ?? 10_000;
  const prefix = options.prefix === undefined ? [] : prefixSteps(options.prefix, program);
  // The path of decisions, and at each depth the alternatives not tried yet.
  const path: Proc[] = [];
  const pending: Proc[][] = [];
  let executions = 0;
  for (;;) {
    const run = new DrivenExecution(program, maxSteps, options.races ?? false, options.invariants);
    for (let i = 0; i < prefix.length; i++) run.stepPrefix(prefix[i]!, i);
    for (let i = 0; i < path.length; i++) {
      const event = run.step(path[i]!)!;
      // An alternative thread that turns out to make a random choice: its other options too.
      if (i === path.length - 1 && path[i]!.option < 0 && event.choices > 1) {
        path[i] = { tid: event.tid, option: 0 };
        for (let k = 1; k < event.choices; k++) pending[i]!.push({ tid: event.tid, option: k });
      }
    }
    while (!run.terminal) {
      const options = run.enabled().map((tid) => ({ tid, option: -1 }));
      const first = options.shift()!;
      const event = run.step(first)!;
      const alternatives = options;
      if (event.choices > 1)
        for (let k = 1; k < event.choices; k++) alternatives.unshift({ tid: first.tid, option: k });
      path.push({ tid: first.tid, option: event.option });
      pending.push(alternatives);
    }
    onExecution(run);
    executions++;
    if (executions >= max) return { executions, complete: false };
    while (pending.length > 0 && pending[pending.length - 1]!.length === 0) {
      pending.pop();
      path.pop();
    }
    if (pending.length === 0) return { executions, complete: true };
    path[path.length - 1] = pending[pending.length - 1]!.shift()!;
  }
}
