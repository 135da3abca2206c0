/**
 * The frame: the view model laid out in a terminal of `columns` × `rows`, as bands of full
 * lines and of panes side by side, each pane cut to its box (a title line, then its lines
 * scrolled to keep its focus in view). The frame is one line shorter than the terminal: ink 6
 * clears the whole screen at every frame when the output is as tall as the terminal.
 */
import type { Controller } from './controller.js';
import { CONTROL_CHARS, line, type Line, type PaneModel, type ViewModel } from './model.js';
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

/** Below this size the frame only says that the window is too small. */
const MIN_COLUMNS = 40;
const MIN_ROWS = 12;

/** Whether a terminal of `columns` × `rows` is below the size the frame needs (it then only says so). */
export function tooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}

/** `text` cut or padded to exactly `width` columns (one column per code point). */
export function fit(text: string, width: number): string {
  // A control character would act on the terminal (a thread named with an ESC code): shown as �.
  const cps = [...text.replace(CONTROL_CHARS, '\ufffd')];
  if (cps.length > width) return `${cps.slice(0, Math.max(0, width - 1)).join('')}…`;
  return text + ' '.repeat(width - cps.length);
}

/**
 * `text` broken into lines of at most `width` columns, at spaces where it can, each line after
 * the first indented by `indent` spaces; a word longer than a line is cut.
 */
export function wrap(text: string, width: number, indent = 0): string[] {
  const w = Math.max(1, width);
  const pad = ' '.repeat(Math.min(indent, w - 1));
  const cps = [...text];
  const out: string[] = [];
  // One pass with an index (no slicing of the rest): a line of millions of characters wraps in linear time.
  let i = 0;
  for (let prefix = ''; ; prefix = pad) {
    const room = w - prefix.length;
    if (cps.length - i <= room) {
      out.push(prefix + cps.slice(i).join(''));
      return out;
    }
    let cut = cps.lastIndexOf(' ', i + room);
    if (cut <= i) cut = i + room;
    out.push(prefix + cps.slice(i, cut).join('').trimEnd());
    i = cut;
    while (cps[i] === ' ') i++;
    if (i >= cps.length) return out;
  }
}

/** The first `n` of `lines`, the last of them ending in … when lines were left out. */
function atMost(lines: string[], n: number, width: number): string[] {
  if (lines.length <= n) return lines;
  const kept = lines.slice(0, n);
  kept[n - 1] = fit(`${kept[n - 1]!} ${lines[n]!.trim()}`, width);
  return kept;
}

