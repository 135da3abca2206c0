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
import type { Schedule, ScheduleItem } from '../schedule/schedule.js';
import { Machine, type MachineSnapshot } from '../vm/machine.js';
import type { StopReason } from './dpor.js';
import { FingerprintSet } from './fingerprints.js';
import { endState, OutcomeTable } from './outcomes.js';

export interface StatefulOptions {
  /** Stop after visiting this many states (default 2 million). */
  maxStates?: number;
  timeLimitMs?: number;
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
}

interface Branch {
  tid: number;
  option: number;
}

interface Frame {
  snapshot: MachineSnapshot;
  branches: Branch[];
  next: number;
  /** The decision that led here (null at the root). */
  via: (Branch & { timeout: boolean }) | null;
}

function pathSchedule(stack: Frame[], last: Branch & { timeout: boolean }, fingerprint: string): Schedule {
  const items: ScheduleItem[] = [];
  const decisions = [...stack.map((f) => f.via).filter((v) => v !== null), last];
  for (const d of decisions) {
    if (d.timeout) items.push({ kind: 'timeout', tid: d.tid });
    else if (d.option >= 0) items.push({ kind: 'choice', tid: d.tid, option: d.option });
    else {
      const prev = items[items.length - 1];
      if (prev !== undefined && prev.kind === 'run' && prev.tid === d.tid) prev.count++;
      else items.push({ kind: 'run', tid: d.tid, count: 1 });
    }
  }
  return { version: 1, fingerprint, items };
}

/** Explore every reachable state of `program`. */
export function exploreStates(program: CompiledProgram, options: StatefulOptions = {}): StatefulResult {
  const maxStates = options.maxStates ?? 2_000_000;
  const deadline = options.timeLimitMs === undefined ? Infinity : Date.now() + options.timeLimitMs;
  const machine = new Machine(program, { lostUpdates: false, races: false, spinLimit: 1_000_000 });
  const visited = new FingerprintSet();
  const table = new OutcomeTable();
  const stoppedBy: StopReason[] = [];
  let transitions = 0;
  const branchesOf = (): Branch[] => machine.enabled().map((tid) => ({ tid, option: -1 }));
  const terminal = (): boolean => machine.finished || machine.halt !== null || machine.enabled().length === 0;
  const [h0, l0] = machine.stateHash();
  visited.add(h0, l0);
  const stack: Frame[] = [{ snapshot: machine.snapshot(), branches: branchesOf(), next: 0, via: null }];
  let option = -1;
  let choices = 0;
  machine.chooser = (n) => {
    choices = n;
    return option >= 0 ? option : 0;
  };
  while (stack.length > 0) {
    if (visited.size >= maxStates) {
      stoppedBy.push('max-executions');
      break;
    }
    if ((transitions & 1023) === 0 && Date.now() > deadline) {
      stoppedBy.push('time-limit');
      break;
    }
    const top = stack[stack.length - 1]!;
    if (top.next === top.branches.length) {
      stack.pop();
      continue;
    }
    const branch = top.branches[top.next++]!;
    machine.restore(top.snapshot);
    option = branch.option;
    choices = 0;
    const timeout = machine.status(branch.tid) === 'timeout';
    machine.run(branch.tid, 1, timeout);
    transitions++;
    // Another option of a `random` call is another branch from the same state.
    if (choices > 1 && branch.option < 0) {
      for (let k = 1; k < choices; k++) top.branches.push({ tid: branch.tid, option: k });
    }
    const via = { tid: branch.tid, option: choices > 0 ? Math.max(0, branch.option) : -1, timeout };
    const [h, l] = machine.stateHash();
    if (!visited.add(h, l)) continue;
    if (terminal()) {
      const status = machine.finished ? 'completed' : machine.halt !== null ? 'step-bound' : 'deadlock';
      // Preemptions of the path, counted as switches between threads (as for random runs).
      const schedule = pathSchedule(stack, via, program.fingerprint);
      let switches = 0;
      for (let i = 1; i < schedule.items.length; i++)
        if (schedule.items[i]!.tid !== schedule.items[i - 1]!.tid) switches++;
      table.add(endState(machine, status), switches, () => schedule);
      continue;
    }
    stack.push({ snapshot: machine.detach(), branches: branchesOf(), next: 0, via });
  }
  return {
    table,
    states: visited.size,
    transitions,
    complete: stoppedBy.length === 0,
    stoppedBy,
    bytesPerState: visited.bytes / Math.max(1, visited.size),
  };
}
