import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/lang/parse.js';
import { checkSpans } from './helpers.js';

// The acceptance programs (docs/LANGUAGE.md) live in test/cases.
const dir = new URL('../cases/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.py'));

describe('the acceptance programs of test/cases', () => {
  it('are all there', () => expect(files.length).toBe(14));

  it.each(files)('%s parses with no diagnostics and sound spans', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const { module, diagnostics } = parseProgram(source, file);
    expect(diagnostics).toEqual([]);
    expect(module?.body.length).toBeGreaterThan(0);
    checkSpans(source, module!.body);
  });
});
