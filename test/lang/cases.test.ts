import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/lang/parse.js';
import { checkSpans } from './helpers.js';

// The shared example programs live next to the repository; CI may not have them.
const dir = new URL('../../../shared/cases/', import.meta.url).pathname;
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.py')) : [];

describe.skipIf(!existsSync(dir))('the shared example programs', () => {
  it.each(files)('%s parses with no diagnostics and sound spans', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const { module, diagnostics } = parseProgram(source, file);
    expect(diagnostics).toEqual([]);
    expect(module?.body.length).toBeGreaterThan(0);
    checkSpans(source, module!.body);
  });
});
