/**
 * Schedules: the decisions of one execution, as plain data, and their text form
 * (docs/LANGUAGE.md, "Schedules").
 *
 * Text form, version 1, for example `v1:3fa2c1d0:0*12,1*3,2t,1=4,0*5`:
 *
 *   v1          the format version
 *   3fa2c1d0    the program's fingerprint (source + --set values + execution model)
 *   T*N         thread T takes N steps in a row (T alone: one step)
 *   Tt          thread T takes its timeout transition (its acquire/wait/join gives up)
 *   T=i         thread T takes one step in which `random` picks option i (0-based)
 *
 * Version 2 names the execution model (compile/model.ts) after the fingerprint, for example
 * `v2:3fa2c1d0:op/sc:0*12,1*3`. A v1 schedule was recorded under the default model (op/sc),
 * and schedules under the default model are still written as v1, so every schedule string
 * written before models existed stays valid and unchanged.
 *
 * Run-length keeps a 20-million-step run short; thread numbers keep it readable (0 is
 * MainThread, then threads in start order). Decoding never throws: errors are returned.
 */
import type { CompiledProgram } from '../compile/ops.js';
import {
  DEFAULT_MODEL,
  isDefaultModel,
  modelName,
  parseModelName,
  sameModel,
  type ExecutionModel,
} from '../compile/model.js';

export type ScheduleItem =
  | { kind: 'run'; tid: number; count: number }
  | { kind: 'timeout'; tid: number }
  | { kind: 'choice'; tid: number; option: number };

export interface Schedule {
  /** Text format: 1 (the default model, not named) or 2 (the model named). */
  version: 1 | 2;
  fingerprint: string;
  /** The execution model it was recorded under; absent means the default (op/sc), as in v1. */
  model?: ExecutionModel;
  items: ScheduleItem[];
}

/** The newest text format this interleave writes and reads (it reads every older one too). */
export const SCHEDULE_VERSION = 2;

/** The execution model a schedule was recorded under. */
export function scheduleModel(s: Schedule): ExecutionModel {
  return s.model ?? DEFAULT_MODEL;
}

/** A schedule of `items` for a program with `fingerprint` under `model`, in the format it is written in. */
export function makeSchedule(
  fingerprint: string,
  items: ScheduleItem[],
  model: ExecutionModel = DEFAULT_MODEL,
): Schedule {
  return isDefaultModel(model)
    ? { version: 1, fingerprint, items }
    : { version: 2, fingerprint, model, items };
}

/** Total steps a schedule describes. */
export function scheduleLength(s: Schedule): number {
  let n = 0;
  for (const item of s.items) n += item.kind === 'run' ? item.count : 1;
  return n;
}

/**
 * The first `steps` steps of `s` (all of it when it has fewer): a prefix of the execution it
 * describes, in the same format, for the same program. A run item is cut to the steps kept.
 */
export function truncateSchedule(s: Schedule, steps: number): Schedule {
  const items: ScheduleItem[] = [];
  let left = steps;
  for (const item of s.items) {
    if (left <= 0) break;
    if (item.kind === 'run') {
      const count = Math.min(item.count, left);
      items.push({ ...item, count });
      left -= count;
    } else {
      items.push(item);
      left--;
    }
  }
  return { ...s, items };
}

/** The text form: v1 under the default model (unless read as v2), v2 naming the model otherwise. */
export function encodeSchedule(s: Schedule): string {
  const parts = s.items.map((item) => {
    if (item.kind === 'timeout') return `${item.tid}t`;
    if (item.kind === 'choice') return `${item.tid}=${item.option}`;
    return item.count === 1 ? `${item.tid}` : `${item.tid}*${item.count}`;
  });
  const model = scheduleModel(s);
  if (s.version === 1 && isDefaultModel(model)) return `v1:${s.fingerprint}:${parts.join(',')}`;
  return `v2:${s.fingerprint}:${modelName(model)}:${parts.join(',')}`;
}

/** Parse the text form (v1 or v2); returns an error message (naming the bad part) instead of throwing. */
export function decodeSchedule(text: string): { schedule: Schedule } | { error: string } {
  const trimmed = text.trim();
  const m = /^v(\d+):([0-9a-f]{8}):(.*)$/s.exec(trimmed);
  if (m === null) {
    return { error: 'a schedule looks like v1:<8 hex digits>:<steps>, for example v1:3fa2c1d0:0*12,1*3,2' };
  }
  const version = Number(m[1]);
  if (version !== 1 && version !== 2) {
    return {
      error: `schedule format v${m[1]} is not supported (this interleave reads v1 to v${SCHEDULE_VERSION})`,
    };
  }
  let rest = m[3]!;
  let model: ExecutionModel | undefined;
  if (version === 2) {
    const colon = rest.indexOf(':');
    if (colon < 0)
      return {
        error:
          'a v2 schedule names its execution model: v2:<8 hex digits>:<model>:<steps>, for example v2:3fa2c1d0:op/sc:0*12,1',
      };
    const parsed = parseModelName(rest.slice(0, colon).trim());
    if ('error' in parsed) return parsed;
    model = parsed.model;
    rest = rest.slice(colon + 1);
  }
  const items: ScheduleItem[] = [];
  const body = rest.trim();
  if (body !== '') {
    const tokens = body.split(',');
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!.trim();
      const r = /^(\d+)(?:(\*)(\d+)|(t)|=(\d+))?$/.exec(token);
      if (r === null) return { error: `schedule item ${i + 1} '${token}' is not T, T*N, Tt or T=i` };
      const [tid, count, option] = [r[1], r[3], r[5]].map((x) => (x === undefined ? undefined : Number(x)));
      if ([tid, count, option].some((n) => n !== undefined && !Number.isSafeInteger(n)))
        return { error: `schedule item ${i + 1} '${token}': the number is too large` };
      if (r[4] !== undefined) items.push({ kind: 'timeout', tid: tid! });
      else if (option !== undefined) items.push({ kind: 'choice', tid: tid!, option });
      else if (count === 0)
        return { error: `schedule item ${i + 1} '${token}': a run needs at least one step` };
      else items.push({ kind: 'run', tid: tid!, count: count ?? 1 });
    }
  }
  const schedule: Schedule =
    model === undefined
      ? { version: 1, fingerprint: m[2]!, items }
      : { version: 2, fingerprint: m[2]!, model, items };
  return { schedule };
}

