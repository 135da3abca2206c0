/**
 * A schedule as a few preemption points, completed without further preemptions: the shape the
 * fast-check arbitrary generates and shrinks (props/schedule-arbitrary.ts). Any list of points
 * gives a valid execution, so every shrunk value is one too.
 *
 * Completion rule (non-preemptive, as a preemption bound counts them, Musuvathi & Qadeer, "Iterative
 * context bounding for systematic testing of multithreaded programs", PLDI 2007): the thread
 * that took the last step goes on while it can; when it blocks or ends, the lowest-numbered
 * enabled thread runs (a switch that is no preemption). At a point `{ step: k, thread: i }`, the
 * i-th enabled thread (i taken modulo their number) takes step k instead: a preemption when it
 * is not the thread that would have gone on.
 *
 * A thread that spins (its steps bring the machine back to a state it was in since it began
 * its run: `while flag[j] and turn == j: pass` with nobody else moving) waits as a blocked
 * thread does: the next enabled thread after it runs, and that switch is no preemption, as
 * with a yield in a fair scheduler (Musuvathi & Qadeer, "Fair stateless model checking",
 * PLDI 2008). Without it, a completed schedule of a spin lock would spin to the step bound.
 */
import type { CompiledProgram } from '../compile/ops.js';
import { scheduleLength, type Schedule } from '../schedule/schedule.js';
import { Session } from '../session/session.js';

/** At step `step` (0-based), the `thread`-th enabled thread (ascending ids, modulo their count) runs. */
export interface PreemptionPoint {
  step: number;
  thread: number;
}

export interface CompletedSchedule {
  /** The points as given, sorted by step. */
  points: PreemptionPoint[];
  /** The schedule of the execution they give (replayable with `run --schedule`). */
  schedule: Schedule;
  /** Steps the execution took (up to `maxSteps`). */
  steps: number;
  /** Points that switched away from a thread that could go on: the preemptions of the schedule. */
  preemptions: number;
}

/**
 * The execution of `program` under `points`, completed non-preemptively, up to `maxSteps` steps
 * (the program's end, a deadlock, or the bound). `random` calls take option 0. With `prefix`,
 * the execution first takes the prefix's steps (a schedule of this program, such as the steps
 * up to an invariant's failure), then goes on as above; `preemptions` counts only those after
 * it. Throws ScheduleMismatch when the prefix does not fit.
 */
export function completeSchedule(
  program: CompiledProgram,
  points: readonly PreemptionPoint[],
  maxSteps: number,
  maxOps?: number,
  prefix?: Schedule,
): CompletedSchedule {
  const sorted = [...points].sort((a, b) => a.step - b.step);
  const session = new Session(program, {
    checkpoints: false,
    footprints: false,
    stepCounts: false,
    machine: { lostUpdates: false, races: false, maxOps },
  });
  const view = session.view;
  let p = 0;
  let preemptions = 0;
  let current = 0;
  if (prefix !== undefined) {
    session.follow(prefix);
    session.seek(scheduleLength(prefix));
    current = Math.max(0, session.current);
  }
  /** States since `current` began its run, and whether it came back to one (it spins). */
  const seen = new Set<string>();
  let spinning = false;
  const machine = session.machine;
  while (view.step < maxSteps && !session.ended) {
    const enabled = view.enabled();
    if (enabled.length === 0) break;
    const canGoOn = enabled.includes(current) && !(spinning && enabled.length > 1);
    const goOn = canGoOn ? current : (enabled.find((t) => t > current) ?? enabled[0]!);
    let tid = goOn;
    // Points at steps already passed (two at one step) are skipped: the first one counts.
    while (p < sorted.length && sorted[p]!.step < view.step) p++;
    if (p < sorted.length && sorted[p]!.step === view.step) {
      tid = enabled[sorted[p]!.thread % enabled.length]!;
      if (tid !== goOn && canGoOn) preemptions++;
      p++;
    }
    if (session.step(tid) === null) break;
    if (tid !== current) {
      seen.clear();
      spinning = false;
      current = tid;
    }
    const [h, l] = machine.stateHash();
    const key = `${h}:${l}`;
    if (seen.has(key)) spinning = true;
    else seen.add(key);
  }
  return { points: sorted, schedule: session.schedule(), steps: view.step, preemptions };
}
