/**
 * The controller of the hardware runner: runs a compiled program's threads on Node.js
 * worker_threads, one worker per Python thread, over one SharedArrayBuffer, trial after trial.
 *
 * The controller (the main Node.js thread) never runs Python code: it hands threads to
 * workers (a `start()` posts a request; an idle worker of the pool, or a new one, gets the
 * tid in its mailbox word), prints output in order of arrival, and keeps the watchdog. The
 * watchdog looks at the shared thread states every WATCH_MS: when every live thread is
 * blocked without a timeout on a lock, semaphore, condition, event or join, twice in a row,
 * the trial is a deadlock; past --timeout it is a timeout. Either way the workers of the trial
 * are terminated (no worker outlives a trial that did not end, nor the command) and the
 * next trial runs with fresh ones.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../base/worker-script.js';
import type { CompiledProgram } from '../compile/ops.js';
import type { EndState, ThreadError } from '../explore/outcomes.js';
import { dataGlobals } from '../vm/data-globals.js';
import { PyList, PyTuple, type Value } from '../semantics/values.js';
import { generateProgram } from './codegen.js';
import {
  Blocked,
  H,
  HeapKind,
  LOCK_OWNER,
  MAILBOX,
  MAX_WORKERS,
  NONE,
  THREADS,
  THREAD_WORDS,
  T_ARGS,
  T_BLOCKED,
  T_BLOCKED_ON,
  T_DAEMON,
  T_KWARGS,
  T_LINE,
  T_NAME,
  T_STATE,
  T_TARGET,
  T_TID,
  T_TIMED,
  ThreadLife,
  UNBOUND,
  allocate,
  newMemory,
  refAddr,
  resetMemory,
} from './memory.js';
import { HwRuntime, type WorkerMessage } from './runtime.js';
import {
  HwUnsupported,
  type UnfinishedThread,
  type HwOptions,
  type HwTrial,
  type MemoryMode,
} from './types.js';

const WATCH_MS = 50;
const IDLE_WAIT_MS = 200;
/** Extra workers started when a thread has to wait for a new one. */
const PREFETCH_WORKERS = 4;
/** Workers spawned before the first trial (later trials: as many as the last one used). */
const FIRST_POOL = 4;
const DEFAULT_TIMEOUT_S = 10;

let alive = 0;

/** Workers of this process that have not exited yet (every call of runOnHardware leaves 0). */
export function liveWorkers(): number {
  return alive;
}

type Message = WorkerMessage | { type: 'idle'; index: number } | { type: 'ready' };

interface PooledWorker {
  worker: Worker;
  index: number;
  /** The tid it runs, or -1 when idle. */
  tid: number;
  /** Whether it has compiled the program and waits on its mailbox. */
  ready: boolean;
  booted?: () => void;
}

interface TrialState {
  index: number;
  exceptions: Map<number, ThreadError>;
  ended: Set<number>;
  failure: { kind: 'unsupported' | 'crash'; message: string } | null;
  /** Time spent waiting for new workers to come online during the trial (ms). */
  spawnMs: number;
  settle: () => void;
}

/** A pool of workers over one shared memory; workers are reused from trial to trial. */
class Pool {
  private readonly workers: PooledWorker[] = [];
  private readonly freeIndices: number[] = [];
  private nextIndex = 0;
  private trial: TrialState | null = null;
  private readonly script = workerScript(import.meta.url, 'worker.js');
  private readonly source: string;
  /** The controller's view of shared memory (decoding final values and names). */
  private readonly view: HwRuntime;

  constructor(
    private readonly M: Int32Array,
    private readonly program: CompiledProgram,
    memory: MemoryMode,
    private readonly onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  ) {
    this.source = generateProgram(program, memory);
    this.view = new HwRuntime(M, program, () => {});
  }

