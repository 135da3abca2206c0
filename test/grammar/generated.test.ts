import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cstTypesSource, diagramsHtml, generatedPath } from '../../grammar/generated.js';

describe('the files generated from the grammar', () => {
  it('include CST types that match the grammar (regenerate: node dist/grammar/write-cst-types.js)', async () => {
    expect(readFileSync(generatedPath('cst.d.ts'), 'utf8')).toBe(await cstTypesSource());
  });

  it('include syntax diagrams that match the grammar (regenerate: npm run diagrams)', () => {
    expect(readFileSync(generatedPath('diagrams.html'), 'utf8')).toBe(diagramsHtml());
  });
});
