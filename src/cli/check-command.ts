/**
 * `interleave check FILE...`: verify every `# expect:` line of each file, per line: holds,
 * violated (with the witness and its replay command), or not proven (with the bound that
 * stopped the search). Exit status 0 only when every line of every file holds; 1 when a line
 * is violated or not proven; 2 when a file could not be checked (it does not compile, or has
 * no `# expect:` lines) and no line failed. Every file that can be checked is checked.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { checkProgram, type LineResult } from '../check/check.js';
import { parseExpectations } from '../check/expectations.js';
import { replayFor } from '../run/replay-command.js';
import {
  setOption,
  DiagnosticsError,
  EXIT_BAD_INPUT,
  EXIT_FAILURE,
  EXIT_OK,
  loadOrThrow,
  positiveNumber,
  wholeNumber,
} from './common.js';

interface CheckFlags {
  set: [string, string][];
  maxExecutions?: number;
  timeLimit?: number;
  preemptionBound?: number;
  maxSteps?: number;
  json?: boolean;
  shrink: boolean;
}

const MARK: Record<LineResult['verdict'], string> = {
  holds: '✓ holds',
  violated: '✗ violated',
  'not proven': '? not proven',
};

export function checkCommand(): Command {
  return new Command('check')
    .description(
      'verify the `# expect:` lines of each program: holds, violated (with a witness), or not proven',
    )
    .argument('<files...>', 'thread programs (.py)')
    .addOption(setOption('replace a module-level constant in every file (repeatable)'))
    .option('--max-executions <n>', 'bound of the exhaustive search (default 100,000)', positiveNumber)
    .option('--time-limit <seconds>', 'time bound of each search (default 20)', positiveNumber)
    .option('--preemption-bound <k>', 'only explore executions with at most k preemptions', wholeNumber)
    .option(
      '--max-steps <n>',
      'steps per execution in the exhaustive search (default 20,000; longer ones go to a stateful search)',
      positiveNumber,
    )
    .option('--json', 'print the verdicts as JSON')
    .option('--no-shrink', 'show the witnesses as the search found them, not shrunk to fewer preemptions')
    .action((files: string[], flags: CheckFlags) => {
      let failed = false;
      const unchecked: string[] = [];
      const json: object[] = [];
      for (const file of files) {
        // A file that cannot be checked is reported, and the others are still checked.
        let program;
        try {
          program = loadOrThrow(file, flags.set);
        } catch (err) {
          if (!(err instanceof DiagnosticsError)) throw err;
          process.stderr.write(`${err.message}\n`);
          unchecked.push(file);
          if (flags.json) json.push({ file, error: err.message, lines: [] });
          continue;
        }
        const { expectations, errors } = parseExpectations(readFileSync(file, 'utf8'));
        if (expectations.length === 0 && errors.length === 0) {
          // Nothing to verify is not a pass: `check` never reports unproven as holding.
          unchecked.push(file);
          if (flags.json) json.push({ file, error: 'no `# expect:` lines', lines: [] });
          else process.stdout.write(`${file}\n  no \`# expect:\` lines: nothing to verify\n`);
          continue;
        }
        const result = checkProgram(program, expectations, {
          maxExecutions: flags.maxExecutions,
          timeLimitMs: flags.timeLimit === undefined ? undefined : flags.timeLimit * 1000,
          preemptionBound: flags.preemptionBound,
          maxSteps: flags.maxSteps,
          ...(flags.shrink ? {} : { shrink: false as const }),
        });
        if (errors.length > 0 || result.lines.some((l) => l.verdict !== 'holds')) failed = true;
        if (flags.json) {
          json.push({
            file,
            executions: result.executions,
            complete: result.complete,
            errors,
            lines: result.lines.map((l) => ({
              line: l.expectation.line,
              expectation: l.expectation.text,
              verdict: l.verdict,
              detail: l.detail,
              replay: l.witness === null ? null : replayFor(program, l.witness),
              ...(l.witness?.shrunkFrom === undefined
                ? {}
                : { preemptions: l.witness.preemptions, shrunkFrom: l.witness.shrunkFrom }),
            })),
          });
          continue;
        }
        const out: string[] = [`${file}  (${result.stages.join(', ')})`];

        for (const e of errors) out.push(`  line ${e.line}: ✗ ${e.message}`);
        for (const l of result.lines) {
          out.push(`  line ${l.expectation.line}: ${MARK[l.verdict]}  ${l.expectation.text}`);
          const w = l.witness;
          const shrunk =
            w === null || w.shrunkFrom === undefined || l.verdict === 'holds'
              ? ''
              : ` (witness with ${w.preemptions} preemption${w.preemptions === 1 ? '' : 's'}, shrunk from ${w.shrunkFrom})`;
          if (l.verdict !== 'holds' || l.expectation.kind === 'outcomes')
            out.push(`      ${l.detail}${shrunk}`);
          if (l.witness !== null && l.verdict !== 'holds') out.push(`      ${replayFor(program, l.witness)}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      else {
        const checked = files.length - unchecked.length;
        const summary = failed
          ? 'not every expectation holds'
          : checked > 0
            ? `every expectation holds (${checked} file${checked === 1 ? '' : 's'})`
            : 'nothing was checked';
        const skipped =
          unchecked.length === 0
            ? ''
            : `; ${unchecked.length} file${unchecked.length === 1 ? '' : 's'} could not be checked: ${unchecked.join(', ')}`;
        process.stdout.write(`\n${summary}${skipped}\n`);
      }
      // One rule for every command: 1 when a claim does not hold or is not proven, else 2 when
      // some input could not be checked, else 0.
      process.exitCode = failed ? EXIT_FAILURE : unchecked.length > 0 ? EXIT_BAD_INPUT : EXIT_OK;
    });
}
