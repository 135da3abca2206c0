import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Tests exercise the build that ships (dist/, compiled by tsc), not a per-file transform of
 * src/: tsc inlines the `const enum` opcodes into the interpreter's switch, which a per-file
 * transform cannot, and without that the VM runs 20 to 30 times slower. `npm test` builds
 * first (the `pretest` script).
 */
const testTheBuild: Plugin = {
  name: 'test-the-build',
  enforce: 'pre',
  resolveId(source, importer) {
    if (importer === undefined || !source.startsWith('.')) return null;
    if (!path.relative(root, importer).startsWith('test')) return null;
    const rel = path.relative(root, path.resolve(path.dirname(importer), source));
    if (rel.startsWith(`src${path.sep}`) || rel.startsWith(`grammar${path.sep}`))
      return path.join(root, 'dist', rel);
    return null;
  },
};

/** Test files that run real threads, thousands of explorations, the README's full-size examples, or npm install. */
const SLOW = [
  'test/hw/**/*.test.ts',
  'test/explore/soundness*.test.ts',
  'test/explore/regressions.test.ts',
  'test/explore/invariant-soundness.test.ts',
  'test/readme.test.ts',
  'test/cli/verdicts.test.ts',
  'test/package/**/*.test.ts',
  'examples/peterson-seeds.test.ts',
];

export default defineConfig({
  plugins: [testTheBuild],
  test: {
    // Builds dist/ first when any source is newer than its build (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // `npm test` runs both projects; `npx vitest run --project fast` is the quick loop while
    // editing (about a minute), `--project slow` the real threads, soundness and README runs.
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'examples/**/*.test.ts'],
          exclude: SLOW,
        },
      },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
    // The suite must finish in a few minutes on 2 cores: forks keep workers isolated.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
