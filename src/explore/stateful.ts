/**
 * Stateful search: depth-first over the VM's state graph, with a visited set of canonical
 * state fingerprints (state.ts, fingerprints.ts), as explicit-state model checkers do (SPIN,
 * Holzmann). A thread that spins (`while flag[j] and turn == j: pass`) comes back to a state
 * already seen, so spinning is finite here where a stateless search would unroll it forever.
 *
 * No partial-order reduction: every enabled thread (and every option of a `random` call) is
 * tried from every state. Terminal states (the program ended, a deadlock, a thread spinning
 * without visible ops) are the outcomes; each is recorded once, with the path that reached it.
 * Complete when the search ends without hitting `maxStates` or the time limit.
 */
import type { CompiledProgram } from '../compile/ops.js';
import type { Invariant } from '../session/invariant.js';
import type { Schedule } from '../schedule/schedule.js';
import { Session, type Checkpoint } from '../session/session.js';
import type { StopReason } from './dpor.js';
import { FingerprintSet } from './fingerprints.js';
import { endState, OutcomeTable } from './outcomes.js';
import { checkPrefixChoice, checkPrefixStep, prefixSteps } from './prefix.js';

export interface StatefulOptions {
  /** Stop after visiting this many states (default 2 million). */
  maxStates?: number;
  timeLimitMs?: number;
  /**
   * Explore only the states reachable after this prefix (a schedule of this program; every path
   * starts with its steps). Throws ScheduleMismatch when it does not fit (prefix.ts).
   */
  prefix?: Schedule;
  /**
   * Invariants checked in every state reached (session/invariant.ts); their failures are in
   * `table.violations`, each state's own (a state is checked once, whichever path reaches it first).
   */
  invariants?: readonly Invariant[];
  /** Ends the search (incomplete) once aborted. */
  signal?: AbortSignal;
  /**
   * Also find livelocks: reachable states from which no execution can end (every path from
   * them cycles for ever, as `while not flag: pass` when nothing can set the flag any more).
   * Keeps the state graph's edges (about 20 bytes per transition more).
   */
  livelocks?: boolean;
}

/** Reachable states from which no execution can end, and the path to the first one found. */
export interface Livelock {
  /** How many reachable states cannot reach an end. */
  states: number;
  /** The steps from the start to one of them (a prefix: the execution goes on for ever from there). */
  schedule: Schedule;
}

export interface StatefulResult {
  table: OutcomeTable;
  /** Distinct states visited. */
  states: number;
  /** Steps taken (edges of the state graph explored). */
  transitions: number;
  complete: boolean;
  stoppedBy: StopReason[];
  /** Bytes per stored state in the visited set. */
  bytesPerState: number;
  /** With `livelocks`, after a complete search: the livelocked states, or null when every state can reach an end. */
  livelock?: Livelock | null;
}

interface Branch {
  tid: number;
  option: number;
}

interface Frame {
  /** The state's number (livelock search), or -1. */
  id: number;
  /** The state, and the schedule of the path that reached it (the session's recorder mark). */
  at: Checkpoint;
  branches: Branch[];
  next: number;
}

/** Switches between threads along a schedule: the preemptions of a path, counted as for random runs. */
function switches(schedule: Schedule): number {
  let n = 0;
  for (let i = 1; i < schedule.items.length; i++)
    if (schedule.items[i]!.tid !== schedule.items[i - 1]!.tid) n++;
  return n;
}

