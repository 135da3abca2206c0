/**
 * Schedules: the decisions of one execution, as plain data, and their text form
 * (LANGUAGE.md, "Schedules").
 *
 * Text form (version 1), for example `v1:3fa2c1d0:0*12,1*3,2t,1=4,0*5`:
 *
 *   v1          the format version
 *   3fa2c1d0    the program's fingerprint (source + --set values)
 *   T*N         thread T takes N steps in a row (T alone: one step)
 *   Tt          thread T takes its timeout transition (its acquire/wait/join gives up)
 *   T=i         thread T takes one step in which `random` picks option i (0-based)
 *
 * Run-length keeps a 20-million-step run short; thread numbers keep it readable (0 is
 * MainThread, then threads in start order). Decoding never throws: errors are returned.
 */

export type ScheduleItem =
  | { kind: 'run'; tid: number; count: number }
  | { kind: 'timeout'; tid: number }
  | { kind: 'choice'; tid: number; option: number };

export interface Schedule {
  version: 1;
  fingerprint: string;
  items: ScheduleItem[];
}

export const SCHEDULE_VERSION = 1;

/** Total steps a schedule describes. */
export function scheduleLength(s: Schedule): number {
  let n = 0;
  for (const item of s.items) n += item.kind === 'run' ? item.count : 1;
  return n;
}

/** The text form. */
export function encodeSchedule(s: Schedule): string {
  const parts = s.items.map((item) => {
    if (item.kind === 'timeout') return `${item.tid}t`;
    if (item.kind === 'choice') return `${item.tid}=${item.option}`;
    return item.count === 1 ? `${item.tid}` : `${item.tid}*${item.count}`;
  });
  return `v${s.version}:${s.fingerprint}:${parts.join(',')}`;
}

/** Parse the text form; returns an error message (naming the bad part) instead of throwing. */
export function decodeSchedule(text: string): { schedule: Schedule } | { error: string } {
  const trimmed = text.trim();
  const m = /^v(\d+):([0-9a-f]{8}):(.*)$/s.exec(trimmed);
  if (m === null) {
    return { error: 'a schedule looks like v1:<8 hex digits>:<steps>, for example v1:3fa2c1d0:0*12,1*3,2' };
  }
  if (Number(m[1]) !== SCHEDULE_VERSION) {
    return {
      error: `schedule format v${m[1]} is not supported (this interleave reads v${SCHEDULE_VERSION})`,
    };
  }
  const items: ScheduleItem[] = [];
  const body = m[3]!.trim();
  if (body !== '') {
    const tokens = body.split(',');
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!.trim();
      let r: RegExpExecArray | null;
      if ((r = /^(\d+)(?:\*(\d+))?$/.exec(token)) !== null) {
        const count = r[2] === undefined ? 1 : Number(r[2]);
        if (count < 1) return { error: `schedule item ${i + 1} '${token}': a run needs at least one step` };
        items.push({ kind: 'run', tid: Number(r[1]), count });
      } else if ((r = /^(\d+)t$/.exec(token)) !== null) {
        items.push({ kind: 'timeout', tid: Number(r[1]) });
      } else if ((r = /^(\d+)=(\d+)$/.exec(token)) !== null) {
        items.push({ kind: 'choice', tid: Number(r[1]), option: Number(r[2]) });
      } else {
        return { error: `schedule item ${i + 1} '${token}' is not T, T*N, Tt or T=i` };
      }
    }
  }
  return { schedule: { version: 1, fingerprint: m[2]!, items } };
}

/** Builds a schedule while an execution runs, merging consecutive runs of one thread. */
export class ScheduleRecorder {
  readonly items: ScheduleItem[] = [];
  private readonly choices = new Map<number, number>();

  constructor(readonly fingerprint: string) {}

  /** A random choice made during step `step`. */
  choice(step: number, option: number): void {
    this.choices.set(step, option);
  }

  /** Thread `tid` took steps [start, start + count); the first was a timeout when `timedOut`. */
  steps(tid: number, start: number, count: number, timedOut: boolean): void {
    let from = start;
    const end = start + count;
    if (timedOut) {
      this.items.push({ kind: 'timeout', tid });
      from++;
    }
    if (this.choices.size > 0) {
      for (const [step, option] of [...this.choices].sort((a, b) => a[0] - b[0])) {
        if (step < from || step >= end) continue;
        this.pushRun(tid, step - from);
        this.items.push({ kind: 'choice', tid, option });
        from = step + 1;
      }
      this.choices.clear();
    }
    this.pushRun(tid, end - from);
  }

  private pushRun(tid: number, count: number): void {
    if (count <= 0) return;
    const last = this.items[this.items.length - 1];
    if (last !== undefined && last.kind === 'run' && last.tid === tid) last.count += count;
    else this.items.push({ kind: 'run', tid, count });
  }

  schedule(): Schedule {
    return { version: 1, fingerprint: this.fingerprint, items: this.items.map((i) => ({ ...i })) };
  }
}
