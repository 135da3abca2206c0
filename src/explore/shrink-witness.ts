/**
 * Shrinking a witness to the fewest preemptions: an execution found by random or PCT runs (or
 * any schedule) is read as preemption points (preemption-points.ts), and a search over point
 * lists completed without further preemptions finds a shorter one that still shows the same
 * thing (`reproduces`: the same outcome, a race on the same cell, the same `# expect:` line
 * failing). The search, keeping a candidate only when it reproduces and ranks better (fewer
 * preemptions; at equal preemptions fewer points; then points at earlier steps: a smaller sum
 * of their steps):
 *
 *   1. the witness's own points, completed: they must reproduce it (else it is kept as it is);
 *   2. no point at all (the program run without preemption);
 *   3. dropping points, as delta debugging does (Zeller & Hildebrandt, "Simplifying and isolating
 *      failure-inducing input", TSE 2002): chunks of half the points, then a quarter, down to
 *      single points, from the last back (once through here, with at most half the budget);
 *   6. every one-point schedule, in step order (each step, each thread that could take it);
 *   7. every two-point schedule in step order that would have fewer preemptions than the best,
 *      or, when there are more than the budget allows (executions of hundreds of steps), a
 *      sample of them drawn with a fixed seed (with at most three quarters of the budget);
 *   4. moving each point earlier, to the earliest place at which it still reproduces;
 *   5. trading a preemption for a switch that is none: dropping a point that preempts and adding
 *      one where the running thread blocked or ended, to another thread than the rule's;
 *   then 4, 5 and 3 again while they gain, with the rest of the budget.
 *
 * 3 to 5 place points by the threads' own progress (ThreadPoint), so that dropping one leaves
 * the others where they were in the code. 6 and 7 come before 4 and 5 because they are the
 * search that is exact: they make the result the minimum when two points suffice (two
 * preemptions, or one and a switch that is none) and the budget lets them finish; 3 before
 * them makes the best they must beat smaller, and so the pairs to try fewer. Deterministic: the
 * same witness and budget give the same result. Bounded by `budget` executions and `stepBudget`
 * steps over all of them (and a `deadline`, when given).
 *
 * Programs with `random` calls: each thread's calls take the options they took in the witness,
 * in the same order (a thread's k-th call its k-th option), whatever the interleaving.
 *
 * A witness cut by the step bound is not shrunk (its end state is where the bound cut it), nor
 * one of more steps than half the step budget (a full-size run of millions of steps).
 */
import type { Invariant, InvariantViolation } from '../session/invariant.js';
import type { CompiledProgram } from '../compile/ops.js';
import { scheduleLength, type Schedule } from '../schedule/schedule.js';
import {
  endState,
  outcomeKey,
  scheduleSteps,
  type EndState,
  type OutcomeTable,
  type Witness,
} from './outcomes.js';
import {
  completePoints,
  decisionsOf,
  type Alternative,
  type AnyPoint,
  type Completion,
  type SwitchPoint,
  type ThreadChoices,
  type ThreadPoint,
} from './preemption-points.js';
import { Rng } from '../schedule/rng.js';

/** One execution the shrinker ran, as `reproduces` sees it. */
export interface ShrinkRun {
  /** Its end state (status, final globals, exceptions, and races when `races` was asked for). */
  state: EndState;
  schedule: Schedule;
  preemptions: number;
  steps: number;
  /** The first failure of an invariant given in the options (ShrinkOptions.invariants), or null. */
  violation: InvariantViolation | null;
  /** The first failure of each invariant that failed, in order. */
  violations: readonly InvariantViolation[];
}

