/**
 * The events pane: what went wrong so far, as `interleave run` reports it (the same
 * formatters): a deadlock with its wait-for cycle, uncaught exceptions with their traceback,
 * lost updates with their window (the two LOADs and the overwriting STORE), data races; then
 * the threads that ended and the program's output.
 */
import { windowRows } from '../report/lost-update-window.js';
import { outcomeOf } from '../report/outcome.js';
import { renderDeadlock, renderRaces, renderWindow } from '../report/text.js';
import { traceLostUpdateWindows } from '../run/lost-update-trace.js';
import { encodeSchedule, truncateSchedule } from '../schedule/schedule.js';
import type { Session } from '../session/session.js';
import { CONTROL_CHARS, line, type Line, type PaneModel } from './model.js';
import { resultSoFar, standing } from './so-far.js';

/**
 * Windows already traced (tracing re-executes the run), by the total they are counted in, the
 * lost update, and the steps up to its store: after a step back the same steps may be taken by
 * other threads, and that is another window.
 */
/** Lines of the program's output shown, and characters of each at most. */
const OUTPUT_LINES = 5;
const OUTPUT_LINE = 400;

/** `text` with control characters as escapes (`\t`, `\x1b`) and cut to OUTPUT_LINE characters. */
export function printable(text: string): string {
  const cps = [...text];
  const cut = cps.length > OUTPUT_LINE ? `${cps.slice(0, OUTPUT_LINE).join('')}…` : text;
  return cut.replace(CONTROL_CHARS, (c) =>
    c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

const windowCache = new WeakMap<Session, Map<string, string[]>>();

export function eventsPane(session: Session): PaneModel {
  const m = session.machine;
  const result = resultSoFar(session);
  const outcome = outcomeOf(result);
  const lines: Line[] = [];
  const s = standing(session);
  if (s === 'deadlock') for (const l of renderDeadlock(result, outcome)) lines.push(line(l, 'alert'));
  if (s === 'step-bound' && m.halt !== null)
    lines.push(line(`stopped at step ${m.steps}: ${m.halt.reason}`, 'alert'));
  // The traceback starts "Exception in thread NAME:", as CPython prints it: no header of our own.
  const tracebacks = new Set<string>();
  for (const t of m.threads) {
    if (t.uncaught === null) continue;
    const tb = m.formatUncaught(t, t.uncaught);
    tracebacks.add(tb);
    lines.push(
      ...tb
        .trimEnd()
        .split('\n')
        .map((l) => line(l, 'alert')),
    );
  }
  const lu = outcome.lostUpdates;
  if (lu.stores > 0) {
    const cache = windowCache.get(session) ?? new Map<string, string[]>();
    windowCache.set(session, cache);
    const schedule = session.schedule();
    lu.first.forEach((u, i) => {
      const path = encodeSchedule(truncateSchedule(schedule, u.storeStep + 1));
      const key = `${i}/${lu.stores}:${u.thread}:${u.cell}:${u.loadStep}:${path}`;
      let rows = cache.get(key);
      if (rows === undefined) {
        const [trace] = traceLostUpdateWindows(result, [u]);
        const [w] = windowRows([trace!]);
        rows = renderWindow(result, outcome, { ...w!, index: i });
        cache.set(key, rows);
      }
      lines.push(...rows.map((l, j) => line(l, j === 0 ? 'alert' : 'plain')));
    });
    if (lu.stores > lu.first.length)
      lines.push(line(`(the first ${lu.first.length} of ${lu.stores} lost updates shown)`, 'dim'));
  }
  if (outcome.races.total > 0)
    lines.push(...renderRaces(outcome).map((l, j) => line(l, j === 0 ? 'alert' : 'plain')));
  const ended = m.threads.filter((t) => t.finished).map((t) => `${t.tid}`);
  if (ended.length > 0) lines.push(line(`threads ended: ${ended.join(', ')}`, 'dim'));
  // What the program printed, but the tracebacks: they are shown above already.
  const printed = session.printed
    .filter((p) => !(p.stream === 'stderr' && tracebacks.has(p.text)))
    .map((p) => p.text)
    .join('');
  if (printed !== '') {
    // The last lines only, each at most OUTPUT_LINE characters, control characters shown as
    // escapes: the program's output must not write to the terminal (an ESC colour code, a \r).
    const out = printed
      .slice(-OUTPUT_LINE * OUTPUT_LINES)
      .trimEnd()
      .split('\n');
    lines.push(line('output:', 'dim'), ...out.slice(-OUTPUT_LINES).map((l) => line(`  ${printable(l)}`)));
  }
  if (lines.length === 0) lines.push(line('(no events yet)', 'dim'));
  return { title: 'events', lines, focus: -1, more: ' (v shows all)' };
}
