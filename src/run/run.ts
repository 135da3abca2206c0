/**
 * One execution run through: load a program (a file, with --set values) and run it in a session
 * under a scheduler or a replayed schedule (session/execute.ts), with the analyses on. A
 * schedule recorded under another execution model or for another program is refused before
 * anything runs (ScheduleMismatch at step 0); one that stops fitting later is refused at its
 * step. The façade (src/index.ts) re-exports it; the CLI is a thin shell over it.
 */
import type { Invariant, InvariantViolation } from '../session/invariant.js';
import type { PrintedText } from '../session/session.js';
import { readFileSync, statSync } from 'node:fs';
import { compileSource } from '../compile/index.js';
import type { CompiledProgram } from '../compile/ops.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { execute, type ExecutionResult } from '../session/execute.js';
import { replayRefusal, type Schedule } from '../schedule/schedule.js';
import {
  ReplayStrategy,
  RoundRobinStrategy,
  ScheduleMismatch,
  TimeSliceStrategy,
  UniformStrategy,
  type Strategy,
} from '../schedule/strategies.js';
import { Session } from '../session/session.js';
import type { Machine, OutputSink, TraceEvent } from '../vm/machine.js';

export type SchedulerName = 'time-slice' | 'uniform' | 'round-robin';

/**
 * Default mean time slice, in steps: about CPython's 5 ms switch interval
 * (sys.getswitchinterval()) for the lesson's loop, which CPython 3.11 runs at roughly
 * 45 ns per visible step. With it a full-size run looks like a real one.
 */
export const DEFAULT_SLICE = 100_000;

/** Default step bound: 100 million steps (the lesson's locked counter takes 20 million). */
export const DEFAULT_MAX_STEPS = 100_000_000;

export const DEFAULT_SEED = 1;

export interface LoadResult {
  program: CompiledProgram | null;
  source: string;
  diagnostics: Diagnostic[];
}

/** Largest program file accepted, in bytes: thread programs are lesson-sized. */
export const MAX_SOURCE_BYTES = 1_000_000;

/** Why `file` is not a program we read (not a regular file, too large), or null. */
function unreadable(file: string): string | null {
  const stat = statSync(file);
  if (stat.isDirectory()) return 'it is a directory';
  if (!stat.isFile()) return 'it is not a regular file';
  if (stat.size > MAX_SOURCE_BYTES)
    return `it is ${stat.size.toLocaleString('en-US')} bytes; a program may have at most ${MAX_SOURCE_BYTES.toLocaleString('en-US')}`;
  return null;
}

/**
 * Read and compile `file` with `--set` values. E150 when the file cannot be read, is not a
 * regular file, is larger than MAX_SOURCE_BYTES, is not UTF-8 or holds NUL bytes (a binary).
 */
export function loadProgram(file: string, sets: readonly [string, string][] = []): LoadResult {
  let source: string;
  try {
    const refused = unreadable(file);
    if (refused !== null) return refuse(file, refused);
    source = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
    if (source.includes('\0')) return refuse(file, 'it is not a text file (it holds NUL bytes)');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ERR_ENCODING_INVALID_ENCODED_DATA'
        ? 'it is not valid UTF-8 text'
        : code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (err as Error).message;
    return refuse(file, reason);
  }
  if (source.startsWith('\uFEFF')) source = source.slice(1); // a UTF-8 byte order mark, as CPython allows
  const { program, diagnostics } = compileSource(source, file, sets);
  return { program, source, diagnostics };
}

function refuse(file: string, reason: string): LoadResult {
  return {
    program: null,
    source: '',
    diagnostics: [diagnostic('E150', `cannot read ${file}: ${reason}`, 0, 0)],
  };
}

