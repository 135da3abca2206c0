/**
 * The one command line that replays an execution exactly (docs/LANGUAGE.md: "Every failure the
 * tool reports ends with the one command line that replays it").
 */
import type { CompiledProgram } from '../compile/ops.js';
import { DEFAULT_MAX_STEPS, DEFAULT_SLICE, type SchedulerConfig } from './run.js';
import { DEFAULT_MAX_OPS } from '../vm/machine.js';
import { encodeSchedule, type Schedule } from '../schedule/schedule.js';

/** Quote `arg` for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The bounds of a run, in steps and in micro-ops; flags are added only where not the default. */
export interface RunBounds {
  maxSteps: number;
  maxOps: number;
}

/** `npx interleave run FILE [--set k=v]... <scheduler flags> [--max-steps N] [--max-ops N]`. */
export function replayCommand(
  file: string,
  sets: readonly [string, string][],
  config: SchedulerConfig,
  bounds: RunBounds = { maxSteps: DEFAULT_MAX_STEPS, maxOps: DEFAULT_MAX_OPS },
): string {
  const args = ['npx', 'interleave', 'run', file];
  for (const [k, v] of sets) args.push('--set', `${k}=${v}`);
  if (config.kind === 'replay') args.push('--schedule', encodeSchedule(config.schedule));
  else {
    if (config.kind !== 'time-slice') args.push('--scheduler', config.kind);
    const defaultSlice = config.kind === 'round-robin' ? 1 : DEFAULT_SLICE;
    if (config.kind !== 'uniform' && config.slice !== defaultSlice)
      args.push('--slice', String(config.slice));
    if (config.kind !== 'round-robin') args.push('--seed', String(config.seed));
  }
  if (bounds.maxSteps !== DEFAULT_MAX_STEPS) args.push('--max-steps', String(bounds.maxSteps));
  if (bounds.maxOps !== DEFAULT_MAX_OPS) args.push('--max-ops', String(bounds.maxOps));
  return args.map(shellQuote).join(' ');
}

/** The replay command of a witness, with the `--max-steps` it needs when it was cut by the step bound. */
export function replayFor(
  program: CompiledProgram,
  witness: { schedule: Schedule; maxSteps?: number },
): string {
  const bounds =
    witness.maxSteps === undefined ? undefined : { maxSteps: witness.maxSteps, maxOps: DEFAULT_MAX_OPS };
  return replayCommand(program.file, program.sets, { kind: 'replay', schedule: witness.schedule }, bounds);
}

/** The `--mutual-exclusion FUNCTION` words a replay command needs to check the same invariants (empty without them). */
export function mutualExclusionArgs(functions: readonly string[]): string {
  return [...new Set(functions)].map((fn) => ` --mutual-exclusion ${fn}`).join('');
}
