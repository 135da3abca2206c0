/**
 * Text rendering of one execution's outcome: how it ended, final globals, uncaught
 * exceptions, the deadlock (who waits for what, the wait-for cycle, locks held by dead
 * threads), and the lost updates with their interleaving windows as thread columns.
 * Pure functions of their inputs.
 */
import { plural } from '../base/plural.js';
import type { RunResult } from '../run/run.js';
import type { AssertionTrace, ViolationTrace } from '../run/slice-trace.js';

/** The slices a report shows, when computed: an invariant's failure's and a failed `assert`'s. */
export interface Slices {
  violation?: ViolationTrace | null;
  assertion?: AssertionTrace | null;
}
import { describeEvent, type LostUpdateWindow, type WindowRow } from './lost-update-window.js';
import { threadLabel, type Outcome } from './outcome.js';

const n = (x: number): string => x.toLocaleString('en-US');

function schedulerLine(result: RunResult): string {
  const c = result.config;
  if (c.kind === 'replay') return 'replayed schedule';
  if (c.kind === 'round-robin') return `round-robin scheduler, ${plural(c.slice, 'step')} per turn`;
  if (c.kind === 'uniform') return `uniform random scheduler, seed ${c.seed}`;
  return `time-slice scheduler, seed ${c.seed}, mean slice ${plural(c.slice, 'step')}`;
}

/** Lay out window rows as side-by-side thread columns. */
export function renderWindow(result: RunResult, outcome: Outcome, w: LostUpdateWindow): string[] {
  const u = outcome.lostUpdates.first[w.index]!;
  const out: string[] = [];
  const who = threadLabel(result, u.thread);
  out.push(
    `lost update ${w.index + 1} of ${n(outcome.lostUpdates.stores)}: ${who} overwrote ${plural(u.lost, 'update')} to ${u.cell}`,
  );
  out.push(`  at ${result.program.file}:${u.line}  ${u.source}`);
  out.push(
    `  it read ${u.cell} at step ${n(u.loadStep)} and wrote it at step ${n(u.storeStep)}; other threads updated it in between, and those updates are gone.`,
  );
  const split = w.omitted !== 0 && w.rows.length > w.head ? w.head : -1;
  const gap = (k: number): string =>
    `(${
      w.omitted === null
        ? `steps ${n(w.rows[k - 1]!.step + 1)} to ${n(w.rows[k]!.step - 1)}`
        : plural(w.omitted, 'more step')
    } on ${u.cell}, by these or other threads)`;
  out.push(...stepColumns(result, w.rows, u.thread, split, gap));
  return out;
}

/**
 * Rows of steps as side-by-side thread columns: `first` thread first, then up to three others
 * in order of appearance, the rest in one column; a `⋮` line with `gap(k)` before row `split`.
 */
function stepColumns(
  result: RunResult,
  rows: readonly WindowRow[],
  first: number,
  split: number,
  gap: (k: number) => string,
): string[] {
  const out: string[] = [];
  const columns: number[] = [first];
  for (const r of rows) if (!columns.includes(r.tid) && columns.length < 4) columns.push(r.tid);
  const hasOthers = rows.some((r) => !columns.includes(r.tid));
  const headers = columns.map((tid) => threadLabel(result, tid));
  if (hasOthers) headers.push('other threads');
  const width = headers.map((h, i) => {
    const cells = rows.filter((r) => (i < columns.length ? r.tid === columns[i] : !columns.includes(r.tid)));
    const texts = cells.map((r) =>
      i < columns.length ? r.text : `${threadLabel(result, r.tid)}: ${r.text}`,
    );
    return Math.min(40, Math.max(h.length, ...texts.map((t) => t.length)));
  });
  const stepWidth = Math.max(4, ...rows.map((r) => n(r.step).length));
  const fit = (text: string, i: number): string =>
    text.length > width[i]! ? `${text.slice(0, width[i]! - 1)}…` : text.padEnd(width[i]!);
  out.push(`  ${'step'.padStart(stepWidth)}  ${headers.map((h, i) => fit(h, i)).join('  ')}`.trimEnd());
  rows.forEach((r, k) => {
    if (k === split) out.push(`  ${'⋮'.padStart(stepWidth)}  ${gap(k)}`);
    let col = columns.indexOf(r.tid);
    const text = col >= 0 ? r.text : `${threadLabel(result, r.tid)}: ${r.text}`;
    if (col < 0) col = columns.length;
    const cells = headers.map((_, i) => (i === col ? fit(text, i) : ' '.repeat(width[i]!)));
    out.push(`  ${n(r.step).padStart(stepWidth)}  ${cells.join('  ')}`.trimEnd());
  });
  return out;
}

