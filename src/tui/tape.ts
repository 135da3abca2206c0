/**
 * The line a session moves along (session.ts `follow`): a schedule read step by step. Going
 * forward one step at a time reads the step at the session's position; a cursor makes reading
 * step after step cost O(1) each, not a scan of the schedule from its start.
 */
import { scheduleLength, type Schedule, type ScheduleItem } from '../schedule/schedule.js';

/** One step of a schedule: its thread, whether it is a timeout, the option of a `random` call. */
export interface TapeStep {
  tid: number;
  timeout: boolean;
  choice: number | null;
}

export class Tape {
  /** Steps the schedule describes. */
  readonly length: number;
  private item = 0;
  /** The step the item at `item` starts at. */
  private start = 0;

  constructor(readonly schedule: Schedule) {
    this.length = scheduleLength(schedule);
  }

  /** Step `k` of the schedule (0 ≤ k < length), or null past its end. */
  at(k: number): TapeStep | null {
    if (k < 0 || k >= this.length) return null;
    if (k < this.start) {
      this.item = 0;
      this.start = 0;
    }
    const items = this.schedule.items;
    for (;;) {
      const it: ScheduleItem = items[this.item]!;
      const n = it.kind === 'run' ? it.count : 1;
      if (k < this.start + n)
        return {
          tid: it.tid,
          timeout: it.kind === 'timeout',
          choice: it.kind === 'choice' ? it.option : null,
        };
      this.start += n;
      this.item++;
    }
  }
}
