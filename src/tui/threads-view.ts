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

export function threadsPane(session: Session, focus: number): PaneModel {
  const lines: Line[] = [];
  for (const t of session.threads()) {
    const mark = t.tid === focus ? '>' : ' ';
    const where = t.line > 0 ? `L${t.line}` : '';
    const text = `${mark}${String(t.tid).padStart(2)} ${statusText(session, t)}  ${where} ${nextOpText(session, t.tid)}  ${t.name}`;
    const tone =
      t.tid === focus ? 'mark' : t.status === 'blocked' ? 'alert' : t.status === 'finished' ? 'dim' : 'plain';
    lines.push(line(text.trimEnd(), tone));
  }
  return { title: `threads (${lines.length})`, lines, focus };
}