/**
 * An invariant's failure and the slice of the interleaving that led to it (run/violation-trace.ts):
 * the steps that touched what it reads, per thread, each with its line of the program.
 */
export function renderViolation(result: RunResult, outcome: Outcome, slice: ViolationTrace | null): string[] {
  const v = outcome.violation;
  if (v === null) return [];
  const out = [`invariant failed after step ${n(v.step)} (${v.thread}): ${v.message}`];
  if (slice === null || slice.steps.length === 0) return out;
  const globals = slice.globals === null || slice.globals.length === 0 ? ['shared variables'] : slice.globals;
  const what = [...globals, ...slice.functions.map((f) => `${f}()`)].join(', ');
  out.push(`  the steps that led to it (accesses of ${what}):`);
  return [...out, ...renderSlice(result, slice)];
}

/** A failed `assert`'s slice (run/slice-trace.ts traceAssertion): the accesses of what its line reads. */
export function renderAssertionSlice(result: RunResult, slice: AssertionTrace | null): string[] {
  if (slice === null || slice.steps.length === 0) return [];
  const who = threadLabel(result, slice.thread);
  return [
    `the steps that led to ${who}'s failed assert on line ${slice.line} (accesses of ${(slice.globals ?? []).join(', ')}):`,
    ...renderSlice(result, slice),
  ];
}

/** The steps of a slice as rows: step, thread, line, the line's source, the op. */
function renderSlice(result: RunResult, slice: ViolationTrace): string[] {
  const out: string[] = [];
  const lines = result.program.source.split(/\r\n|\r|\n/);
  const rows = slice.steps.map(({ event: e, entered, left }) => {
    const line = e.code.spans[e.pc * 4]!;
    const who = (x: string): string => {
      const [tid, fn] = x.split(':') as [string, string];
      return Number(tid) === e.tid ? `${fn}()` : `${fn}() (${threadLabel(result, Number(tid))})`;
    };
    const moves = [
      ...entered.map((x) => `; now in ${who(x)}`),
      ...left.map((x) => `; out of ${who(x)}`),
    ].join('');
    return {
      step: n(e.step),
      thread: threadLabel(result, e.tid),
      line: `${line}`,
      source: lines[line - 1]?.trim() ?? '',
      op: `${describeEvent(e)}${moves}`,
    };
  });
  const head = { step: 'step', thread: 'thread', line: 'line', source: 'source', op: 'op' };
  const w = (k: keyof typeof head): number =>
    Math.min(36, Math.max(...[head, ...rows].map((r) => r[k].length)));
  const cut = (t: string, k: keyof typeof head): string => (t.length > w(k) ? `${t.slice(0, w(k) - 1)}…` : t);
  if (slice.earlier > 0) out.push(`  (${plural(slice.earlier, 'earlier step')} of the slice not shown)`);
  for (const r of [head, ...rows])
    out.push(
      `  ${r.step.padStart(w('step'))}  ${cut(r.thread, 'thread').padEnd(w('thread'))}  ${r.line.padStart(w('line'))}  ${cut(r.source, 'source').padEnd(w('source'))}  ${r.op}`.trimEnd(),
    );
  return out;
}

/** The deadlock: who waits for what, locks held by dead threads, the wait-for cycle. */
export function renderDeadlock(result: RunResult, outcome: Outcome): string[] {
  const g = outcome.deadlock;
  const out = [`deadlock after ${plural(outcome.steps, 'step')}: no thread can run`];
  if (g === null) return out;
  const name = (tid: number): string => threadLabel(result, tid);
  for (const b of g.blocked) {
    const where = `${name(b.tid)} waits at line ${b.line}`;
    if (b.kind === 'lock') {
      const holder =
        b.holder >= 0
          ? `held by ${name(b.holder)}${result.machine.threads[b.holder]?.finished ? ', which has finished' : ''}`
          : 'held';
      out.push(`  ${where} to acquire \`${b.object}\`, ${holder}`);
    } else if (b.kind === 'join') out.push(`  ${where} to join ${name(b.holder)}`);
    else if (b.kind === 'notify')
      out.push(`  ${where} to be notified on \`${b.object}\` (no thread will notify it)`);
    else if (b.kind === 'event') out.push(`  ${where} for event \`${b.object}\` to be set`);
    else out.push(`  ${where} to acquire semaphore \`${b.object}\` (its value is 0)`);
  }
  for (const d of g.deadHolders) {
    const death = d.exception !== null ? `died at line ${d.exceptionLine} with ${d.exception}` : 'finished';
    const acquired = d.acquiredLine > 0 ? ` (acquired at line ${d.acquiredLine})` : '';
    out.push(`  ${name(d.holder)} ${death}, still holding \`${d.object}\`${acquired}: no one can release it`);
  }
  if (g.cycle !== null) out.push(`  wait-for cycle: ${g.cycle.map(name).join(' → ')}`);
  else {
    const edges = g.blocked.filter((b) => b.holder >= 0).map((b) => `${name(b.tid)} → ${name(b.holder)}`);
    if (edges.length > 0) out.push(`  wait-for graph: ${edges.join(', ')} (no cycle)`);
  }
  return out;
}

