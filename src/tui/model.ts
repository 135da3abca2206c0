/**
 * The view model: everything a frame shows, as lines of text with a tone, computed from the
 * controller's state by the pane builders (one file each) and drawn by either renderer: the
 * ink components (app.tsx) or plain text (text-frame.ts).
 */

/** How a line is drawn: plain, marked (the current line, the focused thread), an alert, dimmed, a title. */
export type LineTone = 'plain' | 'mark' | 'alert' | 'dim' | 'title';

export interface Line {
  text: string;
  tone: LineTone;
}

export interface PaneModel {
  title: string;
  lines: Line[];
  /** The line to keep in view when the pane is shorter than its lines (the focus), or -1 for the top. */
  focus: number;
  /** A line to keep in view above the focus when both fit (the code pane's source line), or absent. */
  anchor?: number;
  /** The first line shown, when the pane is scrolled by hand (overrides `focus`). */
  scroll?: number;
  /** Said after "… N more lines" when lines are cut below (how to see them), or absent. */
  more?: string;
}

export interface ViewModel {
  header: Line;
  threads: PaneModel;
  code: PaneModel;
  memory: PaneModel;
  locks: PaneModel;
  timeline: PaneModel;
  events: PaneModel;
  /** Shown over the panes (help, the outcome table of `e`), or null. */
  overlay: PaneModel | null;
  /** The message of the last key, or the step being typed after `g`. */
  message: Line;
  footer: Line;
}

export const line = (text: string, tone: LineTone = 'plain'): Line => ({ text, tone });

/**
 * The C0 and C1 control characters: written as they are, they act on the terminal (an ESC
 * colour code, a carriage return), so no line the UI draws may hold one.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\x00-\x1f\x7f-\x9f]/g;
