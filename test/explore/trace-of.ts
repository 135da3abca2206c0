/**
 * The Mazurkiewicz trace of an execution in a canonical form, for tests that compare explored
 * traces with plain enumeration's.
 */
import { dependent } from '../../src/explore/event.js';
import type { DrivenExecution } from '../../src/explore/execution.js';

/**
 * The Mazurkiewicz trace of an execution in a canonical form: its events named by thread and
 * position in the thread (with the option or timeout taken), and every ordered pair of dependent
 * events of different threads. Two executions are equivalent exactly when their forms are equal.
 */
export function traceOf(r: DrivenExecution): string {
  const names: string[] = [];
  const count = new Map<number, number>();
  for (const e of r.events) {
    const n = (count.get(e.tid) ?? 0) + 1;
    count.set(e.tid, n);
    names.push(`${e.tid}.${n}${e.option >= 0 ? `=${e.option}` : ''}${e.timeout ? 't' : ''}`);
  }
  const pairs: string[] = [];
  r.events.forEach((b, j) => {
    for (let i = 0; i < j; i++) {
      const a = r.events[i]!;
      if (a.tid !== b.tid && dependent(a, b)) pairs.push(`${names[i]}<${names[j]}`);
    }
  });
  return `${[...names].sort().join(' ')} | ${pairs.sort().join(' ')}`;
}
