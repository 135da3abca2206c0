/**
 * Text and JSON rendering of an exploration: the table of distinct outcomes with how many
 * executions reached each and a replay command for its witness (the execution with the fewest
 * preemptions), the data races, and a coverage line.
 */
import { MAX_CHOICE_BRANCHES } from '../explore/dpor.js';
import type { CompiledProgram } from '../compile/ops.js';
import type { Exploration } from '../explore/explore.js';
import type { Witness } from '../explore/outcomes.js';
import { encodeSchedule, scheduleLength } from '../schedule/schedule.js';
import { mutualExclusionArgs, replayFor } from '../run/replay-command.js';
import { dataGlobalsJson } from '../vm/data-globals.js';

const n = (x: number | bigint): string => x.toLocaleString('en-US');

function stopText(reasons: string[]): string {
  return reasons
    .map((r) =>
      r === 'max-executions'
        ? '--max-executions reached'
        : r === 'time-limit'
          ? '--time-limit reached'
          : r === 'preemption-bound'
            ? 'executions over the preemption bound skipped'
            : r === 'step-bound'
              ? 'some executions cut at the step bound'
              : r === 'choice-bound'
                ? `only the first ${MAX_CHOICE_BRANCHES} options of a random call explored`
                : 'stopped',
    )
    .join(', ');
}

/** The coverage line: executions, completeness, and the closed-form count where it applies. */
export function coverageLine(x: Exploration): string {
  const executions = n(x.table.executions);
  if (x.strategy !== 'exhaustive') {
    const failures = x.failures.length;
    const first = x.failures[0];
    const races = x.table.races.size;
    const raceText = `data races on ${n(races)} cell${races === 1 ? '' : 's'}`;
    const tail =
      failures === 0
        ? races === 0
          ? 'no failure found'
          : `no deadlock, exception or step bound; ${raceText}`
        : `${n(failures)} failing runs; the first at run ${n(first!.run)} (seed ${first!.seed})${races === 0 ? '' : `; ${raceText}`}`;
    return `coverage: ${executions} ${x.strategy} runs; ${tail}`;
  }
  if (x.stateful !== undefined && x.stateful.complete)
    return `coverage: complete: every reachable state explored (${n(x.stateful.states)} states; executions were cut by the step bound, so the stateful search took over from DPOR)`;
  let line = x.complete
    ? `coverage: ${executions} executions, complete: every interleaving explored up to equivalence (one execution per Mazurkiewicz trace)`
    : `coverage: ${executions} executions, not complete (${stopText(x.stoppedBy)})`;
  if (x.prefixSteps !== undefined)
    line += `\n          continuations of a prefix of ${n(x.prefixSteps)} steps (every witness starts with it)`;
  if (x.interleavings !== null && x.stepsPerThread !== null) {
    line += `\n          without reduction: ${n(x.interleavings)} interleavings of ${x.stepsPerThread
      .slice(1)
      .map(String)
      .join(' + ')} thread steps ((Σk)! / Πk!)`;
  }
  return line;
}

/** The outcomes in the order the table numbers them: the most executions first. */
export function tableOrder(x: Exploration): Exploration['table']['entries'] {
  return [...x.table.entries].sort((a, b) => b.count - a.count);
}

const preemptions = (k: number): string => `${k} preemption${k === 1 ? '' : 's'}`;

/** ` (shrunk from N)` after a witness that shrinking shortened (explore/shrink-witness.ts), else nothing. */
function shrunkFrom(w: Witness): string {
  return w.shrunkFrom === undefined ? '' : ` (shrunk from ${w.shrunkFrom})`;
}

