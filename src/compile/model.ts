/**
 * The execution model a program is compiled for: where a thread may be switched out (its
 * switch points) and what a read may see of other threads' writes (its memory model), as one
 * value. It is part of a run's identity: the compiled program carries it, the schedule string
 * names it, and a schedule recorded under one model is refused by a program of another.
 *
 * One model exists today: a switch may come before any visible micro-op (`op`), and memory is
 * sequentially consistent (`sc`). Later models add names to SWITCH_POINTS and MEMORY_MODELS
 * (CPython's own switch points, a TSO store buffer).
 */

/** Where a thread may lose the CPU: `op`, before any visible micro-op. */
export const SWITCH_POINTS = ['op'] as const;
export type SwitchPoints = (typeof SWITCH_POINTS)[number];

/** What reads see: `sc`, sequential consistency (every read sees the latest write). */
export const MEMORY_MODELS = ['sc'] as const;
export type MemoryModel = (typeof MEMORY_MODELS)[number];

/** Switch points and memory model together. Compare with sameModel, name with modelName. */
export interface ExecutionModel {
  readonly switchPoints: SwitchPoints;
  readonly memory: MemoryModel;
}

/** The model of every program today (`op/sc`); schedules under it are written as format v1. */
export const DEFAULT_MODEL: ExecutionModel = Object.freeze({ switchPoints: 'op', memory: 'sc' });

/** The text form, `SWITCHPOINTS/MEMORY`, e.g. `op/sc`: what schedules and messages show. */
export function modelName(model: ExecutionModel): string {
  return `${model.switchPoints}/${model.memory}`;
}

export function sameModel(a: ExecutionModel, b: ExecutionModel): boolean {
  return a.switchPoints === b.switchPoints && a.memory === b.memory;
}

export function isDefaultModel(model: ExecutionModel): boolean {
  return sameModel(model, DEFAULT_MODEL);
}

/** Read a model name (`op/sc`); an unknown or malformed name is an error naming the known ones. */
export function parseModelName(text: string): { model: ExecutionModel } | { error: string } {
  const parts = text.split('/');
  const known = `known switch points: ${SWITCH_POINTS.join(', ')}; memory models: ${MEMORY_MODELS.join(', ')}`;
  if (parts.length !== 2)
    return {
      error: `execution model '${text}' is not SWITCHPOINTS/MEMORY, for example ${modelName(DEFAULT_MODEL)}`,
    };
  const [switchPoints, memory] = parts as [string, string];
  if (!(SWITCH_POINTS as readonly string[]).includes(switchPoints))
    return { error: `unknown switch points '${switchPoints}' in execution model '${text}' (${known})` };
  if (!(MEMORY_MODELS as readonly string[]).includes(memory))
    return { error: `unknown memory model '${memory}' in execution model '${text}' (${known})` };
  return { model: { switchPoints: switchPoints as SwitchPoints, memory: memory as MemoryModel } };
}
