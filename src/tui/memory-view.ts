/**
 * The memory pane: the data globals and the item cells written so far, each with its value
 * and the thread and step of its last write; then, per thread, the values it LOADed and has
 * not STOREd back yet (the copy a lost update writes back), marked stale once another thread
 * wrote the cell after the LOAD.
 */
import { Op, type CodeObject } from '../compile/ops.js';
import { reprCapped } from '../semantics/format.js';
import type { Session } from '../session/session.js';
import { dataGlobals } from '../vm/data-globals.js';
import type { LastWrite } from '../vm/last-writers.js';
import { line, type Line, type PaneModel } from './model.js';
import type { StepLog } from './step-log.js';

/** A LOAD of a thread not followed by its STORE of the same cell (yet). */
export interface HeldCopy {
  tid: number;
  cell: string;
  value: string;
  loadStep: number;
}

/**
 * Whether the ops of `code` from `pc` on STORE cell `cell` (a global or an item cell): on line
 * `line` only, or anywhere in the code object when `line` is null.
 */
function storesLater(code: CodeObject, pc: number, line: number | null, cell: string): boolean {
  for (let i = pc; i < code.ops.length && (line === null || code.spans[i * 4] === line); i++) {
    const op = code.ops[i]!;
    if ((op === Op.STORE_GLOBAL || op === Op.STORE_ITEM) && (code.labels[i] === cell || cell.includes('[')))
      return true;
  }
  return false;
}

/**
 * The values each live thread LOADed and has not STOREd back (the lost-update analysis's
 * pending reads) while it is still on the LOAD's line or the cell was written since, with the
 * value read as the step log has it (a LOAD older than the log is left out).
 */
function heldCopies(session: Session, log: StepLog, writes: ReadonlyMap<string, LastWrite>): HeldCopy[] {
  const m = session.machine;
  const out: HeldCopy[] = [];
  if (m.lost === null) return out;
  for (const t of m.threads) {
    if (t.finished) continue;
    const next = m.nextOp(t.tid);
    const here = next === null ? -1 : next.code.spans[next.pc * 4]!;
    for (const [, step] of m.lost.held(t)) {
      const e = log.at(step)?.event;
      if (e === undefined || e.cell === null) continue;
      // A read is a pending write-back while the rest of the thread's line STOREs the cell
      // (`counter += 1`), or a stale copy once someone wrote the cell since and the thread's
      // function STOREs it somewhere (`tmp = x` ... `x = tmp + 1`); `range(nthread)` and
      // `print(counter)` are neither.
      if (next === null) continue;
      const stale = (writes.get(e.cell)?.step ?? -1) > step;
      if (
        !storesLater(next.code, next.pc, here, e.cell) &&
        !(stale && storesLater(next.code, 0, null, e.cell))
      )
        continue;
      out.push({ tid: t.tid, cell: e.cell, value: reprCapped(e.value ?? null, 40), loadStep: step });
    }
  }
  return out.sort((a, b) => a.loadStep - b.loadStep);
}

function writer(w: LastWrite | undefined): string {
  return w === undefined ? '(initial)' : `(by ${w.tid} at step ${w.step})`;
}

export function memoryPane(session: Session, log: StepLog): PaneModel {
  const m = session.machine;
  const writes = new Map((m.lastWriters?.entries() ?? []).map((w) => [w.cell, w]));
  const lines: Line[] = [];
  for (const h of heldCopies(session, log, writes)) {
    const w = writes.get(h.cell);
    const stale = w !== undefined && w.step > h.loadStep;
    // Short enough for half of 80 columns; the cell's own line says who wrote it since.
    const text = `thread ${h.tid} read ${h.cell} = ${h.value} at step ${h.loadStep}${stale ? ': STALE' : ', will STORE'}`;
    lines.push(line(text, stale ? 'alert' : 'mark'));
  }
  // Cells by their last write, the most recent first: what the last steps changed is on top.
  const globals = dataGlobals(m.finalGlobals());
  const cells: { text: string; step: number }[] = [];
  for (const [name, value] of Object.entries(globals)) {
    const v = value.length > 40 ? `${value.slice(0, 39)}…` : value;
    const w = writes.get(name);
    cells.push({ text: `${name} = ${v}  ${writer(w)}`, step: w?.step ?? -1 });
  }
  for (const w of writes.values()) {
    if (w.cell in globals || !w.cell.includes('[')) continue;
    cells.push({ text: `${w.cell} = ${reprCapped(w.value, 40)}  ${writer(w)}`, step: w.step });
  }
  cells.sort((a, b) => b.step - a.step);
  for (const c of cells) lines.push(line(c.text));
  if (lines.length === 0) lines.push(line('(no globals yet)', 'dim'));
  return { title: 'memory', lines, focus: -1 };
}