export interface ShrinkOptions {
  /** Executions the shrinker may run (default 2,000). */
  budget?: number;
  /** Steps all its executions may take together (default 20 million). */
  stepBudget?: number;
  /** Steps of each execution (default twice the witness's, plus 1,000). */
  maxSteps?: number;
  /** Work bound of each execution in micro-ops (MachineOptions.maxOps). */
  maxOps?: number;
  /** Run the data-race analysis in each execution (for a `reproduces` that reads `state.races`). */
  races?: boolean;
  /** Stop shrinking at this time (Date.now()), keeping the best found so far. */
  deadline?: number;
  /** Invariants each execution checks (for a `reproduces` that reads `violation`). */
  invariants?: readonly Invariant[];
  /**
   * Executions to share with other shrinks of the same program (the witnesses of one
   * exploration, the lines of one check): an execution found there is not run again (it still
   * counts toward the budget, so that the result does not depend on what was shrunk before).
   * Only useful when they have the same `maxSteps`.
   */
  cache?: ShrinkCache;
}

export interface ShrunkWitness {
  /** The shrunk schedule: the witness's own when nothing better reproduces. */
  schedule: Schedule;
  /** Its preemptions (switches away from a thread that could go on; 0 when the witness was not read). */
  preemptions: number;
  /** The witness's own preemptions, read off its schedule (0 when it was not read: see `reproduced`). */
  from: number;
  /** Executions the shrinker ran (or found in its cache). */
  runs: number;
  /**
   * Whether the witness's own points, completed, reproduced it; when not (a schedule that does
   * not fit the program, a `reproduces` that the witness itself fails, or a witness of more
   * steps than half the step budget, which is not tried), it is returned unchanged.
   */
  reproduced: boolean;
}

/** Default executions of one shrink (the CLI's). */
export const DEFAULT_SHRINK_BUDGET = 2_000;
/** Default steps of all the executions of one shrink together. */
export const DEFAULT_SHRINK_STEPS = 20_000_000;

interface Candidate {
  points: SwitchPoint[];
  threadPoints: ThreadPoint[];
  preemptions: number;
  schedule: Schedule;
}

/** An execution the shrinker ran, kept without its machine. */
interface Run extends Omit<Completion, 'machine'> {
  state: EndState;
}

/**
 * Executions of one program that several shrinks share: the same points completed with the
 * same choices, bounds and analyses give the same execution, so it is run once. The runs
 * without points, of one point and of two (steps 6 and 7) are the same for every witness of a
 * program; only what each witness must reproduce differs. Keeps executions up to `maxSteps`
 * steps in all (then runs again what it cannot keep).
 */
export class ShrinkCache {
  private readonly runs = new Map<string, Run>();
  private kept = 0;

  constructor(private readonly maxSteps = 20_000_000) {}

  /** @internal */
  get(key: string): Run | undefined {
    return this.runs.get(key);
  }

  /** @internal */
  set(key: string, run: Run): void {
    if (this.kept + run.steps > this.maxSteps) return;
    this.kept += run.steps;
    this.runs.set(key, run);
  }
}

/** The identity of a list of points (in order: the first of two at one place counts). */
function pointsKey(points: readonly AnyPoint[]): string {
  return points
    .map((p) =>
      'of' in p
        ? `t${p.of}.${p.after}.${p.tid}`
        : 'tid' in p
          ? `s${p.step}.${p.tid}`
          : `p${p.step}.${p.thread}`,
    )
    .join(',');
}

/** Whether `a` ranks strictly better than `b`: fewer preemptions, then fewer points, then earlier ones. */
function better(a: { preemptions: number; points: SwitchPoint[] }, b: Candidate): boolean {
  if (a.preemptions !== b.preemptions) return a.preemptions < b.preemptions;
  if (a.points.length !== b.points.length) return a.points.length < b.points.length;
  return stepSum(a.points) < stepSum(b.points);
}

function stepSum(points: readonly SwitchPoint[]): number {
  return points.reduce((s, p) => s + p.step, 0);
}

/**
 * Shrink the witness `schedule` of `program` to the fewest preemptions with which
 * `reproduces` still holds (see the module's doc for the search and its bounds).
 */
