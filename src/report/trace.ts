/**
 * `--trace`: one line per step: `step  thread  line  op → value`.
 */
import type { TraceEvent } from '../vm/machine.js';
import { describeEvent } from './lost-update-window.js';

export function formatTraceEvent(e: TraceEvent): string {
  const line = e.code.spans[e.pc * 4]!;
  const where = line > 0 ? `line ${String(line).padEnd(4)}` : ' '.repeat(9);
  return `${String(e.step).padStart(8)}  ${e.thread.padEnd(24)}  ${where} ${describeEvent(e)}`;
}
