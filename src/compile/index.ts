/**
 * The front half of the pipeline: source text → parse → `--set` → compile → CompiledProgram.
 *
 * Never throws for bad input: every problem in the program is a Diagnostic, and `program`
 * is null when there is any.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../base/diagnostics.js';
import { parseProgram } from '../lang/parse.js';
import { applySets } from './apply-sets.js';
import { Compiler } from './compiler.js';
import { DEFAULT_MODEL, isDefaultModel, modelName, type ExecutionModel } from './model.js';
import type { CompiledProgram } from './ops.js';

export interface CompileResult {
  program: CompiledProgram | null;
  diagnostics: Diagnostic[];
}

/**
 * A short hash (8 hex digits) of the source, the `--set` values and the execution model,
 * stamped on schedules. Under the default model the model is left out of the hash, so the
 * fingerprints of every schedule written before models existed stay valid.
 */
export function fingerprint(
  source: string,
  sets: readonly [string, string][],
  model: ExecutionModel = DEFAULT_MODEL,
): string {
  const h = createHash('sha256');
  h.update(source.replace(/\r\n?/g, '\n'));
  // The order of --set flags does not matter (the last value of a name wins, as when applied).
  const effective = new Map(sets);
  for (const name of [...effective.keys()].sort()) h.update(`\0${name}=${effective.get(name)}`);
  if (!isDefaultModel(model)) h.update(`\0\0model=${modelName(model)}`);
  return h.digest('hex').slice(0, 8);
}

/** Compile a program for `model`. `file` is used in diagnostics and tracebacks. */
export function compileSource(
  source: string,
  file: string,
  sets: readonly [string, string][] = [],
  model: ExecutionModel = DEFAULT_MODEL,
): CompileResult {
  const parsed = parseProgram(source, file);
  if (parsed.module === null || parsed.diagnostics.length > 0)
    return { program: null, diagnostics: parsed.diagnostics };
  const setErrors = applySets(parsed.module, sets);
  if (setErrors.length > 0) return { program: null, diagnostics: setErrors };
  const diagnostics: Diagnostic[] = [];
  const compiler = new Compiler(parsed.module, diagnostics);
  compiler.compile();
  if (diagnostics.length > 0) {
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    return { program: null, diagnostics };
  }
  return {
    program: {
      file,
      source,
      codes: compiler.codes,
      globalNames: compiler.globalNames,
      globalKinds: compiler.globalKinds,
      sets: [...sets],
      model,
      fingerprint: fingerprint(source, sets, model),
    },
    diagnostics: [],
  };
}
