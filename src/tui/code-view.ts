/**
 * The code pane: the focused thread's function, its current line marked, and that line's
 * micro-ops as `interleave dis` prints them with the next one marked.
 */
import { disassembleRows } from '../compile/dis.js';
import type { Session } from '../session/session.js';
import { line, type Line, type PaneModel } from './model.js';

export function codePane(session: Session, focus: number): PaneModel {
  const m = session.machine;
  const t = m.threads[focus];
  const next = t === undefined ? null : m.nextOp(focus);
  if (t === undefined || next === null)
    return {
      title: 'code',
      lines: [line(t === undefined ? '(no such thread)' : `${t.name} has finished`, 'dim')],
      focus: -1,
    };
  const { code, pc } = next;
  const current = code.spans[pc * 4]!;
  const source = session.program.source.split(/\r\n|\r|\n/);
  let first = Infinity;
  let last = 0;
  for (let i = 0; i < code.ops.length; i++) {
    const l = code.spans[i * 4]!;
    if (l > 0) {
      first = Math.min(first, l);
      last = Math.max(last, l);
    }
  }
  if (code.name !== '<module>' && code.firstLine > 0) first = Math.min(first, code.firstLine);
  const lines: Line[] = [];
  let focusLine = -1;
  let anchor = -1;
  for (let l = first; l <= last && Number.isFinite(first); l++) {
    const here = l === current;
    if (here) focusLine = anchor = lines.length;
    lines.push(
      line(
        `${here ? '>' : ' '}${String(l).padStart(4)}  ${source[l - 1] ?? ''}`.trimEnd(),
        here ? 'mark' : 'plain',
      ),
    );
    if (!here) continue;
    for (const r of disassembleRows(session.program, code)) {
      if (r.line !== current) continue;
      const isNext = r.pc === pc;
      if (isNext) focusLine = lines.length; // the next op stays in view, its line just above
      lines.push(line(`    ${isNext ? '→' : ' '} ${r.compact}`, isNext ? 'mark' : 'dim'));
    }
  }
  if (lines.length === 0) {
    // The thread's own start and end (its bootstrap) has no source lines: show the op alone.
    const r = disassembleRows(session.program, code).find((x) => x.pc === pc);
    lines.push(line(`    → ${r?.compact ?? ''}`, 'mark'));
  }
  return { title: `code: thread ${t.tid} in ${code.name}`, lines, focus: focusLine, anchor };
}
