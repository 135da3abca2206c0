/**
 * Exhaustive stateless search with Optimal-DPOR: Abdulla, Aronis, Jonsson, Sagonas, "Optimal
 * Dynamic Partial Order Reduction", POPL 2014 (Algorithm 2, source sets and wakeup trees).
 *
 * The search is a depth-first walk over the scheduling decisions of the VM. Each node E (a
 * prefix of the current execution) keeps
 *   sleep(E)  processes whose exploration from E would only repeat explored traces, and
 *   wut(E)    a wakeup tree of sequences still to explore from E.
 * Invariants it keeps (Theorem 6.5 / 7.5 of the paper):
 *   - every Mazurkiewicz trace of the program is explored (sound for every outcome);
 *   - no two explored maximal executions are equivalent (optimal: executions = traces), and no
 *     exploration ends blocked by its sleep set.
 * After each maximal execution, every reversible race e ⋖ e' (races.ts) yields the sequence
 * v = notdep(e, E).proc(e'), inserted into wut(pre(E, e)) unless a sleeping process is an
 * initial of v. Random choices branch like threads: each option of a `random` call is a
 * process (thread, option).
 *
 * A fixed prefix (`prefix`): every execution starts with exactly the steps of the prefix, and
 * the search explores every continuation from there, as DPOR from the state the prefix ends in.
 * The nodes of the prefix are never branched from: a race whose earlier event is in the prefix
 * is not reversed (its wakeup sequence would land inside the prefix and change it; it is
 * dropped), random choices of the prefix are not branched, the search backtracks no further
 * than the end of the prefix, and the sleep set of the first node after the prefix starts
 * empty. Happens-before among the events after the prefix is the same with or without the
 * prefix events (a path between two of them only passes through later events), so the races
 * found there and the wakeup sequences inserted are those of DPOR from that state: every
 * Mazurkiewicz trace of the continuations is explored, once.
 *
 * Bounds: a preemption bound (as in CHESS and loom) prunes executions with more preemptions;
 * `maxExecutions` and `timeLimitMs` stop the search; a step bound truncates an execution.
 * Any of them makes the search incomplete, and the result says which.
 */
import type { CompiledProgram } from '../compile/ops.js';
import type { Invariant } from '../session/invariant.js';
import { dependent, type Event, type Proc } from './event.js';
import { DrivenExecution } from './execution.js';
import { nextStepKind } from '../vm/step-kind.js';
import type { Schedule } from '../schedule/schedule.js';
import { ScheduleMismatch } from '../schedule/strategies.js';
import { prefixSteps } from './prefix.js';
import { HappensBefore, type Race } from './races.js';
import { WakeupTree, weakInitial } from './wakeup-tree.js';

export interface DporOptions {
  /** Stop after this many executions. */
  maxExecutions?: number;
  /** Stop after this many milliseconds (wall clock; only ends the search, never steers it). */
  timeLimitMs?: number;
  /** Explore only executions with at most this many preemptions. */
  preemptionBound?: number;
  /** Steps per execution before it is cut (default 100,000). */
  maxSteps?: number;
  /** End the search at the first execution cut by the step bound (a stateful search can take over). */
  stopOnTruncation?: boolean;
  /**
   * Explore only the continuations of this prefix (a schedule of this program): every execution
   * starts with exactly its steps. The preemptions of the prefix count toward the bound.
   */
  prefix?: Schedule;
  /** Called at the end of every maximal execution; return true to stop the search there. */
  onExecution?: (execution: DrivenExecution) => boolean | void;
  /**
   * Invariants checked after every step (session/invariant.ts); the steps that change what they
   * read are visible to the reduction (execution.ts INVARIANT_STATE), so the search stays sound.
   */
  invariants?: readonly Invariant[];
  /** Ends the search (as 'stopped', incomplete) once aborted; checked before every execution. */
  signal?: AbortSignal;
}

export type StopReason =
  | 'max-executions'
  | 'time-limit'
  | 'preemption-bound'
  | 'step-bound'
  | 'choice-bound'
  | 'stopped';

/**
 * Options of one `random` call explored as branches, at most: `randint(1, 3000000)` would
 * otherwise make millions of branches at one node. Past it the search says it is not complete.
 */
export const MAX_CHOICE_BRANCHES = 1000;

export interface DporResult {
  executions: number;
  /** Executions that ended with every enabled thread asleep (0 for an optimal search). */
  sleepBlocked: number;
  /** Wakeup sequences that could not be executed (0 when the race analysis is exact). */
  infeasible: number;
  /** Whether every trace was explored. */
  complete: boolean;
  /** What kept the search from being complete, if anything (several may apply). */
  stoppedBy: StopReason[];
  /** Longest execution seen, in steps. */
  longest: number;
}

interface Node {
  sleep: Event[];
  wut: WakeupTree;
  /** The event explored from this node in the current execution. */
  event: Event | null;
  /** Threads whose `random` options were already added as branches here (once per node and thread). */
  branched?: Set<number>;
}

