/**
 * The timeline: the recent steps as one swimlane per thread (█ a step of that thread), and a
 * row marking preemptions (^: the scheduler switched away from a thread that could still run).
 */
import type { Session } from '../session/session.js';
import { line, type Line, type PaneModel } from './model.js';
import type { LoggedStep, StepLog } from './step-log.js';
import { Tape } from './tape.js';

/** `width`: columns of steps shown; `lanes`: thread rows at most. */
export function timelinePane(
  session: Session,
  log: StepLog,
  width: number,
  lanes: number,
  focus: number,
): PaneModel {
  const end = session.steps;
  const from = Math.max(0, end - width);
  const steps: (Pick<LoggedStep, 'tid' | 'preempted'> | null)[] = [];
  // A step that raised is not traced (its op did not complete): its thread comes from the schedule.
  let tape: Tape | null = null;
  for (let k = from; k < end; k++) {
    const s = log.at(k);
    if (s !== null) steps.push(s);
    else {
      tape ??= new Tape(session.schedule());
      const t = tape.at(k);
      steps.push(t === null ? null : { tid: t.tid, preempted: false });
    }
  }
  const seen = [...new Set(steps.filter((s) => s !== null).map((s) => s.tid))].sort((a, b) => a - b);
  // The focused thread stays in view when there are more threads than lanes.
  let shown = seen.slice(0, lanes);
  if (seen.includes(focus) && !shown.includes(focus)) shown = [...shown.slice(0, lanes - 1), focus];
  const label = Math.max(2, ...shown.map((t) => String(t).length));
  const lines: Line[] = shown.map((tid) =>
    line(
      `${String(tid).padStart(label)} ${steps.map((s) => (s === null ? ' ' : s.tid === tid ? '█' : '·')).join('')}`,
      tid === focus ? 'mark' : 'plain',
    ),
  );
  const marks = steps.map((s) => (s?.preempted === true ? '^' : ' ')).join('');
  lines.push(line(`${' '.repeat(label)} ${marks}`.trimEnd(), 'dim'));
  const hidden = seen.length - shown.length;
  const more = hidden > 0 ? `; ${hidden} more thread${hidden === 1 ? '' : 's'} ran, not shown` : '';
  return {
    title: `timeline: steps ${from} to ${Math.max(from, end - 1)} (^ preemption${more})`,
    lines,
    focus: -1,
  };
}
