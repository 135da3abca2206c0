/** The view model of a frame, from the controller's state (model.ts describes it). */
import type { Controller } from './controller.js';
import { codePane } from './code-view.js';
import { eventsPane } from './events-view.js';
import { footer, HELP } from './help.js';
import { locksPane } from './locks-view.js';
import { memoryPane } from './memory-view.js';
import { line, type Line, type ViewModel } from './model.js';
import { standing } from './so-far.js';
import { threadsPane } from './threads-view.js';
import { timelinePane } from './timeline-view.js';

/** The header: file, step k of the known length, who chose the last step, the outcome so far. */
function header(c: Controller): Line {
  const m = c.session.machine;
  const s = standing(c.session);
  const who = c.lastChooser;
  const last = who === null ? '' : ` · last: ${who} (${c.session.schedule().items.at(-1)?.tid ?? '?'})`;
  const facts = [s === 'step-bound' ? `stopped: ${m.halt?.reason ?? 'a bound was reached'}` : s];
  const lost = m.lost !== null && m.lost.stores > 0 ? m.lost.lost : 0;
  const races = m.races?.total ?? 0;
  if (lost > 0) facts.push(`${lost} update${lost === 1 ? '' : 's'} lost`);
  if (races > 0) facts.push(`${races} data race${races === 1 ? '' : 's'}`);
  const raised = m.threads.filter((t) => t.uncaught !== null).length;
  if (raised > 0) facts.push(`${raised} exception${raised === 1 ? '' : 's'}`);
  return line(
    `${c.config.file} · step ${c.step} of ${c.length}${last} · ${facts.join(', ')}`,
    s === 'running' && lost + races + raised === 0 ? 'title' : 'alert',
  );
}

/** The footer over an overlay: the keys that act there. */
const overlayKeys: Partial<Record<Controller['overlay']['kind'], string>> = {
  help: '↑ ↓ PgUp PgDn scroll  any other key closes',
  events: '↑ ↓ PgUp PgDn scroll  any other key closes',
  goto: 'digits  Backspace  Enter go  Esc cancel',
  exploring: 'Esc cancels  (keys typed now apply when it ends)',
  explore: 'digits an outcome  Enter follow its witness  ↑ ↓ PgUp PgDn scroll  Esc close',
};

/** The frame's view model; `timelineWidth` and `lanes` size the timeline (steps and thread rows shown), `columns` the footer. */
export function viewModel(c: Controller, timelineWidth = 60, lanes = 3, columns = 80): ViewModel {
  const s = c.session;
  const o = c.overlay;
  const overlay =
    o.kind === 'help'
      ? { title: 'keys', lines: HELP.map((l) => line(l)), focus: -1, scroll: o.scroll }
      : o.kind === 'events'
        ? {
            ...eventsPane(s),
            title: 'events (↑ ↓ PgUp PgDn scroll; Esc closes)',
            scroll: o.scroll,
            more: undefined,
          }
        : o.kind === 'exploring'
          ? {
              title: 'exhaustive exploration from this step',
              lines: [
                line(
                  `exploring every continuation of steps 0 to ${o.from} (DPOR, the prefix fixed)…`,
                  'mark',
                ),
                line(
                  `${o.executions.toLocaleString('en-US')} executions, ${o.outcomes.toLocaleString('en-US')} outcomes so far; budget ${c.config.exploreExecutions.toLocaleString('en-US')} executions or ${c.config.exploreTimeMs / 1000} s`,
                ),
                line('Esc cancels', 'dim'),
              ],
              focus: -1,
            }
          : o.kind === 'explore'
            ? {
                title: 'exhaustive exploration from this step',
                lines: o.lines.map((l) => line(l)),
                focus: -1,
                scroll: o.scroll,
              }
            : null;
  const message =
    o.kind === 'goto'
      ? line(
          `go to step: ${o.digits}_  (0 to ${c.length}, Enter)${c.message === null ? '' : `  ${c.message.text}`}`,
          c.message?.tone === 'error' ? 'alert' : 'mark',
        )
      : o.kind === 'explore' && c.message === null
        ? line(`outcome: ${o.digits}_  type an outcome number and Enter to follow its witness`, 'mark')
        : c.message === null
          ? line('')
          : line(c.message.text, c.message.tone === 'error' ? 'alert' : 'mark');
  return {
    header: header(c),
    threads: threadsPane(s, c.focus),
    code: codePane(s, c.focus),
    memory: memoryPane(s, c.log),
    locks: locksPane(s, standing(s) === 'deadlock'),
    timeline: timelinePane(s, c.log, timelineWidth, lanes, c.focus),
    events: eventsPane(s),
    overlay,
    message,
    footer: line(overlayKeys[o.kind] ?? footer(columns), 'dim'),
  };
}