/** Uncaught exceptions, one line each (none: no lines). */
export function renderExceptions(outcome: Outcome): string[] {
  if (outcome.exceptions.length === 0) return [];
  return [
    'uncaught exceptions:',
    ...outcome.exceptions.map((e) => `  ${e.thread}: ${e.text} (line ${e.line})`),
  ];
}

/** The data races: counts per cell, then the first few as their two accesses. */
export function renderRaces(outcome: Outcome): string[] {
  const out: string[] = [];
  if (outcome.races.total > 0) {
    const cells = Object.entries(outcome.races.byCell)
      .map(([c, k]) => `${c}: ${n(k)}`)
      .join(', ');
    out.push(
      `data races: ${n(outcome.races.total)} (${cells}), accesses not ordered by any synchronization${
        outcome.races.first.length < outcome.races.total
          ? ` (the first ${n(outcome.races.first.length)} shown)`
          : ''
      }:`,
    );
    for (const r of outcome.races.first) {
      const a = `${r.first.thread} ${r.first.op} (line ${r.first.line})`;
      const b = `${r.second.thread} ${r.second.op} (line ${r.second.line})`;
      out.push(`  ${r.cell}: ${a} and ${b}`);
    }
  } else {
    out.push('data races: none');
  }
  return out;
}

/** The report printed after the program's own output. `replay` is the command line, or null. */
export function renderOutcome(
  result: RunResult,
  outcome: Outcome,
  windows: LostUpdateWindow[],
  replay: string | null,
  /** The slices of an invariant's failure and of a failed `assert` (run/slice-trace.ts). */
  slices: Slices = {},
): string {
  const out: string[] = [];
  out.push(`── interleave: ${result.program.file} (${schedulerLine(result)}) ──`);
  if (outcome.status === 'completed')
    out.push(`completed after ${plural(outcome.steps, 'step')} (${plural(outcome.microOps, 'micro-op')})`);
  else if (outcome.status === 'deadlock') out.push(...renderDeadlock(result, outcome));
  else
    out.push(
      `stopped after ${plural(outcome.steps, 'step')}: ${outcome.boundReason ?? 'step bound reached'}`,
    );
  const globals = Object.entries(outcome.globals);
  if (globals.length > 0) {
    out.push('final globals:');
    for (const [k, v] of globals) out.push(`  ${k} = ${v.length > 200 ? `${v.slice(0, 199)}…` : v}`);
  }
  if (outcome.unfinished.length > 0) {
    out.push(outcome.status === 'completed' ? 'daemon threads dropped at exit:' : 'where each thread was:');
    for (const u of outcome.unfinished) out.push(`  ${u.thread} at line ${u.line} (${u.op})`);
  }
  out.push(...renderExceptions(outcome));
  out.push(...renderAssertionSlice(result, slices.assertion ?? null));
  out.push(...renderViolation(result, outcome, slices.violation ?? null));
  const lu = outcome.lostUpdates;
  if (lu.stores > 0) {
    const cells = Object.entries(lu.byCell)
      .map(([c, k]) => `${c}: ${n(k)}`)
      .join(', ');
    out.push(
      `lost updates: ${n(lu.lost)} (${cells}), by ${plural(lu.stores, 'store')} after a read that other threads overwrote`,
    );
    for (const w of windows) {
      out.push('');
      out.push(...renderWindow(result, outcome, w));
    }
    if (lu.stores > windows.length) out.push(`(the first ${windows.length} of ${n(lu.stores)} shown)`);
  } else {
    out.push('lost updates: none');
  }
  out.push(...renderRaces(outcome));
  if (replay !== null) {
    out.push('');
    out.push(`replay: ${replay}`);
  }
  return `${out.join('\n')}\n`;
}