  private spawn(): PooledWorker {
    const index = this.freeIndices.pop() ?? this.nextIndex++;
    if (index >= MAX_WORKERS) throw new HwUnsupported(`the program starts more than ${MAX_WORKERS} threads`);
    Atomics.store(this.M, MAILBOX + index, 0);
    const worker = new Worker(this.script, {
      workerData: { sab: this.M.buffer, program: this.program, source: this.source, index },
      stdout: false,
      stderr: false,
    });
    alive++;
    worker.once('exit', () => alive--);
    const pooled: PooledWorker = { worker, index, tid: -1, ready: false };
    // Booting a worker is the runner's time, not the program's: a trial that waits for one
    // does not count that time toward --timeout.
    const trial = this.trial;
    const since = performance.now();
    pooled.booted = () => {
      pooled.ready = true;
      if (trial !== null && this.trial === trial && pooled.tid >= 0)
        trial.spawnMs += performance.now() - since;
    };
    worker.on('message', (m: Message) => this.onMessage(pooled, m));
    worker.on('error', (err) => {
      const t = this.trial;
      if (t !== null && pooled.tid >= 0) {
        t.failure ??= {
          kind: 'crash',
          message: `worker running thread ${pooled.tid} died: ${err.stack ?? String(err)}`,
        };
        t.settle();
      }
    });
    this.workers.push(pooled);
    return pooled;
  }

  private onMessage(w: PooledWorker, m: Message): void {
    const t = this.trial;
    switch (m.type) {
      case 'output':
        this.onOutput(m.stream, m.text);
        return;
      case 'start':
        this.dispatch(m.tid);
        return;
      case 'exception':
        t?.exceptions.set(m.tid, { thread: m.thread, classes: m.classes, text: m.text });
        return;
      case 'ended':
        if (t !== null && m.trial === t.index) {
          t.ended.add(m.tid);
          t.settle();
        }
        return;
      case 'idle':
        w.tid = -1;
        return;
      case 'ready':
        w.booted?.();
        return;
      case 'unsupported':
      case 'crash':
        if (t !== null) {
          t.failure ??= { kind: m.type, message: m.message };
          t.settle();
        }
        return;
    }
  }

  /** Hand thread `tid` to an idle worker, or to a new one. */
  private dispatch(tid: number): void {
    let w = this.workers.find((x) => x.tid === -1);
    if (w === undefined) {
      // A thread waits for a new worker: start a few more at once (threads are usually started
      // in a loop, and the two cores can boot workers side by side).
      const ahead = Math.min(PREFETCH_WORKERS, this.workers.length);
      w = this.spawn();
      for (let i = 0; i < ahead; i++) this.spawn();
    }
    w.tid = tid;
    Atomics.store(this.M, MAILBOX + w.index, tid + 1);
    Atomics.notify(this.M, MAILBOX + w.index);
  }