/**
 * Run the search. Never throws for a program that compiles, except ScheduleMismatch (at the
 * step where it stops fitting) for a `prefix` that does not fit the program or is longer than
 * `maxSteps`.
 */
export function explorePOR(program: CompiledProgram, options: DporOptions = {}): DporResult {
  const maxSteps = options.maxSteps ?? 100_000;
  const bound = options.preemptionBound ?? Infinity;
  const deadline = options.timeLimitMs === undefined ? Infinity : Date.now() + options.timeLimitMs;
  const stopped = new Set<StopReason>();
  const prefix = options.prefix === undefined ? [] : prefixSteps(options.prefix, program);
  if (prefix.length > maxSteps)
    throw new ScheduleMismatch(
      maxSteps,
      `the prefix has ${prefix.length} steps, more than the step bound of ${maxSteps} steps`,
    );
  /** Depth of the first node the search may branch from: the end of the prefix. */
  const base = prefix.length;
  const nodes: Node[] = [];
  for (let i = 0; i <= base; i++) nodes.push({ sleep: [], wut: new WakeupTree(), event: null });
  let executions = 0;
  let sleepBlocked = 0;
  let infeasible = 0;
  let longest = 0;
  let replayDepth = base;

  for (;;) {
    if (executions >= (options.maxExecutions ?? Infinity)) {
      stopped.add('max-executions');
      break;
    }
    if (Date.now() > deadline) {
      stopped.add('time-limit');
      break;
    }
    if (options.signal?.aborted === true) {
      stopped.add('stopped');
      break;
    }
    const run = new DrivenExecution(program, maxSteps, true, options.invariants);
    // Replay the fixed prefix (checked), then the steps kept from the previous execution.
    for (let i = 0; i < base; i++) run.stepPrefix(prefix[i]!, i);
    for (let i = base; i < replayDepth; i++) {
      const e = run.step(nodes[i]!.event!);
      if (e === null) throw new Error('internal error: DPOR replay diverged');
    }
    // Extend to a maximal execution.
    let depth = replayDepth;
    let blocked = false;
    let pruned = false;
    while (!run.terminal) {
      const node = nodes[depth]!;
      // Branches over the preemption bound are dropped (the search is then bounded, not complete).
      let p: Proc | null = node.wut.first();
      while (p !== null && run.wouldPreempt(p.tid) && run.preemptions + 1 > bound) {
        stopped.add('preemption-bound');
        node.wut.remove(p);
        p = node.wut.first();
      }
      if (p === null) {
        const asleep = new Set(node.sleep.map((s) => s.tid));
        const candidates = run.enabled().filter((tid) => !asleep.has(tid));
        // Prefer not to preempt: keep running the thread that ran last, if it can.
        const keep = candidates.find((tid) => !run.wouldPreempt(tid));
        if (keep === undefined && candidates.length > 0 && run.preemptions + 1 > bound) {
          stopped.add('preemption-bound');
          pruned = true;
          break;
        }
        if (candidates.length === 0) {
          blocked = true;
          break;
        }
        p = { tid: keep ?? candidates[0]!, option: -1 };
      }
      const event = run.step(p);
      if (event === null) {
        // A wakeup sequence that cannot run here (it should not happen: counted, not fatal).
        // The execution goes on with the next branch, or a free choice: never cut short, so
        // that its races are still found.
        infeasible++;
        node.wut.remove(p);
        continue;
      }
      if (node.wut.empty) node.wut = WakeupTree.of(event);
      // Another option of a `random` call is another branch from this node (added once).
      if (event.choices > 1 && !(node.branched?.has(event.tid) ?? false)) {
        (node.branched ??= new Set()).add(event.tid);
        const taken = (list: Event[]): Set<number> =>
          new Set(list.filter((e) => e.tid === event.tid).map((e) => e.option));
        const asleep = taken(node.sleep);
        const queued = taken(node.wut.root.children.map((c) => c.event!));
        const limit = Math.min(event.choices, MAX_CHOICE_BRANCHES);
        if (event.choices > limit) stopped.add('choice-bound');
        for (let k = 0; k < limit; k++) {
          if (k === event.option || asleep.has(k) || queued.has(k)) continue;
          node.wut.root.children.push(WakeupTree.of({ ...event, option: k }).root.children[0]!);
        }
      }
      node.event = event;
      nodes[depth + 1] = {
        sleep: node.sleep.filter((s) => !dependent(s, event)),
        wut: node.wut.subtree(event),
        event: null,
      };
      depth++;
    }
    nodes.length = depth + 1;
    longest = Math.max(longest, run.events.length);
    if (blocked) sleepBlocked++;
    else if (!pruned) {
      executions++;
      if (run.truncated) stopped.add('step-bound');
      const stop = options.onExecution?.(run) === true;
      if (run.truncated && options.stopOnTruncation === true) break;
      if (stop) {
        stopped.add('stopped');
        break;
      }
    }
    // Race detection on the maximal execution, then on the steps threads were left waiting to
    // make. Each waiting step is weighed alone against the execution, so that one cannot hide
    // another's races. When the program has ended, they are weighed against the execution
    // without its last step (the end that dropped the daemon threads, which every daemon step
    // happens before, would hide their other races), and against the whole execution.
    /**
     * Put wakeup sequence v into wut(node i), unless a sleeping process already covers it, or
     * node i is inside the fixed prefix (reversing that race would change the prefix).
     */
    const wakeup = (i: number, v: Event[]): void => {
      if (i < base) return;
      const target = nodes[i]!;
      if (!target.sleep.some((s) => weakInitial(s, s, v))) target.wut.insert(v);
    };
    const insert = (hb: HappensBefore, races: Race[], limit: number, last?: Event): void => {
      for (const race of races) {
        if (race.first >= limit) continue;
        const before = hb.notAfter(race.first).filter((k) => k !== race.second && k < limit);
        wakeup(race.first, [...before.map((k) => hb.events[k]!), last ?? hb.events[race.second]!]);
      }
    };
    const hb = new HappensBefore(run.events);
    insert(hb, hb.races(), run.events.length);
    // A notify that woke a wait with a timeout disabled that wait's timeout: the waiter could
    // have timed out right before it. Its timeout step (which writes the condition and its lock)
    // is weighed as the later step of a race with the notify.
    for (let i = 0; i < run.events.length; i++) {
      const n = run.events[i]!;
      for (const w of n.wokeTimed ?? []) {
        const cond = [...n.kind.states.keys()];
        const timeout = run.asStep({
          tid: w,
          option: -1,
          accesses: cond.map((obj) => ({ obj, key: null, write: true })),
          kind: { states: n.kind.states, waits: [], spawns: -1 },
          choices: 0,
          timeout: true,
        });
        wakeup(i, [...hb.notAfter(i).map((k) => run.events[k]!), timeout]);
      }
    }
    const pending = pendingSteps(run);
    if (pending.length > 0) {
      const ended = run.machine.finished;
      const base = ended ? run.events.slice(0, -1) : run.events;
      for (const { event, step } of pending) {
        // Weighed without its read of the program's end (that end's other writers would hide
        // its races), inserted with it (in a wakeup tree it must not pass for independent of it).
        const withP = new HappensBefore([...base, event]);
        insert(withP, withP.races(base.length), base.length, step);
        // And against the whole execution: its races with the end that dropped it, and with
        // the ends of other non-daemon threads, one of which could have come last instead.
        if (ended) {
          const full = new HappensBefore([...run.events, step]);
          insert(full, full.races(run.events.length), run.events.length);
        }
      }
    }
    // Backtrack to the deepest node with something left to explore.
    let next = -1;
    for (let i = depth - 1; i >= base; i--) {
      const node = nodes[i]!;
      const done = node.event!;
      node.sleep.push(done);
      node.wut.remove(done);
      node.event = null;
      if (!node.wut.empty) {
        next = i;
        break;
      }
    }
    if (next < 0) break;
    nodes.length = next + 1;
    replayDepth = next;
  }
  return {
    executions,
    sleepBlocked,
    infeasible,
    complete: stopped.size === 0,
    stoppedBy: [...stopped],
    longest,
  };
}

