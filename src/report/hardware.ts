/**
 * Text and JSON rendering of hardware trials held against the simulator (src/hw/verdict.ts):
 * one line per trial with its final globals and wall time (and, for a trial that was stopped,
 * what each blocked thread waited for), the table of distinct hardware outcomes with their
 * labels and the simulator's witness for the possible ones, the predicted outcomes no trial
 * reached, and a summary line.
 */
import { plural } from '../base/plural.js';
import type { CompiledProgram } from '../compile/ops.js';
import type { EndState, ThreadError } from '../explore/outcomes.js';
import type { UnfinishedThread, HwTrial, MemoryMode, TrialStatus } from '../hw/types.js';
import { MAX_UNSEEN_LISTED, type HwOutcome, type HwVerdict } from '../hw/verdict.js';
import { shellQuote } from '../run/replay-command.js';
import type { JsonValue } from '../semantics/js-value.js';
import { dataGlobalsJson } from '../vm/data-globals.js';

const n = (x: number | bigint): string => x.toLocaleString('en-US');

/** The settings the trials ran with (defaults filled in). */
export interface HwSettings {
  trials: number;
  memory: MemoryMode;
  timeoutSeconds: number;
}

/** A repr for the report, as the simulator's reports show it (long values cut). */
function shown(repr: string): string {
  return repr.length > 60 ? `${repr.slice(0, 59)}…` : repr;
}

function globalsText(globals: Record<string, string>): string {
  const parts = Object.entries(globals).map(([k, v]) => `${k} = ${shown(v)}`);
  return parts.length > 0 ? parts.join(', ') : '(no data globals)';
}

/** `1–3, 5, 8` (at most 12 groups, then `…`). */
function trialList(indices: number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    groups.push(
      j - i >= 2 ? `${indices[i]}–${indices[j]}` : j === i ? `${indices[i]}` : `${indices[i]}, ${indices[j]}`,
    );
    i = j + 1;
  }
  return groups.length > 12 ? `${groups.slice(0, 12).join(', ')}, …` : groups.join(', ');
}

function blockedLine(b: UnfinishedThread): string {
  const at = b.line > 0 ? ` at line ${b.line}` : '';
  if (b.waitsFor === 'running') return `${b.thread} was still running${at}`;
  if (b.waitsFor === 'sleep') return `${b.thread} was sleeping${at}`;
  const held = b.heldBy !== null ? `, held by ${b.heldBy}` : '';
  return `${b.thread} waits for ${b.waitsFor}${at}${held}`;
}

/** How a trial ended, as the start of its line. */
function trialStatusText(t: HwTrial, settings: HwSettings): string {
  switch (t.status) {
    case 'completed':
      return t.end !== null && t.end.status === 'deadlock' ? 'DEADLOCK  ' : '';
    case 'deadlock':
      return 'DEADLOCK  ';
    case 'timeout':
      return t.end !== null
        ? `TIMED OUT after ${n(settings.timeoutSeconds)} s, every thread blocked  `
        : `TIMED OUT after ${n(settings.timeoutSeconds)} s  `;
    case 'crashed':
      return 'CRASHED  ';
  }
}

function exceptionLines(exceptions: ThreadError[], indent: string): string[] {
  return exceptions.map((e) => `${indent}${e.thread}: ${e.text}`);
}

/** One trial: a line with how it ended, its globals and wall time, then blocked threads and a crash. */
export function renderTrial(t: HwTrial, settings: HwSettings, width = String(t.index).length): string[] {
  const out: string[] = [];
  const head = `trial ${String(t.index).padStart(width)}: `;
  const what = t.end !== null ? globalsText(t.end.globals) : '(no end state)';
  out.push(`${head}${trialStatusText(t, settings)}${what}  ${n(Math.round(t.ms))} ms`);
  const indent = ' '.repeat(head.length + 2);
  if (t.end !== null) out.push(...exceptionLines(t.end.exceptions, indent));
  for (const b of t.blocked) out.push(`${indent}${blockedLine(b)}`);
  if (t.crash !== null) out.push(`${indent}worker crashed: ${t.crash}`);
  return out;
}

function outcomeHead(o: HwOutcome): string {
  if (o.end === null) return o.status === 'crashed' ? 'CRASHED (no end state)' : 'TIMED OUT (no end state)';
  const status = o.status === 'deadlock' ? 'DEADLOCK  ' : o.status === 'step-bound' ? 'STEP BOUND  ' : '';
  return `${status}${globalsText(o.globals)}`;
}

