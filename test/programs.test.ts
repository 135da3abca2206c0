/**
 * Every program in programs/ compiles, and runs to an outcome under several schedulers and
 * seeds without an internal error (their `# expect:` lines are verified by `interleave check`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, run } from './helpers.js';

const dir = join(import.meta.dirname, '..', 'programs');
const small: Record<string, [string, string][]> = {
  'counter_race.py': [
    ['nthread', '3'],
    ['nloop', '50'],
  ],
};

describe('programs/', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
    it(`runs ${name} to an outcome under every scheduler`, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      expect(source).toMatch(/^# expect: /m);
      const program = compile(source, small[name] ?? [], `programs/${name}`);
      for (const scheduler of ['time-slice', 'uniform', 'round-robin'] as const) {
        for (let seed = 1; seed <= 5; seed++) {
          const r = run(program, { scheduler, seed });
          expect(['completed', 'deadlock']).toContain(r.execution.status);
        }
      }
    });
  }
});
