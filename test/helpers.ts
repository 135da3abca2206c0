/** Shared test helpers: compile a source text, run it, capture its output. */
import { runProgram, type RunOptions, type RunResult } from '../src/run/run.js';
import { compileSource } from '../src/compile/index.js';
import type { CompiledProgram } from '../src/compile/ops.js';
import { formatDiagnostics } from '../src/base/diagnostics.js';

/** Compile `source`; fails the test with the formatted diagnostics if it does not compile. */
export function compile(source: string, sets: [string, string][] = [], file = 'test.py'): CompiledProgram {
  const { program, diagnostics } = compileSource(source, file, sets);
  if (program === null) throw new Error(formatDiagnostics(file, source, diagnostics));
  return program;
}

/** Run a program, returning the result and everything it printed (stdout and stderr interleaved). */
export function run(
  program: CompiledProgram | string,
  options: RunOptions = {},
): RunResult & { out: string; stdout: string } {
  const p = typeof program === 'string' ? compile(program) : program;
  let out = '';
  let stdout = '';
  const result = runProgram(p, {
    ...options,
    output: (stream, text) => {
      out += text;
      if (stream === 'stdout') stdout += text;
    },
  });
  return { ...result, out, stdout };
}

/** Dedent a template literal so tests can indent Python naturally. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** Two threads that each do `counter += 1` once, started and joined by a list comprehension. */
export const TWO_INCREMENTS = `import threading
counter = 0
def inc():
    global counter
    counter += 1
ts = [threading.Thread(target=inc) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
`;
