/**
 * `interleave check`: verify a program's `# expect:` lines.
 *
 * Each line ends as one of
 *   holds       a witness for `sometimes`; for `always`, `never` and `outcomes`, a complete search
 *   violated    a counterexample execution (with its schedule), or a complete search without a witness
 *   not proven  the search was cut by a bound before it could decide; says how far it got
 *
 * The search is staged so that cheap evidence comes first: a few random runs (which often
 * find a `sometimes` witness or a violation at once, even at full size), then an exhaustive
 * DPOR search, then, if executions were cut by the step bound (spin loops), a stateful search
 * whose visited-state set makes spinning finite. Each stage runs only while lines are undecided.
 */
import type { CompiledProgram } from '../compile/ops.js';
import { MAX_CHOICE_BRANCHES, type StopReason } from '../explore/dpor.js';
import { exploreProgram, type Exploration } from '../explore/explore.js';
import type { EndState, OutcomeEntry, OutcomeTable, Witness } from '../explore/outcomes.js';
import { shrunkWitness, withSharedRuns, type ShrinkOptions } from '../explore/shrink-witness.js';
import { exploreStates } from '../explore/stateful.js';
import { REPORT_REPR_CHARS, reprCapped } from '../semantics/format.js';
import { holdsIn, type Expectation, type Predicate } from './expectations.js';

export type Verdict = 'holds' | 'violated' | 'not proven';

export interface LineResult {
  expectation: Expectation;
  verdict: Verdict;
  /** Why, in a sentence. */
  detail: string;
  /** The execution that decided it, when one did. */
  witness: Witness | null;
}

export interface CheckOptions {
  /** Random runs before the exhaustive search (default 12). */
  randomRuns?: number;
  maxExecutions?: number;
  timeLimitMs?: number;
  preemptionBound?: number;
  /** Steps per execution in the exhaustive search (default 20,000). */
  maxSteps?: number;
  /** States the stateful search may visit (default 2 million). */
  maxStates?: number;
  /**
   * Shrink the witness of each line to the fewest preemptions with which the line is decided
   * the same way (explore/shrink-witness.ts), within `budget` executions each (default 2,000);
   * false keeps the witnesses as the search found them.
   */
  shrink?: false | { budget?: number };
}

export interface CheckResult {
  lines: LineResult[];
  /** Executions run in all stages. */
  executions: number;
  complete: boolean;
  stoppedBy: StopReason[];
  /** Which stages ran. */
  stages: string[];
}

/** Value of a predicate in one end state: true, false, or an error text. */
function predicateIn(p: Predicate, s: EndState): boolean | string {
  switch (p.kind) {
    case 'deadlock':
      return s.status === 'deadlock';
    case 'exception':
      return s.exceptions.some((e) => e.classes.includes(p.type));
    case 'race':
      return p.cell === null
        ? s.races.length > 0
        : s.races.some((c) => c === p.cell || c.startsWith(`${p.cell}[`));
    case 'expr': {
      const r = holdsIn(p.text, s.values);
      return typeof r === 'boolean' ? r : r.error;
    }
  }
}

/**
 * How far the search got, in the words of the stage that decided (its own count, as the
 * header's stage list gives it): `executions` of DPOR, or `states` of the stateful search.
 */
function describeBounds(
  complete: boolean,
  executions: number,
  stoppedBy: StopReason[],
  options: CheckOptions,
  states: number | null,
): string {
  if (complete && states !== null)
    return `every reachable state explored (${states.toLocaleString('en-US')} states)`;
  if (complete) return `every interleaving explored (${executions.toLocaleString('en-US')} executions)`;
  const why = stoppedBy.map((r) =>
    r === 'max-executions'
      ? `--max-executions ${(options.maxExecutions ?? 100_000).toLocaleString('en-US')}`
      : r === 'time-limit'
        ? `--time-limit ${Math.round((options.timeLimitMs ?? 20_000) / 1000)}s`
        : r === 'preemption-bound'
          ? `--preemption-bound ${options.preemptionBound}`
          : r === 'step-bound'
            ? `executions cut at ${(options.maxSteps ?? 20_000).toLocaleString('en-US')} steps`
            : r === 'choice-bound'
              ? `only the first ${MAX_CHOICE_BRANCHES} options of a random call explored`
              : 'stopped',
  );
  return `search not complete after ${executions.toLocaleString('en-US')} executions (stopped by ${why.join(', ') || 'the bounds'})`;
}