/**
 * The steps that live threads are left waiting to make at the end of an execution, as events
 * (they take part in races, not in the execution): a blocked thread's blocking step, which
 * touches what it waits for (in a deadlock, this is how the other lock order is found; after
 * `set` then `clear`, how the `wait` in between is found), and, when the program has ended, a
 * daemon thread's next step, which the end of the last non-daemon thread disabled
 * (execution.ts, PROGRAM_EXIT).
 */
function pendingSteps(run: DrivenExecution): { event: Event; step: Event }[] {
  const out: Event[] = [];
  const m = run.machine;
  // A copy: a peek takes the step on the machine and goes back, and a step that starts a thread adds to `live`.
  for (const t of [...m.live]) {
    const blocked = m.status(t.tid) === 'blocked';
    if (blocked) {
      const kind = nextStepKind(m, t.tid);
      const accesses = kind.waits.map((w) => ({
        obj: w.obj,
        // A notify is waited for on the waiter's own item of the condition (event.ts).
        key: w.need === 'notified' ? `t${t.tid}` : null,
        // Taking a lock or a permit changes the object; waiting for a flag, an end or a notify
        // (on the waiter's own item, which the notify that wakes it writes) reads it.
        write: w.need !== 'set' && w.need !== 'ended' && w.need !== 'notified',
      }));
      out.push({ tid: t.tid, option: -1, accesses, kind, choices: 0, timeout: false });
    } else if (m.finished && t.daemon) out.push(run.peek(t.tid));
  }
  // As the daemon step it is, it reads the program's end (execution.ts, PROGRAM_EXIT).
  return out.map((event) => ({ event, step: run.asStep(event) }));
}