  /**
   * Before a trial: wait (at most IDLE_WAIT_MS) for the workers of the last trial to report
   * idle, then make sure `n` idle workers exist. Spawning a worker takes tens of ms: done here,
   * before the trial's clock starts, a thread's start() does not wait for it.
   */
  async warm(n: number): Promise<void> {
    const deadline = performance.now() + IDLE_WAIT_MS;
    while (this.workers.some((w) => w.tid !== -1) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 1));
    const fresh: Promise<void>[] = [];
    let idle = this.workers.filter((w) => w.tid === -1).length;
    for (; idle < n; idle++) {
      const w = this.spawn();
      fresh.push(
        new Promise((resolve) => {
          const booted = w.booted;
          w.booted = () => {
            booted?.();
            resolve();
          };
        }),
      );
    }
    await Promise.all(fresh);
  }

  /** Run one trial of at most `timeoutMs`. */
  async run(index: number, plain: boolean, timeoutMs: number, crashTid = -1): Promise<HwTrial> {
    const M = this.M;
    const program = this.program;
    resetMemory(M, program.globalNames.length, index, plain);
    M[H.CRASH_TID] = crashTid + 1;
    new Float64Array(M.buffer, H.EPOCH * 4, 1)[0] = performance.timeOrigin + performance.now();
    this.view.beginTrial(index);
    // MainThread's THREAD object.
    const main = allocate(M, THREAD_WORDS);
    M[main + T_NAME] = this.view.encode('MainThread');
    M[main + T_TARGET] = NONE;
    M[main + T_ARGS] = NONE;
    M[main + T_KWARGS] = NONE;
    M[main + T_STATE] = ThreadLife.Starting;
    M[main + T_TID] = 0;
    Atomics.store(M, main, HeapKind.Thread);
    M[THREADS] = main;
    M[H.STARTED] = 1;
    M[H.LIVE] = 1;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const state: TrialState = {
      index,
      exceptions: new Map(),
      ended: new Set(),
      failure: null,
      spawnMs: 0,
      settle: () => {
        if (state.failure !== null || this.programEnded(state)) done();
      },
    };
    this.trial = state;
    const startedAt = performance.now();
    this.dispatch(0);
    let status = 'completed' as HwTrial['status'];
    let previous = '';
    const watchdog = setInterval(() => {
      const blocked = this.deadlockSignature();
      if (blocked !== null && blocked === previous) {
        status = 'deadlock';
        done();
      } else if (performance.now() - startedAt - state.spawnMs > timeoutMs) {
        status = 'timeout';
        done();
      }
      previous = blocked ?? '';
    }, WATCH_MS);
    await finished;
    clearInterval(watchdog);
    const ms = performance.now() - startedAt;
    const threads = Atomics.load(M, H.STARTED);
    if (state.failure?.kind === 'unsupported') {
      await this.stopBusy();
      this.trial = null;
      throw new HwUnsupported(state.failure.message);
    }
    if (state.failure !== null) status = 'crashed';
    const blocked = status === 'completed' ? [] : this.blockedThreads();
    const end: EndState | null =
      status === 'completed' || status === 'deadlock' ? this.endState(status, state) : null;
    // Threads still running (daemons at program end, or a stuck trial) die with their workers.
    await this.stopBusy();
    this.trial = null;
    return { index, status, end, blocked, crash: state.failure?.message ?? null, ms, threads };
  }

  /** Whether MainThread and every non-daemon thread have ended (and their messages arrived). */
  private programEnded(t: TrialState): boolean {
    if (!t.ended.has(0)) return false;
    const M = this.M;
    for (let tid = 1; tid < Atomics.load(M, H.STARTED); tid++) {
      const a = Atomics.load(M, THREADS + tid);
      if (a !== 0 && M[a + T_DAEMON] === 0 && !t.ended.has(tid)) return false;
    }
    return true;
  }

  /** A text that names every live thread's wait, when all of them wait without a timeout; else null. */
  private deadlockSignature(): string | null {
    const M = this.M;
    const parts: string[] = [];
    let live = 0;
    for (let tid = 0; tid < Atomics.load(M, H.STARTED); tid++) {
      const a = Atomics.load(M, THREADS + tid);
      if (a === 0) return null;
      const s = Atomics.load(M, a + T_STATE);
      if (s === ThreadLife.Stopped) continue;
      if (s !== ThreadLife.Started) return null;
      live++;
      const kind = Atomics.load(M, a + T_BLOCKED) as Blocked;
      if (kind === Blocked.Running || kind === Blocked.Sleep || Atomics.load(M, a + T_TIMED) === 1)
        return null;
      parts.push(`${tid}:${kind}:${M[a + T_BLOCKED_ON]}`);
    }
    return live === 0 ? null : parts.join(',');
  }

  private nameOf(threadAddr: number): string {
    return this.view.decode(this.M[threadAddr + T_NAME]!) as string;
  }

  /** The global that holds word `w`, for naming a lock or event; or a description. */
  private globalName(w: number, what: string): string {
    const M = this.M;
    const G = M[H.GLOBALS]!;
    const i = this.program.globalNames.findIndex((_, j) => M[G + j] === w);
    return i >= 0 ? `${what} ${this.program.globalNames[i]}` : `a ${what}`;
  }

  /** What each live thread waits for (or `running`), from the shared state. */
  private blockedThreads(): UnfinishedThread[] {
    const M = this.M;
    const out: UnfinishedThread[] = [];
    for (let tid = 0; tid < Atomics.load(M, H.STARTED); tid++) {
      const a = Atomics.load(M, THREADS + tid);
      if (a === 0 || Atomics.load(M, a + T_STATE) === ThreadLife.Stopped) continue;
      const kind = Atomics.load(M, a + T_BLOCKED) as Blocked;
      const on = M[a + T_BLOCKED_ON]!;
      let waitsFor = 'running';
      let heldBy: string | null = null;
      switch (kind) {
        case Blocked.Lock: {
          waitsFor = this.globalName(on, 'lock');
          const owner = Atomics.load(M, refAddr(on) + LOCK_OWNER);
          const ownerAddr = owner >= 0 ? Atomics.load(M, THREADS + owner) : 0;
          heldBy = ownerAddr !== 0 ? this.nameOf(ownerAddr) : null;
          break;
        }
        case Blocked.Semaphore:
          waitsFor = this.globalName(on, 'semaphore');
          break;
        case Blocked.Condition:
          waitsFor = this.globalName(on, 'condition');
          break;
        case Blocked.Event:
          waitsFor = this.globalName(on, 'event');
          break;
        case Blocked.Join:
        case Blocked.Shutdown:
          waitsFor = `${kind === Blocked.Join ? 'join' : 'the end of'} ${this.nameOf(refAddr(on))}`;
          break;
        case Blocked.Sleep:
          waitsFor = 'sleep';
          break;
        default:
          break;
      }
      out.push({
        thread: this.nameOf(a),
        waitsFor,
        line: kind === Blocked.Running ? 0 : M[a + T_LINE]!,
        heldBy,
      });
    }
    return out;
  }

  /** The end state in the simulator's terms (src/explore/outcomes.ts endState). */
  private endState(status: 'completed' | 'deadlock', t: TrialState): EndState {
    const M = this.M;
    const G = M[H.GLOBALS]!;
    const values = new Map<string, Value>();
    this.program.globalNames.forEach((name, i) => {
      const w = Atomics.load(M, G + i);
      if (w === UNBOUND) return;
      values.set(name, snapshot(this.view.decode(w)));
    });
    const exceptions = [...t.exceptions.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
    return { status, globals: dataGlobals(values), values, exceptions, races: [] };
  }

  /** Terminate the workers still running a thread (stuck, daemon, or of a failed trial). */
  private async stopBusy(): Promise<void> {
    const busy = this.workers.filter((w) => w.tid !== -1 && Atomics.load(this.M, MAILBOX + w.index) !== 0);
    await Promise.all(busy.map((w) => this.remove(w)));
  }

  private async remove(w: PooledWorker): Promise<void> {
    this.workers.splice(this.workers.indexOf(w), 1);
    await w.worker.terminate();
    Atomics.store(this.M, MAILBOX + w.index, 0);
    this.freeIndices.push(w.index);
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => this.remove(w)));
  }
}

