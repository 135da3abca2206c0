/** The threads pane: every thread with its status, source line and next micro-op; the focused one marked. */
import { OP_INFO } from '../compile/ops.js';
import type { Session, ThreadView } from '../session/session.js';
import { line, type Line, type PaneModel } from './model.js';

/** `ready`, `blocked: acquire lock_a (held by 2)`, `finished`, `raised ZeroDivisionError`. */
export function statusText(session: Session, t: ThreadView): string {
  const m = session.machine;
  const state = m.threads[t.tid]!;
  if (t.status === 'finished')
    return state.uncaught !== null ? `raised ${state.uncaught.cls.name}` : 'finished';
  if (t.status === 'timeout') return 'waiting (can time out)';
  if (t.status === 'blocked') {
    const b = t.blocked;
    if (b === null) return 'blocked';
    const holder = b.holder >= 0 ? ` (held by ${b.holder})` : '';
    if (b.kind === 'join') return `blocked: join ${b.holder}`;
    if (b.kind === 'notify') return `blocked: wait ${b.object}`;
    if (b.kind === 'event') return `blocked: event ${b.object}`;
    return `blocked: acquire ${b.object}${holder}`;
  }
  return 'ready';
}

/** The op thread `tid` runs next, as `LOAD counter`, or '' when it has finished. */
export function nextOpText(session: Session, tid: number): string {
  const next = session.machine.nextOp(tid);
  if (next === null) return '';
  return `${OP_INFO[next.op]!.mnemonic} ${next.code.labels[next.pc] ?? ''}`.trim();
}

/** Columns of the name column at most (longer names are cut). */
const NAME_WIDTH = 24;
/** Columns the status column is padded to at most. */
const STATUS_WIDTH = 36;

export function threadsPane(session: Session, focus: number): PaneModel {
  const lines: Line[] = [];
  const threads = session.threads();
  const nameWidth = Math.min(NAME_WIDTH, Math.max(0, ...threads.map((t) => t.name.length)));
  const idWidth = Math.max(2, String(threads.length - 1).length);
  const statuses = threads.map((t) => statusText(session, t));
  const statusWidth = Math.min(STATUS_WIDTH, Math.max(0, ...statuses.map((x) => x.length)));
  for (const t of threads) {
    const mark = t.tid === focus ? '>' : ' ';
    const name = t.name.length > nameWidth ? `${t.name.slice(0, nameWidth - 1)}…` : t.name.padEnd(nameWidth);
    const where = t.line > 0 ? `line ${t.line}: ` : '';
    const next = nextOpText(session, t.tid);
    const text = `${mark}${String(t.tid).padStart(idWidth)} ${name}  ${statuses[t.tid]!.padEnd(statusWidth)}${next === '' ? '' : `  ${where}${next}`}`;
    const tone =
      t.tid === focus ? 'mark' : t.status === 'blocked' ? 'alert' : t.status === 'finished' ? 'dim' : 'plain';
    lines.push(line(text.trimEnd(), tone));
  }
  return { title: `threads (${lines.length})`, lines, focus };
}