export function shrinkWitness(
  program: CompiledProgram,
  schedule: Schedule,
  reproduces: (run: ShrinkRun) => boolean,
  options: ShrinkOptions = {},
): ShrunkWitness {
  const budget = options.budget ?? DEFAULT_SHRINK_BUDGET;
  const stepBudget = options.stepBudget ?? DEFAULT_SHRINK_STEPS;
  const deadline = options.deadline ?? Infinity;
  // A witness longer than half the step budget leaves no room for a search (and its points
  // would take more memory than its schedule): it is kept as it is.
  const decisions = 2 * scheduleLength(schedule) > stepBudget ? null : decisionsOf(program, schedule);
  if (decisions === null) return { schedule, preemptions: 0, from: 0, runs: 0, reproduced: false };
  const maxSteps = options.maxSteps ?? 2 * decisions.steps + 1_000;
  const choices: ThreadChoices = decisions.choices;
  let runs = 0;
  let steps = 0;
  const spent = (share = 1): boolean =>
    runs >= budget * share || steps >= stepBudget * share || (runs % 16 === 0 && Date.now() > deadline);
  const cache = options.cache;
  const context = `${options.races === true}|${maxSteps}|${options.maxOps ?? ''}|${options.invariants?.length ?? 0}|${JSON.stringify([...choices])}`;
  const complete = (points: readonly AnyPoint[], alternativesFrom?: number): Run => {
    // Only runs of at most two points are shared: those of the search of steps 6 and 7, the
    // same for every witness; a witness's own points are its own.
    const key =
      cache === undefined || points.length > 2
        ? ''
        : `${context}|${alternativesFrom ?? ''}|${pointsKey(points)}`;
    runs++;
    const known = key === '' ? undefined : cache?.get(key);
    if (known !== undefined) return known;
    const { machine, ...done } = completePoints(program, points, {
      maxSteps,
      maxOps: options.maxOps,
      choices,
      races: options.races,
      alternativesFrom,
      invariants: options.invariants,
    });
    steps += done.steps;
    const run = { ...done, state: endState(machine, done.status) };
    if (key !== '') cache?.set(key, run);
    return run;
  };

  const own = complete(decisions.threadPoints);
  const unchanged = { schedule, preemptions: decisions.preemptions, from: decisions.preemptions };
  if (!reproduces(own)) return { ...unchanged, runs, reproduced: false };
  let best: Candidate = { ...own, schedule };
  /** Run `points`; keep them when they reproduce and rank better. */
  const attempt = (points: readonly AnyPoint[]): boolean => {
    const done = complete(points);
    if (!better(done, best) || !reproduces(done)) return false;
    best = done;
    return true;
  };
  const result = (): ShrunkWitness => ({
    schedule: best.schedule,
    preemptions: best.preemptions,
    from: decisions.preemptions,
    runs,
    reproduced: true,
  });

  if (best.points.length > 0) attempt([]);
  // 3. Dropping points, once through, with at most half the budget.
  if (best.points.length > 0)
    dropPoints(
      () => best.threadPoints,
      attempt,
      () => spent(0.5),
    );
  // 6. Every one-point schedule: the alternatives of the run without points, in step order.
  if (best.points.length > 0 && !spent()) {
    const singles = complete([], 0).alternatives;
    for (const a of singles) {
      if (spent()) return result();
      if (better({ preemptions: a.preempts ? 1 : 0, points: [a] }, best)) attempt([a]);
    }
    // 7. Two-point schedules with fewer preemptions than the best (one of them a switch that is
    // none, when the best has two), with at most three quarters of the budget: every one in
    // step order when that allows, else a sample of them.
    const search: PairSearch = {
      singles,
      complete,
      attempt,
      best: () => best.preemptions,
      spent: () => spent(0.75),
    };
    if (best.preemptions > 0 && (singles.length * (singles.length + 1)) / 2 <= 0.75 * budget - runs)
      everyPair(search);
    else if (best.preemptions > 0) samplePairs(search);
  }
  // 4, 5 and 3 again, while they gain, with the rest of the budget.
  for (let gained = true; gained && best.points.length > 0 && !spent(); ) {
    gained = movePointsEarlier(() => best.threadPoints, attempt, spent);
    if (best.preemptions > 0 && !spent()) {
      const free = complete(best.threadPoints, 0).alternatives.filter((a) => !a.preempts);
      gained = tradeForFreeSwitches(() => best.threadPoints, free, attempt, spent) || gained;
    }
    gained = dropPoints(() => best.threadPoints, attempt, spent) || gained;
  }
  return result();
}

