/**
 * Tests run the build (dist/, see vitest.config.ts), so they must never run a stale one: however
 * vitest is started (`npm test`, `npx vitest run`, an editor), this builds first when any source
 * file is newer than its compiled file, or has none.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Source files (relative to the root) whose compiled .js in dist/ is missing or older. */
export function staleSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const built = path.join(root, 'dist', rel.replace(/\.tsx?$/, '.js'));
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path.join(root, rel)).mtimeMs)
          out.push(rel);
      }
    }
  };
  for (const dir of ['src', 'grammar', 'bench']) walk(dir);
  return out;
}

export default function setup(): void {
  const stale = staleSources();
  if (stale.length === 0) return;
  process.stderr.write(
    `dist is older than src (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}): building with tsc -p tsconfig.build.json\n`,
  );
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