export interface RunOptions {
  scheduler?: SchedulerName;
  seed?: number;
  /** Mean slice (time-slice) or quantum (round-robin), in steps. */
  slice?: number;
  /** Replay this schedule instead of scheduling. */
  schedule?: Schedule;
  /** Step bound (default DEFAULT_MAX_STEPS). */
  maxSteps?: number;
  /** Stop after this many steps (for re-executions that only need a prefix). */
  stopAtStep?: number;
  /** With `tracer`: trace only the steps in these sorted, inclusive [from, to] ranges. */
  traceRanges?: [number, number][];
  output?: OutputSink;
  tracer?: (e: TraceEvent) => void;
  /** Work bound in micro-ops (default DEFAULT_MAX_OPS; see MachineOptions.maxOps). */
  maxOps?: number;
  /** Loop iterations a thread may run without a visible op before the run stops (default maxOps / 20). */
  spinLimit?: number;
  /** Keep the lost-update and data-race analyses (default true). */
  analyses?: boolean;
  /** Called with the machine before the first step (to bind values, for instance). */
  prepare?: (machine: Machine) => void;
  /**
   * Invariants checked after every step (session/invariant.ts): the first failure is the
   * result's `violation`; the run goes on to its end.
   */
  invariants?: readonly Invariant[];
}

/** How the execution was scheduled, enough to name it in a replay command. */
export type SchedulerConfig =
  | { kind: 'time-slice' | 'uniform' | 'round-robin'; seed: number; slice: number }
  | { kind: 'replay'; schedule: Schedule };

export interface RunResult {
  program: CompiledProgram;
  machine: Machine;
  execution: ExecutionResult;
  config: SchedulerConfig;
  /** The invariants the run checked (none unless given in RunOptions). */
  invariants: readonly Invariant[];
  /** The first failure of an invariant, or null. */
  violation: InvariantViolation | null;
  /** What the program printed, in order (also sent to RunOptions.output as it printed). */
  printed?: readonly PrintedText[];
}

function strategyFor(config: SchedulerConfig): Strategy {
  switch (config.kind) {
    case 'uniform':
      return new UniformStrategy(config.seed);
    case 'round-robin':
      return new RoundRobinStrategy(config.slice);
    case 'time-slice':
      return new TimeSliceStrategy(config.seed, config.slice);
    case 'replay':
      return new ReplayStrategy(config.schedule);
  }
}

/** The scheduler configuration `options` describe (defaults filled in). */
export function schedulerConfig(options: RunOptions): SchedulerConfig {
  if (options.schedule !== undefined) return { kind: 'replay', schedule: options.schedule };
  const kind = options.scheduler ?? 'time-slice';
  const slice = options.slice ?? (kind === 'round-robin' ? 1 : DEFAULT_SLICE);
  return { kind, seed: options.seed ?? DEFAULT_SEED, slice };
}

/**
 * Run one execution. Throws ScheduleMismatch when a replayed schedule does not fit the
 * program (wrong fingerprint, or a step that names a thread that cannot run).
 */
export function runProgram(program: CompiledProgram, options: RunOptions = {}): RunResult {
  const config = schedulerConfig(options);
  const refusal = config.kind === 'replay' ? replayRefusal(config.schedule, program) : null;
  if (refusal !== null) throw new ScheduleMismatch(0, refusal);
  const analyses = options.analyses ?? true;
  const session = new Session(program, {
    checkpoints: false,
    output: options.output,
    machine: { maxOps: options.maxOps, spinLimit: options.spinLimit, lostUpdates: analyses, races: analyses },
    invariants: options.invariants,
  });
  const machine = session.machine;
  if (options.tracer !== undefined) machine.tracer = options.tracer;
  options.prepare?.(machine);
  const execution = execute(session, strategyFor(config), {
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    stopAtStep: options.stopAtStep,
    traceRanges: options.traceRanges,
  });
  if (execution.divergence !== null) throw ScheduleMismatch.of(execution.divergence);
  return {
    program,
    machine,
    execution,
    config,
    invariants: options.invariants ?? [],
    violation: session.violation,
    printed: session.printed,
  };
}
