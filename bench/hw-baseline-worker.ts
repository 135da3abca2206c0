/**
 * The baseline of the hardware bench (bench/hw.ts): one of `threads` workers doing by hand the
 * accesses `counter += 1` makes on real threads, `nloop` times: a load and a store of the
 * tagged int (value << 1, so + 2) in word COUNTER of a shared Int32Array, with Atomics (`sc`)
 * or plain typed-array accesses (`plain`).
 *
 * Rounds: for round r (1-based) the worker counts itself in READY, waits until the main thread
 * stores r in GO (the common start barrier), runs its loop, and counts itself in DONE (the
 * main thread waits on it). READY and DONE are cumulative over rounds, so nothing is reset.
 * A worker that fails sets FAILED and wakes the main thread, then dies of its error.
 */
import { workerData } from 'node:worker_threads';

/** Words of the shared Int32Array (COUNTER on its own cache line, away from the control words). */
export const GO = 0;
export const READY = 1;
export const DONE = 2;
/** Set to 1 by a worker that failed (the main thread, blocked in Atomics.wait, looks at it). */
export const FAILED = 3;
export const COUNTER = 16;
export const WORDS = 32;

export interface BaselineData {
  sab: SharedArrayBuffer;
  memory: 'sc' | 'plain';
  nloop: number;
  rounds: number;
}

function scLoop(M: Int32Array, nloop: number): void {
  for (let i = 0; i < nloop; i++) {
    const v = Atomics.load(M, COUNTER);
    Atomics.store(M, COUNTER, v + 2);
  }
}

function plainLoop(M: Int32Array, nloop: number): void {
  for (let i = 0; i < nloop; i++) M[COUNTER] = M[COUNTER]! + 2;
}

function main(data: BaselineData): void {
  const M = new Int32Array(data.sab);
  const loop = data.memory === 'sc' ? scLoop : plainLoop;
  for (let r = 1; r <= data.rounds; r++) {
    Atomics.add(M, READY, 1);
    Atomics.notify(M, READY);
    for (let go = Atomics.load(M, GO); go < r; go = Atomics.load(M, GO)) Atomics.wait(M, GO, go);
    loop(M, data.nloop);
    Atomics.add(M, DONE, 1);
    Atomics.notify(M, DONE);
  }
}

// Imported by bench/hw.ts for the word numbers only; run as a worker it has workerData.
if (workerData !== null && workerData !== undefined) {
  const data = workerData as BaselineData;
  try {
    main(data);
  } catch (e) {
    const M = new Int32Array(data.sab);
    Atomics.store(M, FAILED, 1);
    Atomics.notify(M, READY);
    Atomics.notify(M, DONE);
    throw e;
  }
}
