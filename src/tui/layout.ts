/**
 * The frame: the view model laid out in a terminal of `columns` × `rows`, as bands of full
 * lines and of panes side by side, each pane cut to its box (a title line, then its lines
 * scrolled to keep its focus in view). The frame is one line shorter than the terminal: ink 6
 * clears the whole screen at every frame when the output is as tall as the terminal.
 */
import type { Controller } from './controller.js';
import { line, type Line, type PaneModel, type ViewModel } from './model.js';
import { timelinePane } from './timeline-view.js';
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
  if (pane.scroll !== undefined) top = Math.max(0, Math.min(pane.scroll, pane.lines.length - room));
  else if (pane.focus >= 0 && pane.lines.length > room) {
    top = pane.focus - Math.floor(room / 2);
    if (pane.anchor !== undefined && pane.anchor < top) top = Math.max(pane.anchor, pane.focus - room + 1);
    top = Math.max(0, Math.min(top, pane.lines.length - room));
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

/** Two boxes of one width, one over the other. */
function stack(a: PaneBox, b: PaneBox): PaneBox {
  return { lines: [...a.lines, ...b.lines], width: a.width, height: a.height + b.height };
}

/**
 * Rows for bands that want `need` rows each and get at least `min`: one row at a time to each
 * band still short, in order, until `total` is spent; what is left goes to band `rest`.
 */
export function shareRows(total: number, need: number[], min: number[], rest: number): number[] {
  const got = min.slice();
  let left = total - got.reduce((a, b) => a + b, 0);
  for (let more = true; left > 0 && more; ) {
    more = false;
    for (let i = 0; i < got.length && left > 0; i++)
      if (got[i]! < need[i]!) {
        got[i]!++;
        left--;
        more = true;
      }
  }
  if (left > 0) got[rest]! += left;
  return got;
}

/** Thread lanes the timeline shows at most. */
const MAX_LANES = 8;

/**
 * Lay out the controller's state for a terminal of `columns` × `rows`: the threads across the
 * top, the code pane beside memory over locks, the timeline, the events. Each band gets the
 * rows its lines need when they fit, the code band what is left over.
 */
export function buildFrame(c: Controller, columns: number, rows: number): Frame {
  const cols = Math.max(MIN_COLUMNS, columns);
  const height = Math.max(MIN_ROWS, rows) - 1;
  const left = Math.floor((cols - 1) * 0.42);
  const right = cols - 1 - left;
  const body = height - 3; // header, message, footer
  const lanes = Math.min(MAX_LANES, c.session.machine.threads.length);
  const vm: ViewModel = viewModel(c, cols - 4, lanes);
  const bands: Band[] = [{ kind: 'line', line: line(fit(vm.header.text, cols), vm.header.tone) }];
  if (vm.overlay !== null) bands.push(panes([box(vm.overlay, cols, body)]));
  else {
    const sideNeed = vm.memory.lines.length + vm.locks.lines.length + 2;
    const [threads, middle, timeline, events] = shareRows(
      body,
      [
        vm.threads.lines.length + 1,
        Math.max(vm.code.lines.length + 1, sideNeed),
        lanes + 2,
        vm.events.lines.length + 1,
      ],
      // Three threads and a lane are always in view; what went wrong gets up to 35 % of the rows
      // before the other panes grow.
      [
        Math.min(vm.threads.lines.length + 1, 4),
        5,
        Math.min(lanes + 2, 3),
        Math.max(2, Math.min(vm.events.lines.length + 1, Math.floor(body * 0.35))),
      ],
      1,
    ) as [number, number, number, number];
    const locks = Math.max(2, Math.min(vm.locks.lines.length + 1, Math.floor(middle / 2)));
    const lanesPane =
      timeline - 2 < lanes
        ? timelinePane(c.session, c.log, cols - 4, Math.max(1, timeline - 2), c.focus)
        : vm.timeline;
    bands.push(panes([box(vm.threads, cols, threads)]));
    bands.push(
      panes([
        box(vm.code, left, middle),
        stack(box(vm.memory, right, middle - locks), box(vm.locks, right, locks)),
      ]),
    );
    bands.push(panes([box(lanesPane, cols, timeline)]));
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