export function renderExploration(
  program: CompiledProgram,
  x: Exploration,
  mutualExclusion: readonly string[] = [],
): string {
  const out: string[] = [];
  out.push(`── interleave explore: ${program.file} (${x.strategy}) ──`);
  const entries = tableOrder(x);
  out.push(`${n(entries.length)} distinct outcome${entries.length === 1 ? '' : 's'}:`);
  // No end state at all: every execution spins in a cycle of states or hit a bound. Saying
  // nothing more would read as "nothing can go wrong".
  if (entries.length === 0)
    out.push('  none: no execution ended (every one loops without end, or stopped at a bound)');
  entries.forEach((e, i) => {
    const s = e.state;
    const globals = Object.entries(s.globals)
      .map(([k, v]) => `${k} = ${v.length > 60 ? `${v.slice(0, 59)}…` : v}`)
      .join(', ');
    const status = s.status === 'completed' ? '' : s.status === 'deadlock' ? 'DEADLOCK  ' : 'STEP BOUND  ';
    out.push(`  ${String(i + 1).padStart(2)}. ${status}${globals || '(no data globals)'}`);
    for (const ex of s.exceptions) out.push(`        ${ex.thread}: ${ex.text}`);
    out.push(
      `        ${n(e.count)} execution${e.count === 1 ? '' : 's'}; witness with ${preemptions(e.witness.preemptions)}${shrunkFrom(e.witness)}:`,
    );
    out.push(`        ${replayFor(program, e.witness)}`);
  });
  if (x.failures.length > 0) {
    out.push('failing runs (deadlock or uncaught exception):');
    for (const f of x.failures.slice(0, 5)) {
      const what =
        f.state.status === 'deadlock' ? 'deadlock' : f.state.exceptions.map((e) => e.text).join('; ');
      const shrunk =
        f.shrunkFrom === undefined ? '' : ` (shrunk from ${preemptions(f.shrunkFrom)} to ${f.preemptions})`;
      out.push(`  run ${n(f.run)}, seed ${f.seed}: ${what}${shrunk}`);
      out.push(`    ${replayFor(program, f)}`);
    }
    if (x.failures.length > 5) out.push(`  … and ${n(x.failures.length - 5)} more`);
  }
  if (mutualExclusion.length > 0 || x.table.violations.size > 0) {
    if (x.table.violations.size === 0) out.push('invariant failures: none');
    else out.push('invariant failures:');
    for (const v of x.table.violations.values()) {
      const w = v.witness;
      const shrunk = w.shrunkFrom === undefined ? '' : ` (shrunk from ${w.shrunkFrom})`;
      out.push(`  ${v.message}`);
      const unit = x.stateful?.complete === true ? 'state' : 'execution';
      out.push(
        `    ${n(v.count)} ${unit}${v.count === 1 ? '' : 's'}; witness with ${preemptions(w.preemptions)}${shrunk}:`,
      );
      out.push(`    ${replayFor(program, w)}${mutualExclusionArgs(mutualExclusion)}`);
    }
  }
  const livelock = x.stateful?.livelock ?? null;
  if (livelock !== null) {
    const k = scheduleLength(livelock.schedule);
    out.push(
      `livelock: from ${n(livelock.states)} reachable state${livelock.states === 1 ? '' : 's'} no execution can end (a thread loops for ever); the steps to one:`,
    );
    out.push(
      `    ${replayFor(program, { schedule: livelock.schedule, maxSteps: k })}${mutualExclusionArgs(mutualExclusion)}`,
    );
  }
  if (x.table.races.size > 0) {
    out.push('data races:');
    for (const [cell, w] of x.table.races) {
      const shrunk =
        w.shrunkFrom === undefined ? '' : ` with ${preemptions(w.preemptions)}, shrunk from ${w.shrunkFrom}`;
      out.push(`  ${cell}  (witness${shrunk}: ${replayFor(program, w)})`);
    }
  } else {
    out.push('data races: none');
  }
  out.push(coverageLine(x));
  return `${out.join('\n')}\n`;
}

/**
 * The exploration as JSON: `executions`, `complete`, and `outcomes` in order of discovery, each
 * with `status`, `globals` (the data globals as JSON values, src/semantics/js-value.ts
 * `toJsonValue`), `globalsRepr` (their reprs, as the text table shows them), `exceptions`,
 * `count`, and its witness's `preemptions`, `schedule` and `replay`; then `races` and `failures`.
 */
export function explorationJson(
  program: CompiledProgram,
  x: Exploration,
  mutualExclusion: readonly string[] = [],
): object {
  return {
    file: program.file,
    strategy: x.strategy,
    executions: x.table.executions,
    complete: x.complete,
    stoppedBy: x.stoppedBy,
    interleavings: x.interleavings === null ? null : x.interleavings.toString(),
    ...(x.prefixSteps === undefined ? {} : { prefixSteps: x.prefixSteps }),
    outcomes: x.table.entries.map((e) => ({
      status: e.state.status,
      globals: dataGlobalsJson(e.state.values),
      globalsRepr: e.state.globals,
      exceptions: e.state.exceptions.map((ex) => ({ thread: ex.thread, exception: ex.text })),
      count: e.count,
      preemptions: e.witness.preemptions,
      ...(e.witness.shrunkFrom === undefined ? {} : { shrunkFrom: e.witness.shrunkFrom }),
      schedule: encodeSchedule(e.witness.schedule),
      replay: replayFor(program, e.witness),
    })),
    races: [...x.table.races].map(([cell, w]) => ({
      cell,
      schedule: encodeSchedule(w.schedule),
      ...(w.shrunkFrom === undefined ? {} : { preemptions: w.preemptions, shrunkFrom: w.shrunkFrom }),
    })),
    livelock:
      (x.stateful?.livelock ?? null) === null
        ? null
        : {
            states: x.stateful!.livelock!.states,
            schedule: encodeSchedule(x.stateful!.livelock!.schedule),
          },
    violations: [...x.table.violations.values()].map((v) => ({
      invariant: v.invariant,
      message: v.message,
      count: v.count,
      preemptions: v.witness.preemptions,
      ...(v.witness.shrunkFrom === undefined ? {} : { shrunkFrom: v.witness.shrunkFrom }),
      schedule: encodeSchedule(v.witness.schedule),
      replay: `${replayFor(program, v.witness)}${mutualExclusionArgs(mutualExclusion)}`,
    })),
    failures: x.failures.map((f) => ({
      run: f.run,
      seed: f.seed,
      schedule: encodeSchedule(f.schedule),
      ...(f.shrunkFrom === undefined ? {} : { preemptions: f.preemptions, shrunkFrom: f.shrunkFrom }),
    })),
  };
}
