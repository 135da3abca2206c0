/**
 * Chevrotain, loaded from the single-file ESM bundle that the package ships
 * (`lib/chevrotain.mjs`, the same code as its entry point).
 *
 * Why: the package's entry (`lib/src/api.js`) is a tree of about 300 ES modules (lodash-es
 * included), and Node spends around half a second resolving them at every start of the CLI.
 * The bundle loads in about 40 ms. The package's `exports` map does not list the bundle, so
 * it is found next to the resolved entry. Every grammar file imports chevrotain from here,
 * never from 'chevrotain' directly (types excepted), so that only one copy is ever loaded.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

const entry = createRequire(import.meta.url).resolve('chevrotain');
const bundle = pathToFileURL(join(dirname(entry), '..', 'chevrotain.mjs')).href;
const chevrotain = (await import(bundle)) as typeof Chevrotain;

export const CstParser = chevrotain.CstParser;
export type CstParser = Chevrotain.CstParser;
export const Lexer = chevrotain.Lexer;
export type Lexer = Chevrotain.Lexer;
export const createToken = chevrotain.createToken;
export const createTokenInstance = chevrotain.createTokenInstance;
export const EOF = chevrotain.EOF;
export const tokenLabel = chevrotain.tokenLabel;
export const createSyntaxDiagramsCode = chevrotain.createSyntaxDiagramsCode;
export const generateCstDts = chevrotain.generateCstDts;
