/**
 * Write the CST types to grammar/cst.d.ts after a change to the grammar:
 *
 *     npx tsc -p tsconfig.build.json && node dist/grammar/write-cst-types.js
 *
 * test/grammar/generated.test.ts fails while the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { cstTypesSource, generatedPath } from './generated.js';

const path = generatedPath('cst.d.ts');
writeFileSync(path, await cstTypesSource());
console.log(`wrote ${path}`);
