/**
 * The frame: the view model laid out in a terminal of `columns` × `rows`, as bands of full
 * lines and of panes side by side, each pane cut to its box (a title line, then its lines
 * scrolled to keep its focus in view). The frame is one line shorter than the terminal: ink 6
 * clears the whole screen at every frame when the output is as tall as the terminal.
 */
import type { Controller } from './controller.js';
import { line, type Line, type PaneModel, type ViewModel } from './model.js';
import { viewModel } from './view-model.js';

export interface PaneBox {
  /** Exactly `height` lines, each exactly `width` columns. */
  lines: Line[];
  width: number;
  height: number;
}

export type Band = { kind: 'line'; line: Line } | { kind: 'panes'; boxes: PaneBox[]; height: number };

export interface Frame {
  columns: number;
  bands: Band[];
}

/** Terminal sizes below these are drawn as if they were these (and cut by the terminal). */
const MIN_COLUMNS = 40;
const MIN_ROWS = 12;

/** `text` cut or padded to exactly `width` columns (one column per code point). */
export function fit(text: string, width: number): string {
  const cps = [...text];
  if (cps.length > width) return `${cps.slice(0, Math.max(0, width - 1)).join('')}…`;
  return text + ' '.repeat(width - cps.length);
}

/** A pane in a box of `width` × `height`: its title line, then the lines around its focus. */
export function box(pane: PaneModel, width: number, height: number): PaneBox {
  const room = Math.max(0, height - 1);
  let top = 0;
  if (pane.focus >= 0 && pane.lines.length > room) {
    top = Math.max(0, Math.min(pane.focus - Math.floor(room / 3), pane.lines.length - room));
  }
  const shown = pane.lines.slice(top, top + room);
  const more = pane.lines.length - top - shown.length;
  if (more > 0 && shown.length > 0) shown[shown.length - 1] = line(`… ${more + 1} more lines`, 'dim');
  while (shown.length < room) shown.push(line(''));
  const head = [...`─ ${pane.title} `];
  const title =
    head.length >= width ? fit(head.join(''), width) : head.join('') + '─'.repeat(width - head.length);
  return {
    lines: [line(title, 'title'), ...shown.map((l) => line(fit(l.text, width), l.tone))],
    width,
    height,
  };
}

function panes(boxes: PaneBox[]): Band {
  return { kind: 'panes', boxes, height: Math.max(...boxes.map((b) => b.height)) };
}

/** Lay out the controller's state for a terminal of `columns` × `rows`. */
export function buildFrame(c: Controller, columns: number, rows: number): Frame {
  const cols = Math.max(MIN_COLUMNS, columns);
  const height = Math.max(MIN_ROWS, rows) - 1;
  const left = Math.floor((cols - 1) * 0.45);
  const right = cols - 1 - left;
  const body = height - 3; // header, message, footer
  const threads = c.session.machine.threads.length;
  const timeline = Math.min(2 + threads, Math.max(3, Math.floor(body * 0.25)));
  let top = Math.max(4, Math.floor(body * 0.3));
  let middle = Math.max(3, Math.floor(body * 0.22));
  const vm: ViewModel = viewModel(c, cols - 4, timeline - 2);
  // The events pane borrows rows from the panes above when its events do not fit.
  let events = body - top - middle - timeline;
  while (events < vm.events.lines.length + 1 && (top > 4 || middle > 3)) {
    if (top > 4 && top - 4 >= middle - 3) top--;
    else middle--;
    events++;
  }
  const bands: Band[] = [{ kind: 'line', line: line(fit(vm.header.text, cols), vm.header.tone) }];
  if (vm.overlay !== null) bands.push(panes([box(vm.overlay, cols, body)]));
  else {
    bands.push(panes([box(vm.threads, left, top), box(vm.code, right, top)]));
    bands.push(panes([box(vm.memory, left, middle), box(vm.locks, right, middle)]));
    bands.push(panes([box(vm.timeline, cols, timeline)]));
    bands.push(panes([box(vm.events, cols, events)]));
  }
  bands.push({ kind: 'line', line: line(fit(vm.message.text, cols), vm.message.tone) });
  bands.push({ kind: 'line', line: line(fit(vm.footer.text, cols), vm.footer.tone) });
  return { columns: cols, bands };
}

/** The frame as plain text lines (no colour, no escape codes), trailing spaces removed. */
export function frameLines(f: Frame): string[] {
  const out: string[] = [];
  for (const b of f.bands) {
    if (b.kind === 'line') out.push(b.line.text);
    else for (let i = 0; i < b.height; i++) out.push(b.boxes.map((x) => x.lines[i]!.text).join('│'));
  }
  return out.map((l) => l.trimEnd());
}
