/**
 * The outcome of one execution as plain data (what reports render, and, through `outcomeJson`,
 * what `run --json` prints): how it ended, the final globals (as reprs and as typed values),
 * uncaught exceptions, the deadlock's wait-for graph, and the lost updates.
 */
import type { RunResult } from '../run/run.js';
import type { ExecutionStatus } from '../session/execute.js';
import { OP_INFO } from '../compile/ops.js';
import { encodeSchedule } from '../schedule/schedule.js';
import { exceptionLine } from '../semantics/format.js';
import type { LostUpdate } from '../vm/lost-updates.js';
import type { AccessSite } from '../vm/race-detector.js';
import { waitForGraph, type WaitForGraph } from '../vm/wait-for.js';
import type { JsonValue, JsValue } from '../semantics/js-value.js';
import { dataGlobals, dataGlobalsJson, dataGlobalValues } from '../vm/data-globals.js';

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
  /**
   * repr of each data global, in definition order (functions, modules, classes, locks, threads
   * and containers holding them left out), cut at 10,000 characters: what the reports show.
   */
  globals: Record<string, string>;
  /**
   * The same globals (same names, same order) as typed JS values: int and float → number (ints
   * stay within ±2^53, so no bigint), str → string, bool → boolean, None → null, list → array,
   * tuple → frozen array, dict → Map (see src/semantics/js-value.ts, `toJsValue`):
   * `{ a: 1, b: [1, 2], c: null }`.
   */
  values: Record<string, JsValue>;
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
  /** The first failure of an invariant the run checked (RunOptions.invariants), or null. */
  violation: { step: number; thread: string; invariant: string; message: string } | null;
}

export function threadLabel(result: RunResult, tid: number): string {
  return result.machine.threads[tid]?.name ?? `thread ${tid}`;
}

/** Summarize an execution. */
export function outcomeOf(result: RunResult): Outcome {
  const { machine, execution, program } = result;
  const finals = machine.finalGlobals();
  const globals = dataGlobals(finals);
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
    values: dataGlobalValues(finals),
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
    violation:
      result.violation === null
        ? null
        : {
            step: result.violation.step,
            thread: threadLabel(result, result.violation.tid),
            invariant: result.violation.invariant,
            message: result.violation.message,
          },
  };
}

/**
 * An outcome as JSON (what `run --json` prints of it): the fields of `Outcome` in its order,
 * except that `globals` holds the JSON values of the data globals (`toJsonValue`: a tuple is an
 * array, a dict with string keys an object, any other `{ "dict": [[key, value], ...] }`, with
 * the exceptions src/semantics/js-value.ts lists; nan and inf are null) and `globalsRepr`, after
 * it, their reprs (`Outcome.globals`); `values` (it holds Maps) is left out.
 *
 *   "globals": { "counter": 4, "items": [1, 2], "pair": [1, "a"], "d": { "k": null } },
 *   "globalsRepr": { "counter": "4", "items": "[1, 2]", "pair": "(1, 'a')", "d": "{'k': None}" },
 */
export type OutcomeJson = Omit<Outcome, 'globals' | 'values'> & {
  globals: Record<string, JsonValue>;
  globalsRepr: Record<string, string>;
};

/** The outcome of `result` (`outcomeOf(result)`, unless already at hand) as JSON: see OutcomeJson. */
export function outcomeJson(result: RunResult, outcome: Outcome = outcomeOf(result)): OutcomeJson {
  const o = outcome;
  return {
    status: o.status,
    steps: o.steps,
    microOps: o.microOps,
    boundReason: o.boundReason,
    globals: dataGlobalsJson(result.machine.finalGlobals()),
    globalsRepr: o.globals,
    exceptions: o.exceptions,
    deadlock: o.deadlock,
    lostUpdates: o.lostUpdates,
    schedule: o.schedule,
    races: o.races,
    unfinished: o.unfinished,
    violation: o.violation,
  };
}

/** Whether anything went wrong (and the run should print a replay command and exit 1). */
export function wentWrong(o: Outcome): boolean {
  return (
    o.status !== 'completed' ||
    o.exceptions.length > 0 ||
    o.lostUpdates.stores > 0 ||
    o.races.total > 0 ||
    o.violation !== null
  );
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
