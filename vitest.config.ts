import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The suite must finish in a few minutes on 2 cores: forks keep workers isolated.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
