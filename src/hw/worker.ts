/**
 * A worker of the hardware runner: it compiles the program's generated JavaScript once, then
 * waits on its mailbox word for a thread to run (tid + 1), runs it to its end, and waits
 * again. Everything it shares goes through the trial's SharedArrayBuffer; it only posts
 * messages (output, start requests, uncaught exceptions, thread ends) to the controller.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CompiledProgram } from '../compile/ops.js';
import { H, MAILBOX } from './memory.js';
import { HwRuntime, type CompiledFunction, type WorkerMessage } from './runtime.js';
import { HwUnsupported } from './types.js';

interface WorkerData {
  sab: SharedArrayBuffer;
  program: CompiledProgram;
  source: string;
  index: number;
}

const data = workerData as WorkerData;
const M = new Int32Array(data.sab);
const post = (m: WorkerMessage | { type: 'idle'; index: number }): void => parentPort!.postMessage(m);
const R = new HwRuntime(M, data.program, post);
// The source holds only integers spliced into fixed templates (src/hw/codegen.ts).
R.fns = new Function(`return ${data.source};`)() as CompiledFunction[];
const box = MAILBOX + data.index;
parentPort!.postMessage({ type: 'ready' });

for (;;) {
  Atomics.wait(M, box, 0);
  const v = Atomics.load(M, box);
  if (v < 0) break;
  // Tests only: die as a worker with a bug would (uncaught, outside the reporting below).
  if (Atomics.load(M, H.CRASH_TID) === v) throw new Error(`test crash of the worker running thread ${v - 1}`);
  try {
    R.runThread(v - 1);
  } catch (e) {
    const at = R.internalAt;
    const line = at === null ? 0 : data.program.codes[at[0]]!.spans[at[1] * 4]!;
    // An unsupported construct is the user's: `LINE: message` (the controller adds the file).
    if (e instanceof HwUnsupported) post({ type: 'unsupported', message: `${line}: ${e.message}` });
    else
      post({
        type: 'crash',
        message: `${(e as Error).stack ?? String(e)}${line > 0 ? ` (line ${line})` : ''}`,
      });
  }
  Atomics.store(M, box, 0);
  post({ type: 'idle', index: data.index });
}