/** Decide one line from the outcomes seen and whether the search was complete. */
export function decide(
  e: Expectation,
  tables: OutcomeTable[],
  complete: boolean,
  bounds: string,
): LineResult {
  // An execution cut by the step bound has not ended: its state is no outcome.
  const all = tables.flatMap((t) => t.entries);
  const entries = all.filter((entry) => entry.state.status !== 'step-bound');
  // A claim about every execution is no proof when no execution ended (a thread that spins
  // forever): say so, and which bound stopped them.
  if (entries.length === 0 && complete) {
    const cut =
      all.length > 0
        ? 'every execution was stopped by the step bound or a thread spinning without end'
        : 'no execution ran';
    return {
      expectation: e,
      verdict: 'not proven',
      detail: `no execution finished: ${cut}; ${bounds}`,
      witness: all[0]?.witness ?? null,
    };
  }
  if (e.kind === 'outcomes') {
    const expected = new Set(e.values);
    const observed = new Map<string, OutcomeEntry>();
    for (const entry of entries) {
      const v = entry.state.values.get(e.name);
      const r = v === undefined ? '<unbound>' : reprCapped(v, REPORT_REPR_CHARS);
      if (!observed.has(r)) observed.set(r, entry);
    }
    const extra = [...observed.keys()].filter((v) => !expected.has(v));
    if (extra.length > 0) {
      const w = observed.get(extra[0]!)!;
      return {
        expectation: e,
        verdict: 'violated',
        detail: `${e.name} can end as ${extra.join(', ')}`,
        witness: w.witness,
      };
    }
    const missing = e.values.filter((v) => !observed.has(v));
    if (missing.length > 0) {
      if (complete)
        return {
          expectation: e,
          verdict: 'violated',
          detail: `${e.name} never ends as ${missing.join(', ')}; ${bounds}`,
          witness: null,
        };
      return {
        expectation: e,
        verdict: 'not proven',
        detail: `${e.name} not yet seen as ${missing.join(', ')}; ${bounds}`,
        witness: null,
      };
    }
    if (!complete)
      return {
        expectation: e,
        verdict: 'not proven',
        detail: `every value seen, but ${bounds}`,
        witness: null,
      };
    const seen = e.values.filter((v) => observed.has(v));
    return {
      expectation: e,
      verdict: 'holds',
      detail: `${e.name} ∈ {${seen.join(', ')}}; ${bounds}`,
      witness: null,
    };
  }
  const { quantifier, predicate } = e;
  for (const entry of entries) {
    const v = predicateIn(predicate, entry.state);
    if (typeof v === 'string') {
      return {
        expectation: e,
        verdict: 'violated',
        detail: `evaluating it raised ${v}`,
        witness: entry.witness,
      };
    }
    if (quantifier === 'sometimes' && v)
      return { expectation: e, verdict: 'holds', detail: 'witnessed', witness: entry.witness };
    if (quantifier === 'always' && !v)
      return {
        expectation: e,
        verdict: 'violated',
        detail: 'false in this execution',
        witness: entry.witness,
      };
    if (quantifier === 'never' && v)
      return {
        expectation: e,
        verdict: 'violated',
        detail: 'true in this execution',
        witness: entry.witness,
      };
  }
  if (quantifier === 'sometimes') {
    return complete
      ? { expectation: e, verdict: 'violated', detail: `never true; ${bounds}`, witness: null }
      : { expectation: e, verdict: 'not proven', detail: `no witness yet; ${bounds}`, witness: null };
  }
  return complete
    ? { expectation: e, verdict: 'holds', detail: bounds, witness: null }
    : { expectation: e, verdict: 'not proven', detail: `no counterexample, but ${bounds}`, witness: null };
}

/**
 * What the witness of a decided line shows, as a test of another execution's end state: the
 * line fails on it (the same value outside an `outcomes` set, the same error, an `always` false,
 * a `never` true), or, for a `sometimes` that holds, its predicate is true. Null when the line
 * has no witness to shrink (it is not proven, or no execution decided it).
 */
function sameDecision(line: LineResult, w: EndState | undefined): ((s: EndState) => boolean) | null {
  const e = line.expectation;
  if (line.witness === null || w === undefined || line.verdict === 'not proven') return null;
  const ended = (s: EndState): boolean => s.status !== 'step-bound';
  if (e.kind === 'outcomes') {
    const valueOf = (s: EndState): string => {
      const v = s.values.get(e.name);
      return v === undefined ? '<unbound>' : reprCapped(v, REPORT_REPR_CHARS);
    };
    const value = valueOf(w);
    return (s) => ended(s) && valueOf(s) === value;
  }
  const shown = predicateIn(e.predicate, w);
  return (s) => ended(s) && predicateIn(e.predicate, s) === shown;
}

