/**
 * The built script of a worker thread, next to the module that starts it. Workers always run
 * the tsc build: under the tests a module runs from its TypeScript source (src/…/x.ts), and
 * its worker is then dist/src/…/<name>. Throws an internal error when it is not built.
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `moduleUrl`: the starting module's `import.meta.url`; `name`: the worker's file name (`worker.js`). */
export function workerScript(moduleUrl: string, name: string): string {
  const file = fileURLToPath(moduleUrl);
  const dir = dirname(file);
  const src = dir.lastIndexOf(`${sep}src`);
  const built = file.endsWith('.ts')
    ? join(dir.slice(0, src), 'dist', dir.slice(src + 1), name)
    : join(dir, name);
  if (!existsSync(built)) throw new Error(`internal error: the worker ${built} is not built (npm run build)`);
  return built;
}
