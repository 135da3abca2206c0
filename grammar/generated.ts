/**
 * What is generated from the grammar, as text: the syntax diagrams (`diagrams.html`) and the
 * TypeScript shapes of the CST (`cst.d.ts`) that `src/lang/build-ast.ts` reads. The scripts
 * `write-diagrams.ts` and `write-cst-types.ts` write them; a test checks that the checked-in
 * copies match the grammar.
 */
import { createSyntaxDiagramsCode, generateCstDts } from './chevrotain.js';
import { format, resolveConfig } from 'prettier';
import { fileURLToPath } from 'node:url';
import { threadParser } from './parser.js';

/** Paths of the generated files, next to this module's source in `grammar/`. */
export function generatedPath(name: 'diagrams.html' | 'cst.d.ts'): string {
  // Compiled to dist/grammar/ by the scripts, run from grammar/ by vitest: both sit two
  // levels or one level below the repository root.
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.includes('/dist/') ? new URL('../../', import.meta.url) : new URL('../', import.meta.url);
  return fileURLToPath(new URL(`grammar/${name}`, root));
}

/** The chevrotain railroad diagrams of every rule, as a standalone HTML page. */
export function diagramsHtml(): string {
  return createSyntaxDiagramsCode(threadParser().getSerializedGastProductions());
}

/** The CST node and children types of every rule, formatted with the project's prettier config. */
export async function cstTypesSource(): Promise<string> {
  const dts = generateCstDts(threadParser().getGAstProductions(), { includeVisitorInterface: false })
    // Without the visitor interface the import of ICstVisitor is unused.
    .replace('ICstVisitor, ', '');
  const banner = '// Generated from grammar/parser.ts by grammar/write-cst-types.ts: do not edit.\n';
  const options = (await resolveConfig(generatedPath('cst.d.ts'))) ?? {};
  return format(banner + dts, { ...options, parser: 'typescript' });
}
