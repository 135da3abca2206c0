/**
 * The worker of `e` in the terminal (explore-job.ts exploreInWorker): compiles the program from
 * its source, explores the continuations of the prefix, and posts progress, then the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileSource } from '../compile/index.js';
import type { ExecutionModel } from '../compile/model.js';
import { decodeSchedule, encodeSchedule } from '../schedule/schedule.js';
import { exploreNow, type ExploreMessage } from './explore-job.js';

interface Data {
  source: string;
  file: string;
  sets: [string, string][];
  model: ExecutionModel;
  prefix: string | null;
  maxExecutions: number;
  timeLimitMs: number;
}

function post(m: ExploreMessage): void {
  parentPort!.postMessage(m);
}

function main(d: Data): void {
  const { program } = compileSource(d.source, d.file, d.sets, d.model);
  if (program === null) return post({ kind: 'error', message: 'the program no longer compiles' });
  let prefix = null;
  if (d.prefix !== null) {
    const decoded = decodeSchedule(d.prefix);
    if ('error' in decoded) return post({ kind: 'error', message: decoded.error });
    prefix = decoded.schedule;
  }
  const result = exploreNow(
    program,
    { prefix, maxExecutions: d.maxExecutions, timeLimitMs: d.timeLimitMs },
    (executions, outcomes) => post({ kind: 'progress', executions, outcomes }),
  );
  post({ kind: 'done', lines: result.lines, witnesses: result.witnesses.map(encodeSchedule) });
}

try {
  main(workerData as Data);
} catch (err) {
  post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
}