/** Explore every reachable state of `program`. */
export function exploreStates(program: CompiledProgram, options: StatefulOptions = {}): StatefulResult {
  const maxStates = options.maxStates ?? 2_000_000;
  const deadline = options.timeLimitMs === undefined ? Infinity : Date.now() + options.timeLimitMs;
  const session = new Session(program, {
    checkpoints: false,
    footprints: false,
    stepCounts: false,
    machine: { lostUpdates: false, races: false, spinLimit: 1_000_000 },
    invariants: options.invariants,
  });
  const machine = session.machine;
  const prefix = options.prefix === undefined ? [] : prefixSteps(options.prefix, program);
  prefix.forEach((s, i) => {
    checkPrefixStep(machine, s, i);
    checkPrefixChoice(s, session.step(s.tid, Math.max(0, s.option))!.choices, i);
  });
  const visited = new FingerprintSet();
  const table = new OutcomeTable();
  const stoppedBy: StopReason[] = [];
  let transitions = 0;
  const branchesOf = (): Branch[] => machine.enabled().map((tid) => ({ tid, option: -1 }));
  const terminal = (): boolean => machine.finished || machine.halt !== null || machine.enabled().length === 0;
  const record = (): void => {
    const status = machine.finished ? 'completed' : machine.halt !== null ? 'step-bound' : 'deadlock';
    const schedule = session.schedule();
    table.add(endState(machine, status), switches(schedule), () => schedule);
  };
  /**
   * A new state's invariant failure, recorded; then forgotten, so that the states after it are
   * checked on their own (each state is reached once: the path's earlier failure is not its own).
   */
  const checkState = (): void => {
    if (session.violations.length === 0) return;
    const schedule = session.schedule();
    for (const v of session.violations) table.addViolation(v, switches(schedule), () => schedule);
    session.violations = [];
  };
  const graph = options.livelocks === true ? new StateGraph() : null;
  const [h0, l0] = machine.stateHash();
  visited.add(h0, l0);
  graph?.state(h0, l0, -1, null);
  checkState();
  // A prefix that ends the program: its end is the only outcome.
  const ended = terminal();
  if (ended) record();
  if (ended) graph?.terminal(0);
  const stack: Frame[] = ended ? [] : [{ id: 0, at: session.checkpoint(), branches: branchesOf(), next: 0 }];
  while (stack.length > 0) {
    if (visited.size >= maxStates) {
      stoppedBy.push('max-executions');
      break;
    }
    if ((transitions & 1023) === 0 && Date.now() > deadline) {
      stoppedBy.push('time-limit');
      break;
    }
    if ((transitions & 1023) === 0 && options.signal?.aborted === true) {
      stoppedBy.push('stopped');
      break;
    }
    const top = stack[stack.length - 1]!;
    if (top.next === top.branches.length) {
      stack.pop();
      continue;
    }
    const branch = top.branches[top.next++]!;
    session.restore(top.at);
    const step = session.step(branch.tid, Math.max(0, branch.option))!;
    transitions++;
    // Another option of a `random` call is another branch from the same state.
    if (step.choices > 1 && branch.option < 0) {
      for (let k = 1; k < step.choices; k++) top.branches.push({ tid: branch.tid, option: k });
    }
    const [h, l] = machine.stateHash();
    const id = graph === null ? -1 : graph.state(h, l, top.id, branch);
    if (!visited.add(h, l)) continue;
    checkState();
    if (terminal()) {
      record();
      graph?.terminal(id);
      continue;
    }
    stack.push({ id, at: session.checkpoint(true), branches: branchesOf(), next: 0 });
  }
  const complete = stoppedBy.length === 0;
  return {
    table,
    ...(graph === null || !complete ? {} : { livelock: graph.livelock(program, options.prefix) }),
    states: visited.size,
    transitions,
    complete: stoppedBy.length === 0,
    stoppedBy,
    bytesPerState: visited.bytes / Math.max(1, visited.size),
  };
}

/**
 * The state graph the livelock search keeps: a number per state, each state's first parent and
 * the branch from it, the edges, and which states end. A state that no end is reachable from
 * (backward search from the ends) is livelocked.
 */
class StateGraph {
  private readonly ids = new Map<string, number>();
  private readonly parent: number[] = [];
  private readonly via: (Branch | null)[] = [];
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  private readonly ends: number[] = [];

  /** The number of the state (h, l), reached from `parent` by `branch` (new states get the next number). */
  state(h: number, l: number, parent: number, branch: Branch | null): number {
    const key = `${h}:${l}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      this.parent.push(parent);
      this.via.push(branch);
    }
    if (parent >= 0) {
      this.from.push(parent);
      this.to.push(id);
    }
    return id;
  }

  terminal(id: number): void {
    this.ends.push(id);
  }

  livelock(program: CompiledProgram, prefix?: Schedule): Livelock | null {
    const n = this.ids.size;
    const back: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < this.from.length; i++) back[this.to[i]!]!.push(this.from[i]!);
    const reaches = new Uint8Array(n);
    const queue = [...this.ends];
    for (const e of queue) reaches[e] = 1;
    while (queue.length > 0) {
      const s = queue.pop()!;
      for (const p of back[s]!)
        if (reaches[p] === 0) {
          reaches[p] = 1;
          queue.push(p);
        }
    }
    let first = -1;
    let count = 0;
    for (let i = 0; i < n; i++)
      if (reaches[i] === 0) {
        count++;
        if (first < 0) first = i;
      }
    if (first < 0) return null;
    const path: Branch[] = [];
    for (let s = first; this.parent[s]! >= 0; s = this.parent[s]!) path.push(this.via[s]!);
    path.reverse();
    const session = new Session(program, {
      checkpoints: false,
      footprints: false,
      stepCounts: false,
      machine: { lostUpdates: false, races: false, spinLimit: 1_000_000 },
    });
    for (const s of prefix === undefined ? [] : prefixSteps(prefix, program))
      session.step(s.tid, Math.max(0, s.option));
    for (const b of path) session.step(b.tid, Math.max(0, b.option));
    return { states: count, schedule: session.schedule() };
  }
}
