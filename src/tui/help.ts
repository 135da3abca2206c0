/** The keys, as the footer and the `?` help show them. */

export const FOOTER =
  '0-9 step thread  n next  b back  s line  g go to  r run  e explore  x save  ? help  q quit';

export const HELP: readonly string[] = [
  '0-9        step that thread (↑/↓ move the focus, Enter steps the focused thread: any thread number)',
  'n, →       one step chosen by the tape (a --schedule, --seed run or witness) or else the scheduler',
  'b, ←       step back (fast: the session goes back to a checkpoint and replays)',
  "s          finish the focused thread's current source line",
  'g N Enter  go to step N of the known execution (Backspace edits, Esc cancels)',
  'r          run until the next event: lost update, data race, exception, thread start or end, deadlock, end',
  'e          explore every continuation exhaustively; type an outcome number and Enter to follow its witness',
  'x          write the schedule so far to a file and show the command that replays it',
  '↑ ↓ PgUp PgDn  move the focus (threads pane, code pane)',
  'q, Ctrl-C  quit, printing the command that replays the execution up to this step',
  "Choosing a thread other than the tape's next step cuts the tape there.",
  '(any key closes this help)',
];
