/**
 * `interleave explore FILE`: many executions; the table of distinct outcomes, each with a
 * witness and its replay command, the data races, and a coverage line. Exit status 1 when an
 * outcome is a failure (a deadlock, an uncaught exception, an execution that did not end within
 * the step bound) or a data race was seen; 0 otherwise; 2 for bad input.
 */
import { Command, Option } from 'commander';
import { exploreProgram, isFailure, type StrategyName } from '../explore/explore.js';
import { explorationJson, renderExploration } from '../report/exploration.js';
import {
  mutualExclusionOption,
  mutualExclusions,
  setOption,
  EXIT_FAILURE,
  EXIT_OK,
  loadOrThrow,
  positiveNumber,
  readSchedule,
  seedNumber,
  UsageError,
  wholeNumber,
} from './common.js';
import { progress } from './progress.js';
import { ScheduleMismatch } from '../schedule/strategies.js';

interface ExploreFlags {
  strategy: StrategyName;
  set: [string, string][];
  runs: number;
  seed: number;
  depth: number;
  maxExecutions?: number;
  timeLimit?: number;
  preemptionBound?: number;
  maxSteps?: number;
  prefix?: string;
  json?: boolean;
  shrink: boolean;
  mutualExclusion?: string[];
}

export function exploreCommand(): Command {
  return new Command('explore')
    .description('explore many executions and list the distinct outcomes, with a replayable witness for each')
    .argument('<file>', 'a thread program (.py)')
    .addOption(
      new Option(
        '--strategy <name>',
        'exhaustive (optimal DPOR: every interleaving up to equivalence), random, or pct',
      )
        .choices(['exhaustive', 'random', 'pct'])
        .default('exhaustive'),
    )
    .addOption(setOption())
    .addOption(mutualExclusionOption())
    .option('--runs <n>', 'random and pct: number of runs', positiveNumber, 1000)
    .option('--seed <n>', 'random and pct: seed of the first run (run i uses seed + i − 1)', seedNumber, 1)
    .option('--depth <d>', 'pct: bug depth d (d − 1 priority change points)', positiveNumber, 2)
    .option('--max-executions <n>', 'exhaustive: stop after n executions', positiveNumber)
    .option('--time-limit <seconds>', 'stop after this many seconds', positiveNumber)
    .option('--preemption-bound <k>', 'exhaustive: only executions with at most k preemptions', wholeNumber)
    .option(
      '--max-steps <n>',
      'steps per execution before it is cut (default 100,000 exhaustive, 100 million runs)',
      positiveNumber,
    )
    .option(
      '--prefix <schedule>',
      'exhaustive: explore only the continuations of this schedule (every execution starts with it), or @FILE',
    )
    .option('--json', 'print the exploration as JSON')
    .option(
      '--no-shrink',
      'random and pct: show the witnesses as the runs found them, not shrunk to fewer preemptions',
    )
    .action((file: string, flags: ExploreFlags) => {
      const program = loadOrThrow(file, flags.set);
      const invariants = mutualExclusions(program, flags.mutualExclusion ?? []);
      if (flags.prefix !== undefined && flags.strategy !== 'exhaustive')
        throw new UsageError('--prefix applies to the exhaustive strategy only');
      const prefix = flags.prefix === undefined ? undefined : readSchedule(flags.prefix, '--prefix');
      const bar = flags.json
        ? progress('', null, Infinity)
        : progress(
            `exploring ${file}`,
            flags.strategy === 'exhaustive' ? (flags.maxExecutions ?? null) : flags.runs,
          );
      const explore = (): ReturnType<typeof exploreProgram> => {
        try {
          return exploreProgram(program, {
            strategy: flags.strategy,
            runs: flags.runs,
            seed: flags.seed,
            depth: flags.depth,
            maxExecutions: flags.maxExecutions,
            timeLimitMs: flags.timeLimit === undefined ? undefined : flags.timeLimit * 1000,
            preemptionBound: flags.preemptionBound,
            maxSteps: flags.maxSteps,
            // Spin loops: the stateful search takes over from DPOR, as in `check`.
            statefulFallback: { livelocks: true },
            prefix,
            invariants,
            ...(flags.shrink ? {} : { shrink: false as const }),
            onProgress: (executions, outcomes) => bar.update(executions, outcomes),
          });
        } catch (err) {
          if (err instanceof ScheduleMismatch) throw new UsageError(err.message);
          throw err;
        } finally {
          bar.stop();
        }
      };
      const x = explore();
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(explorationJson(program, x, flags.mutualExclusion ?? []), null, 2)}\n`
          : renderExploration(program, x, flags.mutualExclusion ?? []),
      );
      // No outcome at all is a failure too: no execution of the program ever ends.
      const failed =
        x.table.entries.length === 0 ||
        x.table.entries.some((e) => isFailure(e.state)) ||
        x.table.races.size > 0 ||
        x.table.violations.size > 0 ||
        (x.stateful?.livelock ?? null) !== null;
      process.exitCode = failed ? EXIT_FAILURE : EXIT_OK;
    });
}
