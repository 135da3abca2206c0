/**
 * What the lock examples share: loading a program beside this file, mutual exclusion of
 * `critical()`, the fewest preemptions that fail it (by bounded exhaustive search), and
 * assertSchedules' failure for a seed.
 */
import { fileURLToPath } from 'node:url';
import { fewestFailingPreemptions, loadProgram, mutualExclusion, type CompiledProgram } from 'interleave-sim';
import { assertSchedules, ScheduleCheckFailure, type Property } from 'interleave-sim/fast-check';

export function load(name: string): CompiledProgram {
  const { program, diagnostics } = loadProgram(fileURLToPath(new URL(name, import.meta.url)));
  if (program === null) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return program;
}

export const exclusive = [mutualExclusion('critical')];
/** Mutual exclusion, and every entry counted (`entries` of them in all). */
export const lockProperty = (entries: number): Property => ({
  invariants: exclusive,
  end: (final) =>
    final.globals.count === entries || `count is ${String(final.globals.count)}, not ${entries}`,
});

/**
 * The fewest preemptions with which any execution fails mutual exclusion: the smallest
 * preemption bound at which the exhaustive search finds a failure (the oracle the shrunk
 * witnesses are held against).
 */
export function fewestPreemptions(program: CompiledProgram): number {
  const fewest = fewestFailingPreemptions(program, exclusive);
  if (fewest === null) throw new Error('no failure within 4 preemptions');
  return fewest;
}

/** assertSchedules' failure of mutual exclusion or of the count, or null when every schedule passed. */
export function failureOf(
  program: CompiledProgram,
  entries: number,
  seed: number,
): ScheduleCheckFailure | null {
  try {
    const counted = (_run: unknown, o: { values: Record<string, unknown> }) =>
      o.values.count === entries || `count is ${String(o.values.count)}, not ${entries}`;
    assertSchedules(program, counted, { invariants: exclusive, fc: { seed, numRuns: 1000 } });
    return null;
  } catch (err) {
    if (err instanceof ScheduleCheckFailure) return err;
    throw err;
  }
}