/** Each line of `lines` wrapped to `width` (wrap), with its tone. */
export function wrapLines(lines: readonly Line[], width: number, indent = 2): Line[] {
  return lines.flatMap((l) => wrap(l.text, width, indent).map((t) => line(t, l.tone)));
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
  // When lines are left below, the last row says how many; the focus stays above that row.
  if (room > 1 && pane.scroll === undefined && pane.focus >= top + room - 1 && top + room < pane.lines.length)
    top = pane.focus - room + 2;
  const shown = pane.lines.slice(top, top + room);
  const more = pane.lines.length - top - shown.length;
  if (more > 0 && shown.length > 1)
    shown[shown.length - 1] = line(`… ${more + 1} more lines${pane.more ?? ''}`, 'dim');
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

/**
 * Minimum rows cut down to fit `total`: the largest minimum loses a row first, down to 2 (a
 * title and one line); in a terminal of MIN_ROWS every band then still shows a line.
 */
function fitMinimums(min: number[], total: number): number[] {
  const got = min.slice();
  for (let sum = got.reduce((a, b) => a + b, 0); sum > total; sum--) {
    const i = got.indexOf(Math.max(...got));
    if (got[i]! <= 2) break;
    got[i]!--;
  }
  return got;
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

/** Rows the panes keep at least (the terminal's MIN_ROWS less the header, message and footer). */
const MIN_BODY = 8;

/** Thread lanes the timeline shows at most. */
const MAX_LANES = 8;

/**
 * Lay out the controller's state for a terminal of `columns` × `rows`: the threads across the
 * top, the code pane beside memory over locks, the timeline, the events. Each band gets the
 * rows its lines need when they fit, the code band what is left over.
 */
export function buildFrame(c: Controller, columns: number, rows: number): Frame {
  const cols = Math.max(1, columns);
  if (tooSmall(columns, rows)) {
    const text = `window too small: ${columns}×${rows}; interleave step needs at least ${MIN_COLUMNS}×${MIN_ROWS}`;
    return {
      columns: cols,
      bands: wrap(text, cols)
        .slice(0, Math.max(1, rows - 1))
        .map((t) => ({ kind: 'line', line: line(fit(t, cols), 'alert') })),
    };
  }
  const height = rows - 1;
  const left = Math.floor((cols - 1) * 0.42);
  const right = cols - 1 - left;
  const lanes = Math.min(MAX_LANES, c.session.machine.threads.length);
  const vm: ViewModel = viewModel(c, cols - 4, lanes, cols);
  // The header takes up to 2 lines and the message up to 3, wrapped, so that nothing they say
  // is cut, as long as the panes keep MIN_BODY rows.
  let header = atMost(wrap(vm.header.text, cols, 2), 2, cols);
  let message = atMost(wrap(vm.message.text, cols, 2), 3, cols);
  if (height - header.length - message.length - 1 < MIN_BODY) {
    header = [header.join(' ')];
    message = [message.join(' ')];
  }
  const body = height - header.length - message.length - 1; // and the footer
  const bands: Band[] = header.map((t) => ({ kind: 'line', line: line(fit(t, cols), vm.header.tone) }));
  if (vm.overlay !== null)
    bands.push(panes([box({ ...vm.overlay, lines: wrapLines(vm.overlay.lines, cols) }, cols, body)]));
  else {
    // Events are wrapped, not cut: the end of a halt's reason or a traceback line matters.
    const eventLines = { ...vm.events, lines: wrapLines(vm.events.lines, cols) };
    const sideNeed = vm.memory.lines.length + vm.locks.lines.length + 2;
    const [threads, middle, timeline, events] = shareRows(
      body,
      [
        vm.threads.lines.length + 1,
        Math.max(vm.code.lines.length + 1, sideNeed),
        lanes + 2,
        eventLines.lines.length + 1,
      ],
      // Three threads and a lane are always in view; what went wrong gets up to 35 % of the rows
      // before the other panes grow.
      fitMinimums(
        [
          Math.min(vm.threads.lines.length + 1, 4),
          5,
          Math.min(lanes + 2, 3),
          Math.max(2, Math.min(eventLines.lines.length + 1, Math.floor(body * 0.35))),
        ],
        body,
      ),
      1,
    ) as [number, number, number, number];
    // Memory over locks, each a title and a line at least; in 3 rows or fewer, memory alone.
    const locks = middle < 4 ? 0 : Math.max(2, Math.min(vm.locks.lines.length + 1, Math.floor(middle / 2)));
    const lanesPane =
      timeline - 2 < lanes
        ? timelinePane(c.session, c.log, cols - 4, Math.max(1, timeline - 2), c.focus)
        : vm.timeline;
    bands.push(panes([box(vm.threads, cols, threads)]));
    bands.push(
      panes([
        box(vm.code, left, middle),
        locks === 0
          ? box(vm.memory, right, middle)
          : stack(box(vm.memory, right, middle - locks), box(vm.locks, right, locks)),
      ]),
    );
    bands.push(panes([box(lanesPane, cols, timeline)]));
    bands.push(panes([box(eventLines, cols, events)]));
  }
  for (const t of message) bands.push({ kind: 'line', line: line(fit(t, cols), vm.message.tone) });
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
