/**
 * A fixed prefix of executions: the steps every execution of an exhaustive search starts with,
 * when the search explores the continuations of one point of an execution (the terminal UI's
 * `e` key, `explore --prefix`). The prefix is a schedule (schedule/schedule.ts) whose items are
 * expanded into steps: `T*N` is N steps of thread T, `Tt` thread T's timeout transition, `T=i`
 * one step of T in which `random` takes option i.
 *
 * A prefix that does not fit the program is refused with a ScheduleMismatch (the step and why),
 * as `run --schedule` refuses a schedule: another program's fingerprint or execution model, a
 * thread that cannot take the step, a random choice where the program makes none (or the other
 * way round), a prefix longer than the execution.
 */
import type { CompiledProgram } from '../compile/ops.js';
import { replayRefusal, type Schedule } from '../schedule/schedule.js';
import { ScheduleMismatch } from '../schedule/strategies.js';
import type { Machine } from '../vm/machine.js';

/** One step of a prefix: a plain step, a timeout transition, or a step with a random choice. */
export interface PrefixStep {
  tid: number;
  kind: 'run' | 'timeout' | 'choice';
  /** The option of the random call (kind 'choice'), else −1. */
  option: number;
}

/**
 * The steps of `prefix`, one per step (a run of N steps gives N entries). Throws
 * ScheduleMismatch at step 0 when the prefix was recorded for another program or model.
 */
export function prefixSteps(
  prefix: Schedule,
  program: Pick<CompiledProgram, 'fingerprint' | 'model'>,
): PrefixStep[] {
  const refusal = replayRefusal(prefix, program);
  if (refusal !== null) throw new ScheduleMismatch(0, `the prefix does not fit: ${refusal}`);
  const out: PrefixStep[] = [];
  for (const item of prefix.items) {
    if (item.kind === 'run')
      for (let k = 0; k < item.count; k++) out.push({ tid: item.tid, kind: 'run', option: -1 });
    else if (item.kind === 'timeout') out.push({ tid: item.tid, kind: 'timeout', option: -1 });
    else out.push({ tid: item.tid, kind: 'choice', option: item.option });
  }
  return out;
}

/**
 * Check that step `index` of a prefix, `s`, can be taken on `machine` now (before taking it).
 * Throws ScheduleMismatch when it cannot.
 */
export function checkPrefixStep(machine: Machine, s: PrefixStep, index: number): void {
  const fail = (reason: string): never => {
    throw new ScheduleMismatch(index, `the prefix does not fit: ${reason}`);
  };
  if (machine.finished || machine.halt !== null)
    fail(`the program ended after ${index} steps, before the prefix did`);
  if (s.tid >= machine.threads.length)
    fail(`thread ${s.tid} does not exist (threads started so far: 0..${machine.threads.length - 1})`);
  const status = machine.status(s.tid);
  if (s.kind === 'timeout') {
    if (status !== 'timeout') fail(`thread ${s.tid} cannot time out here (it is ${status})`);
  } else if (status !== 'enabled') {
    const hint = status === 'timeout' ? `; it can only time out (write ${s.tid}t)` : '';
    fail(`thread ${s.tid} is not enabled (it is ${status}${hint})`);
  }
}

/**
 * Check, after step `index` of a prefix was taken, that it made the random choice the prefix
 * gives it: `choices` options (0 when the step made no `random` call). Throws ScheduleMismatch.
 */
export function checkPrefixChoice(s: PrefixStep, choices: number, index: number): void {
  if (s.kind === 'choice' && choices === 0)
    throw new ScheduleMismatch(
      index,
      'the prefix does not fit: it has a random choice here but the program made none',
    );
  if (s.kind === 'choice' && s.option >= choices)
    throw new ScheduleMismatch(
      index,
      `the prefix does not fit: choice ${s.option} is out of range: this random call has options 0..${choices - 1}`,
    );
  if (s.kind !== 'choice' && choices > 0)
    throw new ScheduleMismatch(
      index,
      'the prefix does not fit: the program makes a random choice here but the prefix has none (write T=i)',
    );
}