function labelLines(o: HwOutcome, settings: HwSettings): string[] {
  const trials = `${plural(o.count, 'trial')} (${trialList(o.trials)})`;
  switch (o.label) {
    case 'possible':
      return [
        `${trials}: possible; the simulator reaches it too (${plural(o.simulatorCount ?? 0, 'execution')}), witness with ${plural(o.preemptions ?? 0, 'preemption')}:`,
        o.replay ?? '',
      ];
    case 'not predicted':
      return [
        `${trials}: NOT PREDICTED by the simulator: its search was complete and no interleaving ends this way`,
        settings.memory === 'plain'
          ? '!!! with --memory plain shared accesses are ordinary loads and stores that the compiler and CPU may reorder; the simulator assumes every access is sequentially consistent'
          : '!!! with --memory sc every shared access is sequentially consistent, so either the simulator or the hardware runner is wrong',
      ];
    case 'not found':
      return [
        `${trials}: not found by the simulator's incomplete search (${o.bound ?? 'stopped by a bound'})`,
      ];
    case 'unknown':
      return [
        o.status === 'crashed'
          ? `${trials}: unknown: a worker crashed, so there is no end state to hold against the simulator`
          : `${trials}: unknown: stopped after the ${n(settings.timeoutSeconds)} s timeout while a thread could still run, so there is no end state to hold against the simulator`,
      ];
  }
}

const TRIAL_WORDS: Record<TrialStatus, string> = {
  completed: 'completed',
  deadlock: 'deadlocked',
  timeout: 'timed out',
  crashed: 'crashed',
};

/** `10 trials on 3 threads, memory sc: 9 completed, 1 timed out; 3 distinct outcomes: 1 possible, ...`. */
export function summaryLine(trials: HwTrial[], verdict: HwVerdict, settings: HwSettings): string {
  const threads = trials.map((t) => t.threads);
  const lo = Math.min(...threads);
  const hi = Math.max(...threads);
  const on = trials.length === 0 ? '' : lo === hi ? ` on ${plural(lo, 'thread')}` : ` on ${lo}–${hi} threads`;
  const statuses = (Object.keys(TRIAL_WORDS) as TrialStatus[])
    .map((s) => [trials.filter((t) => t.status === s).length, TRIAL_WORDS[s]] as const)
    .filter(([k]) => k > 0)
    .map(([k, w]) => `${n(k)} ${w}`);
  const raised = trials.filter((t) => t.end !== null && t.end.exceptions.length > 0).length;
  if (raised > 0) statuses.push(`${n(raised)} with an uncaught exception`);
  const labels = (['possible', 'not predicted', 'not found', 'unknown'] as const)
    .map((l) => [verdict.outcomes.filter((o) => o.label === l).length, l] as const)
    .filter(([k]) => k > 0)
    .map(([k, l]) => `${n(k)} ${l === 'not predicted' ? 'NOT PREDICTED' : l}`);
  const outcomes = `${plural(verdict.outcomes.length, 'distinct outcome')}${labels.length > 0 ? `: ${labels.join(', ')}` : ''}`;
  return `${plural(trials.length, 'trial')}${on}, memory ${settings.memory}: ${statuses.join(', ') || 'none run'}; ${outcomes}`;
}

/** `npx interleave explore FILE [--set k=v]... --time-limit 600 [--max-steps N]`: a longer search. */
function exploreFurther(program: CompiledProgram, verdict: HwVerdict): string {
  const args = ['npx', 'interleave', 'explore', program.file];
  for (const [k, v] of program.sets) args.push('--set', `${k}=${v}`);
  args.push('--time-limit', '600');
  if (verdict.simulator.stoppedBy.includes('step-bound')) args.push('--max-steps', '100000000');
  return args.map(shellQuote).join(' ');
}

/** `── interleave hw: FILE (N trials, memory sc, timeout 10 s) ──`. */
export function renderHeader(program: CompiledProgram, settings: HwSettings): string {
  return `── interleave hw: ${program.file} (${plural(settings.trials, 'trial')}, memory ${settings.memory}, timeout ${n(settings.timeoutSeconds)} s) ──`;
}

