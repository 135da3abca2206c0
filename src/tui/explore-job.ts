/**
 * The exhaustive exploration behind the `e` key: every continuation of the steps taken so far
 * (DPOR with the prefix fixed, explore.ts), under a budget of executions and time. In the
 * terminal it runs in a worker thread, so the screen stays live and Esc cancels it at once;
 * `--keys` and the tests run it in place (the same function, the same result).
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../base/worker-script.js';
import type { CompiledProgram } from '../compile/ops.js';
import { exploreProgram } from '../explore/explore.js';
import { renderExploration, tableOrder } from '../report/exploration.js';
import { decodeSchedule, encodeSchedule, type Schedule } from '../schedule/schedule.js';

export interface ExploreRequest {
  /** The steps every explored execution starts with, or null from step 0. */
  prefix: Schedule | null;
  /** Budget: executions at most, and milliseconds at most (wall time, outside the VM). */
  maxExecutions: number;
  timeLimitMs: number;
}

/** The outcome table as `interleave explore` prints it, and each outcome's witness in table order. */
export interface ExploreResult {
  lines: string[];
  witnesses: Schedule[];
}

/** What the worker posts: progress now and then, then the result or the error. */
export type ExploreMessage =
  | { kind: 'progress'; executions: number; outcomes: number }
  | { kind: 'done'; lines: string[]; witnesses: string[] }
  | { kind: 'error'; message: string };

/** A running exploration: `cancel` stops it (its callbacks are not called after). */
export interface ExploreJob {
  cancel(): void;
}

export interface ExploreCallbacks {
  progress(executions: number, outcomes: number): void;
  done(result: ExploreResult): void;
  error(message: string): void;
}

/** Start an exploration of `program`'s continuations of `request.prefix`; how it runs is the explorer's. */
export type Explorer = (
  program: CompiledProgram,
  request: ExploreRequest,
  on: ExploreCallbacks,
) => ExploreJob;

/**
 * Explore in place. Throws ScheduleMismatch when the prefix does not fit the program.
 * `onProgress` gets the executions and outcomes so far, every so often.
 */
export function exploreNow(
  program: CompiledProgram,
  request: ExploreRequest,
  onProgress?: (executions: number, outcomes: number) => void,
): ExploreResult {
  const x = exploreProgram(program, {
    strategy: 'exhaustive',
    maxExecutions: request.maxExecutions,
    timeLimitMs: request.timeLimitMs,
    statefulFallback: {},
    ...(request.prefix === null ? {} : { prefix: request.prefix }),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  return {
    lines: renderExploration(program, x).trimEnd().split('\n'),
    witnesses: tableOrder(x).map((e) => e.witness.schedule),
  };
}

/** The explorer of `--keys` and tests: runs to the end before returning (cancel does nothing). */
export const exploreInPlace: Explorer = (program, request, on) => {
  try {
    on.done(exploreNow(program, request));
  } catch (err) {
    on.error(err instanceof Error ? err.message : String(err));
  }
  return { cancel: () => undefined };
};

/**
 * The explorer of the terminal: a worker thread compiles the program's source again (the same
 * compiler, so the same program and schedules) and explores; cancel terminates the worker.
 */
export const exploreInWorker: Explorer = (program, request, on) => {
  const worker = new Worker(workerScript(import.meta.url, 'explore-worker.js'), {
    workerData: {
      source: program.source,
      file: program.file,
      sets: program.sets,
      model: program.model,
      prefix: request.prefix === null ? null : encodeSchedule(request.prefix),
      maxExecutions: request.maxExecutions,
      timeLimitMs: request.timeLimitMs,
    },
  });
  let over = false;
  const finish = () => {
    over = true;
    void worker.terminate();
  };
  worker.on('message', (m: ExploreMessage) => {
    if (over) return;
    if (m.kind === 'progress') on.progress(m.executions, m.outcomes);
    else if (m.kind === 'error') {
      finish();
      on.error(m.message);
    } else {
      finish();
      on.done({ lines: m.lines, witnesses: m.witnesses.map(decodeOrThrow) });
    }
  });
  worker.on('error', (err) => {
    if (over) return;
    finish();
    on.error(err.message);
  });
  return { cancel: finish };
};

function decodeOrThrow(text: string): Schedule {
  const d = decodeSchedule(text);
  if ('error' in d) throw new Error(`internal error: a witness does not decode: ${d.error}`);
  return d.schedule;
}
