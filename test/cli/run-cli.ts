/** Run the CLI in-process, capturing what it writes and its exit status. */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(...args: string[]): CliResult {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    main(['node', 'interleave', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

/** Split a printed replay command line into arguments (it quotes with single quotes only). */
export function replayArgs(stdout: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith('replay: '));
  if (line === undefined) throw new Error('no replay line');
  const words = line.slice('replay: npx interleave '.length).match(/'[^']*'|\S+/g) ?? [];
  return words.map((w) => (w.startsWith("'") ? w.slice(1, -1) : w));
}
