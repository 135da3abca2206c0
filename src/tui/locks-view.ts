/**
 * The locks pane: every synchronization object with its holder, count, condition waiters and
 * blocked threads; in a deadlock, the objects on the wait-for cycle marked and a dead holder named.
 */
import type { Session } from '../session/session.js';
import { waitForGraph } from '../vm/wait-for.js';
import { line, type Line, type PaneModel } from './model.js';

export function locksPane(session: Session, deadlocked: boolean): PaneModel {
  const m = session.machine;
  const cycle = deadlocked ? (waitForGraph(m).cycle ?? []) : [];
  const lines: Line[] = [];
  const objects = m.syncObjects();
  // A Condition made without a lock makes its own RLock, which no global names: it is shown
  // as the condition's lock, not as `RLock#6`.
  const condLock = new Map(objects.filter((o) => o.lock >= 0).map((o) => [o.lock, `${o.name}'s lock`]));
  for (const o of objects) {
    const unnamed = o.name === `${o.kind}#${o.id}`;
    const parts = [`${(unnamed ? condLock.get(o.id) : undefined) ?? o.name} ${o.kind}`];
    if (o.kind === 'Semaphore' || o.kind === 'BoundedSemaphore') parts.push(`value ${o.count}`);
    else if (o.kind === 'Event') parts.push(o.count === 1 ? 'set' : 'clear');
    else if (o.holder >= 0) {
      const dead = m.threads[o.holder]?.finished === true;
      parts.push(
        `held by ${o.holder}${dead ? ' (finished: no one can release it)' : ''}${o.count > 1 ? ` ×${o.count}` : ''}`,
      );
    } else parts.push('free');
    if (o.waiters.length > 0) parts.push(`waiters ${o.waiters.join(',')}`);
    if (o.blocked.length > 0) parts.push(`blocked ${o.blocked.join(',')}`);
    const onCycle = o.holder >= 0 && cycle.includes(o.holder) && o.blocked.some((b) => cycle.includes(b));
    const dead = o.holder >= 0 && m.threads[o.holder]?.finished === true;
    lines.push(line(`${onCycle ? '! ' : ''}${parts.join('  ')}`, onCycle || dead ? 'alert' : 'plain'));
  }
  if (cycle.length > 0) lines.push(line(`wait-for cycle: ${cycle.join(' → ')}`, 'alert'));
  if (lines.length === 0) lines.push(line('(no locks yet)', 'dim'));
  return { title: 'locks', lines, focus: -1 };
}