/** What the search of pairs (step 7) works with. */
interface PairSearch {
  /** The one-point schedules, in step order. */
  singles: readonly Alternative[];
  /** Run points (recording, from step `alternativesFrom` on, the points one more could add). */
  complete: (points: readonly AnyPoint[], alternativesFrom?: number) => Run;
  /** Run points and keep them when they reproduce and rank better. */
  attempt: (points: readonly AnyPoint[]) => boolean;
  /** The preemptions of the best so far. */
  best: () => number;
  /** Whether its share of the budget is spent. */
  spent: () => boolean;
}

/**
 * Step 7, when it fits the budget: every two-point schedule in step order that would have fewer
 * preemptions than `best()`: each one-point schedule `a` run for the points it leaves after it.
 */
function everyPair({ singles, complete, attempt, best, spent }: PairSearch): void {
  for (const a of singles) {
    const first = a.preempts ? 1 : 0;
    if (spent()) break;
    if (first >= best()) continue;
    const seconds = complete([a], a.step + 1).alternatives;
    for (const b of seconds) {
      if (spent()) break;
      if (first + (b.preempts ? 1 : 0) < best()) attempt([a, b]);
    }
  }
}

/**
 * Step 7, when every pair does not fit the budget (a witness of hundreds of steps): pairs drawn
 * with a fixed seed (the same pairs every time), until the budget is spent: a one-point
 * schedule `a`, run for the points it leaves after it (once), and one of those.
 */
function samplePairs({ singles, complete, attempt, best, spent }: PairSearch): void {
  const rng = new Rng(1);
  const seconds = new Map<number, Alternative[]>();
  const tried = new Set<string>();
  // Draws that cannot be better are skipped without a run; a bound on them ends a search that has none left.
  for (let draws = 0; draws < 64 * singles.length && !spent(); draws++) {
    const i = rng.below(singles.length);
    const a = singles[i]!;
    const first = a.preempts ? 1 : 0;
    if (first >= best()) continue;
    let after = seconds.get(i);
    if (after === undefined) seconds.set(i, (after = complete([a], a.step + 1).alternatives));
    if (after.length === 0 || spent()) continue;
    const j = rng.below(after.length);
    const b = after[j]!;
    if (tried.has(`${i} ${j}`) || first + (b.preempts ? 1 : 0) >= best()) continue;
    tried.add(`${i} ${j}`);
    attempt([a, b]);
  }
}

/** Step 3: drop chunks of points (half of them, then a quarter, ... one), from the last back. */
function dropPoints(
  current: () => ThreadPoint[],
  attempt: (points: readonly ThreadPoint[]) => boolean,
  spent: () => boolean,
): boolean {
  let gained = false;
  for (let size = Math.max(1, Math.floor(current().length / 2)); size >= 1; size = Math.floor(size / 2)) {
    for (let end = current().length; end > 0 && !spent(); ) {
      const points = current();
      const start = Math.max(0, Math.min(end, points.length) - size);
      if (attempt([...points.slice(0, start), ...points.slice(start + size)])) gained = true;
      end = start;
    }
    if (spent()) break;
  }
  return gained;
}

/**
 * Step 4: move each point, from the first, to the earliest place in its thread's progress (the
 * fewest steps of the thread it preempts) at which the witness still reproduces, of those
 * `earlier` gives.
 */
function movePointsEarlier(
  current: () => ThreadPoint[],
  attempt: (points: readonly ThreadPoint[]) => boolean,
  spent: () => boolean,
): boolean {
  let gained = false;
  for (let i = 0; i < current().length && !spent(); i++) {
    const points = current();
    const point = points[i]!;
    for (const after of earlier(point.after)) {
      if (spent()) break;
      if (attempt(points.map((p, k) => (k === i ? { ...p, after } : p)))) {
        gained = true;
        break;
      }
    }
  }
  return gained;
}

