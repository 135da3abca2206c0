/**
 * A progress bar on stderr (cli-progress) for searches that take more than a moment, only
 * when stderr is a terminal: it never mixes with the report on stdout or with piped output.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(executions: number, outcomes: number): void;
  stop(): void;
}

const QUIET: Progress = { update: () => {}, stop: () => {} };

/** A progress display that appears after `delayMs` (0.5 s) if the search is still running. */
export function progress(label: string, total: number | null, delayMs = 500): Progress {
  if (!process.stderr.isTTY) return QUIET;
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(executions, outcomes) {
      if (bar === null) {
        if (Date.now() - started < delayMs) return;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format:
              total === null
                ? `${label} {value} executions, {outcomes} outcomes, {duration_formatted}`
                : `${label} [{bar}] {value}/{total} executions, {outcomes} outcomes, eta {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total ?? 0, executions, { outcomes });
      }
      bar.update(executions, { outcomes });
    },
    stop() {
      bar?.stop();
    },
  };
}
