import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compile/index.js';
import { runProgram } from '../../src/run/run.js';

// Each golden/*.py is run by CPython (golden/regenerate.sh) into *.expected; the VM must print
// the same bytes. These programs are sequential, or join each thread right after starting it,
// so every schedule gives CPython's output.
const dir = join(import.meta.dirname, 'golden');

describe('the VM matches CPython on sequential programs', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
    it(`prints what CPython prints for ${file}`, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const { program, diagnostics } = compileSource(source, file);
      expect(diagnostics).toEqual([]);
      let out = '';
      for (const scheduler of ['time-slice', 'uniform'] as const) {
        out = '';
        const result = runProgram(program!, { scheduler, seed: 5, output: (_s, text) => void (out += text) });
        expect(result.execution.status).toBe('completed');
        expect(out).toBe(readFileSync(join(dir, file.replace(/\.py$/, '.expected')), 'utf8'));
      }
    });
  }
});
