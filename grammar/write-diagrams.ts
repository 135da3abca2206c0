/**
 * `npm run diagrams`: write the grammar's syntax diagrams to grammar/diagrams.html.
 * Open the file in a browser to see every rule as a railroad diagram.
 */
import { writeFileSync } from 'node:fs';
import { diagramsHtml, generatedPath } from './generated.js';

const path = generatedPath('diagrams.html');
writeFileSync(path, diagramsHtml());
console.log(`wrote ${path}`);
