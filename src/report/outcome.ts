/**
 * The outcome of one execution as plain data (what `--json` prints and reports render):
 * how it ended, the final globals, uncaught exceptions, the deadlock's wait-for graph, and
 * the lost updates.
 */
import type { RunResult } from '../run/run.js';
import type { ExecutionStatus } from '../session/execute.js';
import { OP_INFO } from '../compile/ops.js';
import { encodeSchedule } from '../schedule/schedule.js';
import { exceptionLine } from '../semantics/format.js';
import type { LostUpdate } from '../vm/lost-updates.js';
import type { AccessSite } from '../vm/race-detector.js';
import { waitForGraph, type WaitForGraph } from '../vm/wait-for.js';
import { dataGlobals } from '../vm/data-globals.js';

export interface ThreadException {
  tid: number;
  thread: string;
  type: string;
  /** `TypeError: message`. */
  text: string;
  /** Innermost line of the traceback. */
  line: number;
}

export interface RaceSite {
  thread: string;
  line: number;
  /** `LOAD counter` / `STORE counter`. */
  op: string;
}

export interface LostUpdateSummary {
  /** Updates lost, net (for a counter: increments − final value). */
  lost: number;
  /** Stores that lost updates. */
  stores: number;
  byCell: Record<string, number>;
  first: (Omit<LostUpdate, 'code' | 'pc'> & { line: number; source: string })[];
}

export interface Outcome {
  status: ExecutionStatus;
  steps: number;
  microOps: number;
  boundReason: string | null;
  /** repr of each data global (functions, modules and classes left out). */
  globals: Record<string, string>;
  exceptions: ThreadException[];
  deadlock: WaitForGraph | null;
  lostUpdates: LostUpdateSummary;
  schedule: string;
  /** Data races (happens-before, synchronization only): counts per cell and the first few in full. */
  races: {
    total: number;
    byCell: Record<string, number>;
    first: { cell: string; first: RaceSite; second: RaceSite }[];
  };
  /** Threads that had not finished when the run ended: daemon threads dropped at exit, or where each thread was at the step bound. */
  unfinished: { thread: string; daemon: boolean; line: number; op: string }[];
}

export function threadLabel(result: RunResult, tid: number): string {
  return result.machine.threads[tid]?.name ?? `thread ${tid}`;
}

/** Summarize an execution. */
export function outcomeOf(result: RunResult): Outcome {
  const { machine, execution, program } = result;
  const globals = dataGlobals(machine.finalGlobals());
  const exceptions: ThreadException[] = [];
  for (const t of machine.threads) {
    if (t.uncaught === null) continue;
    const tb = t.uncaught.traceback;
    exceptions.push({
      tid: t.tid,
      thread: t.name,
      type: t.uncaught.cls.name,
      text: exceptionLine(t.uncaught),
      line: tb[tb.length - 1]?.line ?? 0,
    });
  }
  const lines = program.source.split(/\r\n|\r|\n/);
  const lost = machine.lost;
  return {
    status: execution.status,
    steps: execution.steps,
    microOps: machine.microOps,
    boundReason: execution.boundReason,
    globals,
    exceptions,
    deadlock: execution.status === 'deadlock' ? waitForGraph(machine) : null,
    lostUpdates: {
      lost: lost?.lost ?? 0,
      stores: lost?.stores ?? 0,
      byCell: Object.fromEntries([...(lost?.byCell ?? [])].filter(([, n]) => n > 0)),
      first: (lost?.first ?? []).map(({ code, pc, ...rest }) => {
        const line = code.spans[pc * 4]!;
        return { ...rest, line, source: lines[line - 1]?.trim() ?? '' };
      }),
    },
    schedule: encodeSchedule(execution.schedule),
    races: racesOf(result),
    unfinished:
      execution.status === 'deadlock'
        ? []
        : machine.live.map((t) => {
            const next = machine.nextOp(t.tid)!;
            return {
              thread: t.name,
              daemon: t.daemon,
              line: next.code.spans[next.pc * 4]!,
              op: `${OP_INFO[next.op]!.mnemonic} ${next.code.labels[next.pc] ?? ''}`.trim(),
            };
          }),
  };
}

/** Whether anything went wrong (and the run should print a replay command and exit 1). */
export function wentWrong(o: Outcome): boolean {
  return o.status !== 'completed' || o.exceptions.length > 0 || o.lostUpdates.stores > 0 || o.races.total > 0;
}

function racesOf(result: RunResult): Outcome['races'] {
  const rd = result.machine.races;
  if (rd === null) return { total: 0, byCell: {}, first: [] };
  const site = (s: AccessSite): RaceSite => {
    const code = s.code >= 0 ? result.program.codes[s.code] : undefined;
    return {
      thread: threadLabel(result, s.tid),
      line: code?.spans[s.pc * 4] ?? 0,
      op:
        code === undefined
          ? s.write
            ? 'write'
            : 'read'
          : `${OP_INFO[code.ops[s.pc]!]!.mnemonic} ${code.labels[s.pc] ?? ''}`.trim(),
    };
  };
  return {
    total: rd.total,
    byCell: Object.fromEntries(rd.counts),
    first: rd.first.map((r) => ({ cell: r.cell, first: site(r.first), second: site(r.second) })),
  };
}