/**
 * Shrink the witness of `line` in place (see sameDecision for what it must keep showing); `w` is
 * the end state of the execution it witnesses.
 */
function shrinkLine(
  program: CompiledProgram,
  line: LineResult,
  w: EndState | undefined,
  options: ShrinkOptions,
): void {
  const same = sameDecision(line, w);
  if (same === null) return;
  const races = line.expectation.kind === 'quantified' && line.expectation.predicate.kind === 'race';
  line.witness = shrunkWitness(program, line.witness!, (r) => same(r.state), { ...options, races });
}

/** Whether every line is decided without needing completeness. */
function allDecided(expectations: Expectation[], tables: OutcomeTable[]): boolean {
  return expectations.every((e) => decide(e, tables, false, '').verdict !== 'not proven');
}

/** Check `expectations` on `program`. */
export function checkProgram(
  program: CompiledProgram,
  expectations: Expectation[],
  options: CheckOptions = {},
): CheckResult {
  const tables: OutcomeTable[] = [];
  const stages: string[] = [];
  let executions = 0;
  const done = (): boolean => allDecided(expectations, tables);
  // 1. Random runs: two as a real run would go (time-slice), then fine-grained (uniform).
  const runs = options.randomRuns ?? 12;
  for (const [randomScheduler, count] of [
    ['time-slice', Math.min(2, runs)],
    ['uniform', Math.max(0, runs - 2)],
  ] as const) {
    if (done() || count === 0) continue;
    const sampled: Exploration = exploreProgram(program, {
      strategy: 'random',
      randomScheduler,
      runs: count,
      seed: 1,
      maxSteps: 100_000_000,
      timeLimitMs: Math.min(options.timeLimitMs ?? 20_000, 10_000),
      // Only the witnesses that decide a line are shown: they are shrunk at the end.
      shrink: false,
      until: (t) => allDecided(expectations, [...tables, t]),
    });
    tables.push(sampled.table);
    executions += sampled.table.executions;
    stages.push(
      `${sampled.table.executions} ${randomScheduler} random run${sampled.table.executions === 1 ? '' : 's'}`,
    );
  }
  let complete = false;
  let stoppedBy: StopReason[] = [];
  // The count of the exhaustive stage, for the lines (the random runs are the header's).
  let searched = executions;
  let states: number | null = null;
  if (!done()) {
    const ex = exploreProgram(program, {
      strategy: 'exhaustive',
      maxExecutions: options.maxExecutions ?? 100_000,
      timeLimitMs: options.timeLimitMs ?? 20_000,
      preemptionBound: options.preemptionBound,
      maxSteps: options.maxSteps ?? 20_000,
      stopOnTruncation: true,
      until: (t) => allDecided(expectations, [...tables, t]),
    });
    tables.push(ex.table);
    executions += ex.table.executions;
    searched = ex.table.executions;
    complete = ex.complete;
    stoppedBy = ex.stoppedBy;
    stages.push(
      `exhaustive DPOR search (${ex.table.executions.toLocaleString('en-US')} execution${ex.table.executions === 1 ? '' : 's'}${ex.complete ? ', complete' : ''})`,
    );
    // 2. Spin loops make executions unbounded: a stateful search makes them finite.
    if (!complete && stoppedBy.includes('step-bound') && !done()) {
      const st = exploreStates(program, {
        maxStates: options.maxStates ?? 2_000_000,
        timeLimitMs: options.timeLimitMs ?? 20_000,
      });
      tables.push(st.table);
      executions += st.table.executions;
      stages.push(
        `stateful search (${st.states.toLocaleString('en-US')} states${st.complete ? ', complete' : ''})`,
      );
      if (st.complete) {
        complete = true;
        stoppedBy = [];
        states = st.states;
      } else stoppedBy = st.stoppedBy;
    }
  }
  const bounds = describeBounds(complete, searched, stoppedBy, options, states);
  const lines = expectations.map((e) => decide(e, tables, complete, bounds));
  const shrink = options.shrink;
  if (shrink !== false) {
    const states = new Map(tables.flatMap((t) => t.entries.map((e) => [e.witness, e.state] as const)));
    const witnesses = lines.flatMap((l) => (l.witness === null ? [] : [l.witness]));
    const shared = withSharedRuns(witnesses, { budget: shrink?.budget });
    for (const line of lines)
      if (line.witness !== null) shrinkLine(program, line, states.get(line.witness), shared);
  }
  return {
    lines,
    executions,
    complete,
    stoppedBy,
    stages,
  };
}
