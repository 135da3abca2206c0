/**
 * `interleave step`'s two ways to run: in a terminal (the ink app, until `q`), or without one,
 * applying `--keys` and printing the final frame as plain text. The CLI loads this module with
 * a dynamic import(), so `run` and `explore` never load react or ink.
 */
import { createElement } from 'react';
import { render } from 'ink';
import type { CompiledProgram } from '../compile/ops.js';
import { App } from './app.js';
import { Controller, type StepConfig } from './controller.js';
import { exploreInWorker } from './explore-job.js';
import type { Key } from './keys.js';
import { buildFrame, frameLines } from './layout.js';

export { Controller, type StepConfig } from './controller.js';

/**
 * Apply `keys` (parsed from `--keys`, keys.ts parseKeys) from step 0. Returns the final frame
 * as text, `columns` × `rows − 1` lines, and whether the execution so far has gone wrong
 * (Controller.failure: the exit status 1).
 */
export function screenAfterKeys(
  program: CompiledProgram,
  config: StepConfig,
  keys: readonly Key[],
  columns = 80,
  rows = 24,
): { text: string; failed: boolean } {
  const c = new Controller(program, config);
  for (const k of keys) {
    c.press(k);
    if (c.quit) break;
  }
  return { text: `${frameLines(buildFrame(c, columns, rows)).join('\n')}\n`, failed: c.failure() !== null };
}

/**
 * Run the UI in the terminal until `q` or Ctrl-C; then the terminal is restored (ink leaves raw
 * mode) and the command that replays the execution up to the current step is printed, with
 * what went wrong, if anything. Returns whether something did (Controller.failure).
 */
export async function runInTerminal(program: CompiledProgram, config: StepConfig): Promise<boolean> {
  const controller = new Controller(program, config, exploreInWorker);
  const plain = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const app = render(createElement(App, { controller, plain }), { exitOnCtrlC: false, patchConsole: false });
  await app.waitUntilExit();
  controller.cancelExploration();
  app.cleanup();
  const failure = controller.failure();
  if (failure !== null) process.stdout.write(`at step ${controller.step}: ${failure}\n`);
  process.stdout.write(`replay: ${controller.replayCommand()}\n`);
  return failure !== null;
}
