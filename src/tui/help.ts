/** The keys, as the footer and the `?` help show them. */

/** The footer: every key where it fits in `columns`, else the main ones (? shows the rest). */
export function footer(columns: number): string {
  const all =
    '0-9 thread  n next  b back  s line  g go to  r run  e explore  v events  x save  ? help  q quit';
  return all.length <= columns
    ? all
    : '0-9 thread  n next  b back  g go to  r run  e explore  v events  ? keys  q quit';
}

export const HELP: readonly string[] = [
  '0-9        step that thread (↑/↓ move the focus, Enter steps the focused thread: any thread number)',
  'n, →       one step chosen by the tape (a --schedule, --seed run or witness) or else the scheduler',
  'b, ←       step back (fast: the session goes back to a checkpoint and replays)',
  "s          finish the focused thread's current source line",
  'g N Enter  go to step N of the known execution (Backspace edits, Esc cancels)',
  'r          run until the next event: lost update, data race, exception, thread start or end, deadlock, end',
  'e          explore every continuation exhaustively; type an outcome number and Enter to follow its witness',
  'v          the events pane full-screen, to scroll through every event (Esc closes)',
  'x          write the schedule so far to a file and show the command that replays it',
  '↑ ↓ PgUp PgDn  move the focus (threads pane, code pane)',
  'q, Ctrl-C  quit, printing the command that replays the execution up to this step',
  "Choosing a thread other than the tape's next step cuts the tape there.",
  'At quit the exit status is 1 if the execution so far lost an update, raced, raised, deadlocked or hit a bound.',
  '(↑ ↓ PgUp PgDn scroll this help; any other key closes it)',
];