/** A thread-free copy of a shared value (lists read out of shared memory, cycles kept), for reports. */
function snapshot(v: Value, copies = new Map<PyList, PyList>(), depth = 0): Value {
  // Deeper than repr shows (it stops at 1,000 levels): keep the shared value itself.
  if (depth > 1000) return v;
  if (v instanceof PyList) {
    let copy = copies.get(v);
    if (copy === undefined) {
      copy = new PyList(v.id, []);
      copies.set(v, copy);
      copy.items = [...v.items].map((x) => snapshot(x, copies, depth + 1));
    }
    return copy;
  }
  if (v instanceof PyTuple) return new PyTuple(v.items.map((x) => snapshot(x, copies, depth + 1)));
  return v;
}

/**
 * Run `program` on real threads, `options.trials` times (default 10). Returns one HwTrial per
 * trial, in order. Throws HwUnsupported when the program puts into shared memory what the
 * runner cannot hold (a dict, an exception object...). Every worker is gone when it returns.
 */
export async function runOnHardware(program: CompiledProgram, options: HwOptions = {}): Promise<HwTrial[]> {
  const trials = options.trials ?? 10;
  const memory = options.memory ?? 'sc';
  const timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000;
  const pool = new Pool(newMemory(), program, memory, options.onOutput ?? (() => {}));
  const out: HwTrial[] = [];
  try {
    for (let i = 1; i <= trials; i++) {
      await pool.warm(out[out.length - 1]?.threads ?? FIRST_POOL);
      const trial = await pool.run(i, memory === 'plain', timeoutMs, options.crashThreadForTest);
      out.push(trial);
      options.onTrial?.(trial);
    }
  } finally {
    await pool.close();
  }
  return out;
}