/**
 * The places before `after` a point is moved to, earliest first: every one up to 16 steps back,
 * and beyond that 0 and the places 16, 32, 64, ... steps back (a thread of thousands of steps
 * would otherwise take the whole budget for one point).
 */
function earlier(after: number): number[] {
  if (after <= 16) return Array.from({ length: after }, (_, k) => k);
  const out = [0];
  for (let back = 2 ** Math.floor(Math.log2(after - 1)); back > 16; back /= 2) out.push(after - back);
  for (let back = 16; back >= 1; back--) out.push(after - back);
  return out;
}

/**
 * Step 5: drop a point that preempts and add, instead, one of `free` (a switch where the running
 * thread blocked or ended, to another thread than the rule's), for each such point, from the first.
 */
function tradeForFreeSwitches(
  current: () => ThreadPoint[],
  free: readonly Alternative[],
  attempt: (points: readonly ThreadPoint[]) => boolean,
  spent: () => boolean,
): boolean {
  let gained = false;
  for (const f of free) {
    const added: ThreadPoint = { of: f.of, after: f.after, tid: f.tid };
    for (let i = 0; i < current().length && !spent(); i++) {
      const points = current();
      if (attempt([...points.slice(0, i), ...points.slice(i + 1), added])) {
        gained = true;
        break;
      }
    }
  }
  return gained;
}

/**
 * `witness` shrunk with `reproduces`: the shrunk schedule and its preemptions, with `shrunkFrom`
 * when it has fewer than the witness had. Unchanged when it was cut by the step bound or its own
 * points do not reproduce it.
 */
export function shrunkWitness(
  program: CompiledProgram,
  witness: Witness,
  reproduces: (run: ShrinkRun) => boolean,
  options: ShrinkOptions = {},
): Witness {
  if (witness.maxSteps !== undefined) return witness;
  const s = shrinkWitness(program, witness.schedule, reproduces, options);
  if (!s.reproduced) return witness;
  return s.preemptions < s.from
    ? { schedule: s.schedule, preemptions: s.preemptions, shrunkFrom: s.from }
    : { schedule: s.schedule, preemptions: s.preemptions };
}

/**
 * Shrink the witnesses of `table` in place: each outcome's to an execution with the same
 * outcome (outcomeKey), each race's to one with a race on the same cell. Outcomes cut by the
 * step bound keep theirs.
 */
export function shrinkTable(
  program: CompiledProgram,
  table: OutcomeTable,
  options: ShrinkOptions = {},
): void {
  options = withSharedRuns([...table.entries.map((e) => e.witness), ...table.races.values()], options);
  for (const entry of table.entries) {
    if (entry.state.status === 'step-bound') continue;
    entry.witness = shrunkWitness(program, entry.witness, (r) => outcomeKey(r.state) === entry.key, options);
  }
  for (const [cell, w] of table.races) {
    const shrunk = shrunkWitness(program, w, (r) => r.state.races.includes(cell), {
      ...options,
      races: true,
    });
    table.races.set(cell, shrunk);
  }
}

/**
 * `options` with a cache of executions for the shrinks of `witnesses` to share, and the step
 * bound they share it under (twice the steps of the longest witness that is shrunk, plus
 * 1,000), unless given.
 */
export function withSharedRuns(witnesses: readonly Witness[], options: ShrinkOptions): ShrinkOptions {
  const stepBudget = options.stepBudget ?? DEFAULT_SHRINK_STEPS;
  // Of the witnesses that are shrunk: not those cut by the step bound, nor those too long to try.
  let longest = 0;
  for (const w of witnesses) {
    const steps = scheduleSteps(w.schedule);
    if (w.maxSteps === undefined && 2 * steps <= stepBudget) longest = Math.max(longest, steps);
  }
  return { maxSteps: 2 * longest + 1_000, cache: new ShrinkCache(), ...options };
}
