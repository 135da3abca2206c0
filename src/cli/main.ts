/**
 * The `interleave` command line: a thin shell over src/api.
 *
 * Exit status: 0 ok, 1 a failure found, 2 bad input (a usage error, or a program that does
 * not parse or compile). User mistakes never print a stack trace; an internal error does,
 * and says it is one.
 */
import { Command, CommanderError } from 'commander';
import { DiagnosticsError, EXIT_BAD_INPUT, UsageError } from './common.js';
import { checkCommand } from './check-command.js';
import { disCommand } from './dis-command.js';
import { exploreCommand } from './explore-command.js';
import { hwCommand } from './hw-command.js';
import { runCommand } from './run-command.js';
import { stepCommand } from './step-command.js';

const VERSION = '0.1.0';

/**
 * The CLI. `track` receives the work an asynchronous command (hw) leaves running after its
 * action returns; by default its errors are reported as main reports them.
 */
export function buildProgram(
  track: (work: Promise<void>) => void = (work) => void work.catch(reportError),
): Command {
  const program = new Command('interleave')
    .description(
      'A deterministic interleaving simulator for threaded Python programs:\nsee where `counter += 1` loses updates, which lock cycle deadlocks, and replay any schedule.',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  interleave run programs/counter_race.py\n  interleave explore programs/counter_race.py --set nthread=2 --set nloop=3\n  interleave check programs/*.py\n  interleave hw programs/counter_race.py --set nthread=4 --set nloop=1000000\n  interleave dis programs/counter_race.py\n  interleave step programs/counter_race.py --set nthread=2 --set nloop=1',
    );
  program.addCommand(runCommand());
  program.addCommand(exploreCommand());
  program.addCommand(checkCommand());
  program.addCommand(hwCommand(track));
  program.addCommand(stepCommand(track));
  program.addCommand(disCommand());
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  return program;
}

let pipesWatched = false;

/**
 * `interleave run ... | head`: a closed pipe ends the command quietly. And pipes are made
 * blocking, as files and terminals already are: Node.js writes to a pipe asynchronously, so a
 * program printing a gigabyte in the VM's synchronous loop would queue all of it in memory and
 * then fail with ENOBUFS.
 */
function watchPipes(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    (stream as unknown as { _handle?: { setBlocking?: (on: boolean) => void } })._handle?.setBlocking?.(true);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/** Report an error that ended a command: exit 2 for bad input, 70 (and a stack) for an internal error. */
function reportError(err: unknown): void {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other commander error is bad input.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    return;
  }
  if (err instanceof DiagnosticsError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`interleave: ${err.message}\n`);
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  process.stderr.write(
    `interleave: internal error (please report it): ${(err as Error).stack ?? String(err)}\n`,
  );
  process.exitCode = 70;
}

/**
 * Run the CLI on `argv` (as process.argv: node, script, args...); sets process.exitCode.
 *
 * Parsing and every synchronous command finish before main returns (the exit code is set by
 * then). An asynchronous command (hw) goes on after: the promise settles when it has ended,
 * with its errors reported, and never rejects.
 */
export function main(argv: string[]): Promise<void> {
  watchPipes();
  const pending: Promise<void>[] = [];
  const program = buildProgram((work) => pending.push(work));
  try {
    program.parse(argv);
  } catch (err) {
    reportError(err);
  }
  return Promise.all(pending).then(() => undefined, reportError);
}