/** The report printed after the program's own output. */
export function renderHardware(
  program: CompiledProgram,
  settings: HwSettings,
  trials: HwTrial[],
  verdict: HwVerdict,
  /** The header and trial lines were already printed as the trials ran (renderHeader, renderTrial). */
  streamed = false,
): string {
  const out: string[] = [];
  if (!streamed) {
    out.push(renderHeader(program, settings));
    const width = Math.max(1, ...trials.map((t) => String(t.index).length));
    for (const t of trials) out.push(...renderTrial(t, settings, width));
  }

  out.push('');
  out.push(`${plural(verdict.outcomes.length, 'distinct outcome')} on hardware:`);
  verdict.outcomes.forEach((o, i) => {
    const mark = o.label === 'not predicted' ? '!!' : '  ';
    out.push(`${mark}${String(i + 1).padStart(2)}. ${outcomeHead(o)}`);
    out.push(...exceptionLines(o.exceptions, '        '));
    for (const line of labelLines(o, settings)) out.push(`        ${line}`);
  });
  const sim = verdict.simulator;
  out.push(
    sim.complete
      ? `simulator: ${plural(sim.executions, 'execution')}, complete: ${plural(sim.outcomes, 'distinct outcome')} under sequential consistency`
      : `simulator: ${plural(sim.executions, 'execution')}, not complete; ${plural(sim.outcomes, 'distinct outcome')} found so far (an outcome it did not find may still be possible)`,
  );
  if (verdict.outcomes.some((o) => o.label === 'not found'))
    out.push(`to search further: ${exploreFurther(program, verdict)}`);

  out.push('');
  if (verdict.unseen === null) {
    out.push(
      sim.complete
        ? `predicted outcomes not seen on hardware: not listed (the simulator predicts ${n(sim.outcomes)}, more than ${MAX_UNSEEN_LISTED})`
        : "predicted outcomes not seen on hardware: not listed (the simulator's search was not complete)",
    );
  } else if (verdict.unseen.length === 0) {
    out.push(`every outcome the simulator predicts was seen on hardware (${n(sim.outcomes)})`);
  } else {
    out.push(
      `predicted by the simulator, not seen on hardware (${n(verdict.unseen.length)} of ${n(sim.outcomes)}):`,
    );
    for (const u of verdict.unseen) {
      const status = u.status === 'deadlock' ? 'DEADLOCK  ' : u.status === 'step-bound' ? 'STEP BOUND  ' : '';
      out.push(`      ${status}${globalsText(u.globals)}`);
      out.push(...exceptionLines(u.exceptions, '        '));
      out.push(`        ${u.replay}`);
    }
  }

  out.push('');
  out.push(summaryLine(trials, verdict, settings));
  return `${out.join('\n')}\n`;
}

function exceptionsJson(exceptions: ThreadError[]): { thread: string; exception: string }[] {
  return exceptions.map((e) => ({ thread: e.thread, exception: e.text }));
}

/**
 * An end state's globals as JSON: `globals`, the data globals as JSON values
 * (src/semantics/js-value.ts `toJsonValue`), and `globalsRepr`, their reprs; both null when
 * there is no end state (a trial that timed out or crashed).
 */
function globalsJson(end: EndState | null): {
  globals: Record<string, JsonValue> | null;
  globalsRepr: Record<string, string> | null;
} {
  return end === null
    ? { globals: null, globalsRepr: null }
    : { globals: dataGlobalsJson(end.values), globalsRepr: end.globals };
}

/**
 * The trials and the verdict as JSON: `trials`, `outcomes` and `unseen`, each with its end
 * state's `globals` as JSON values and `globalsRepr` (see globalsJson), and `simulator`.
 */
export function hardwareJson(
  program: CompiledProgram,
  settings: HwSettings,
  trials: HwTrial[],
  verdict: HwVerdict,
): object {
  return {
    file: program.file,
    memory: settings.memory,
    timeoutSeconds: settings.timeoutSeconds,
    trials: trials.map((t) => ({
      index: t.index,
      status: t.status,
      endStatus: t.end?.status ?? null,
      ...globalsJson(t.end),
      exceptions: exceptionsJson(t.end?.exceptions ?? []),
      blocked: t.blocked,
      crash: t.crash,
      ms: t.ms,
      threads: t.threads,
    })),
    outcomes: verdict.outcomes.map((o) => ({
      ...globalsJson(o.end),
      status: o.status,
      exceptions: exceptionsJson(o.exceptions),
      count: o.count,
      trials: o.trials,
      label: o.label,
      ...(o.schedule !== undefined ? { schedule: o.schedule, replay: o.replay } : {}),
      ...(o.bound !== undefined ? { bound: o.bound } : {}),
    })),
    unseen: (verdict.unseen ?? []).map((u) => ({
      ...globalsJson(u.end),
      status: u.status,
      exceptions: exceptionsJson(u.exceptions),
      schedule: u.schedule,
      replay: u.replay,
    })),
    simulator: {
      executions: verdict.simulator.executions,
      complete: verdict.simulator.complete,
      outcomes: verdict.simulator.outcomes,
      stoppedBy: verdict.simulator.stoppedBy,
      unseenListed: verdict.unseen !== null,
    },
  };
}