/**
 * Why `schedule` cannot be replayed on `program`, or null when it fits: it was recorded under
 * another execution model, or for another program or other --set values (another fingerprint).
 */
export function replayRefusal(
  schedule: Schedule,
  program: Pick<CompiledProgram, 'fingerprint' | 'model'>,
): string | null {
  const model = scheduleModel(schedule);
  if (!sameModel(model, program.model))
    return `the schedule was recorded under execution model ${modelName(model)}, and this program runs under ${modelName(program.model)}`;
  if (schedule.fingerprint !== program.fingerprint)
    return `the schedule was recorded for another program or other --set values (fingerprint ${schedule.fingerprint}, this program ${program.fingerprint})`;
  return null;
}

const RUN = 0;
const TIMEOUT = 1;
const CHOICE = 2;

/** A point in a recorder's schedule (ScheduleRecorder.mark). */
export interface RecorderMark {
  length: number;
  /** The last item's value then (a run's count can grow after the mark). */
  last: number;
}

/**
 * Builds a schedule while an execution runs, merging consecutive runs of one thread. Items are
 * kept in growable typed arrays (a uniform run of 10 million steps has millions of items) and
 * turned into objects only when asked. They are plain number arrays, not typed arrays: exhaustive
 * search makes one recorder per execution, and an ArrayBuffer per execution (external memory)
 * made V8 run a full garbage collection every few hundred executions (DPOR 2 to 4 times slower).
 */
export class ScheduleRecorder {
  // Typed arrays, grown by doubling: a full-size uniform run records millions of items, which
  // plain arrays store three times slower (and one interleaved Float64Array 40 % slower). They
  // start small because exhaustive search makes a recorder per execution.
  private kind = new Uint8Array(16);
  private tid = new Int32Array(16);
  private value = new Float64Array(16);
  private length = 0;
  private readonly choices = new Map<number, number>();

  constructor(
    readonly fingerprint: string,
    readonly model: ExecutionModel = DEFAULT_MODEL,
  ) {}

  /** Number of items so far. */
  get size(): number {
    return this.length;
  }

  /** A mark of the schedule so far, for `truncate` (items only grow, or the last run lengthens). */
  mark(): RecorderMark {
    return { length: this.length, last: this.length === 0 ? 0 : this.value[this.length - 1]! };
  }

  /** Go back to a mark taken earlier on this recorder: the steps after it are forgotten. */
  truncate(mark: RecorderMark): void {
    this.length = mark.length;
    if (mark.length > 0) this.value[mark.length - 1] = mark.last;
    if (this.choices.size > 0) this.choices.clear();
  }

  /** Start again from the items of `s` (a schedule of the same program, as recorded so far). */
  load(s: Schedule): void {
    this.length = 0;
    this.choices.clear();
    for (const item of s.items) {
      if (item.kind === 'run') this.push(RUN, item.tid, item.count);
      else if (item.kind === 'timeout') this.push(TIMEOUT, item.tid, 0);
      else this.push(CHOICE, item.tid, item.option);
    }
  }

  /** A random choice made during step `step`. */
  choice(step: number, option: number): void {
    this.choices.set(step, option);
  }

  /** Thread `tid` took steps [start, start + count); the first was a timeout when `timedOut`. */
  steps(tid: number, start: number, count: number, timedOut: boolean): void {
    let from = start;
    const end = start + count;
    if (timedOut) {
      this.push(TIMEOUT, tid, 0);
      from++;
    }
    if (this.choices.size > 0) {
      for (const [step, option] of [...this.choices].sort((a, b) => a[0] - b[0])) {
        if (step < from || step >= end) continue;
        this.pushRun(tid, step - from);
        this.push(CHOICE, tid, option);
        from = step + 1;
      }
      this.choices.clear();
    }
    this.pushRun(tid, end - from);
  }

  private pushRun(tid: number, count: number): void {
    if (count <= 0) return;
    const last = this.length - 1;
    if (last >= 0 && this.kind[last] === RUN && this.tid[last] === tid) this.value[last]! += count;
    else this.push(RUN, tid, count);
  }

  private push(kind: number, tid: number, value: number): void {
    if (this.length === this.kind.length) {
      const n = this.length * 2;
      const kinds = new Uint8Array(n);
      const tids = new Int32Array(n);
      const values = new Float64Array(n);
      kinds.set(this.kind);
      tids.set(this.tid);
      values.set(this.value);
      this.kind = kinds;
      this.tid = tids;
      this.value = values;
    }
    this.kind[this.length] = kind;
    this.tid[this.length] = tid;
    this.value[this.length] = value;
    this.length++;
  }

  schedule(): Schedule {
    const items: ScheduleItem[] = [];
    for (let i = 0; i < this.length; i++) {
      const tid = this.tid[i]!;
      const k = this.kind[i];
      if (k === RUN) items.push({ kind: 'run', tid, count: this.value[i]! });
      else if (k === TIMEOUT) items.push({ kind: 'timeout', tid });
      else items.push({ kind: 'choice', tid, option: this.value[i]! });
    }
    return makeSchedule(this.fingerprint, items, this.model);
  }
}
