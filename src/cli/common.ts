/**
 * What every command shares: loading a program (diagnostics → exit 2), option parsers, and
 * exit codes (0 ok, 1 a failure found, 2 bad input).
 */
import { mutualExclusion, type Invariant } from '../session/invariant.js';
import { InvalidArgumentError, Option } from 'commander';
import { loadProgram } from '../run/run.js';
import { parseSetOption } from '../compile/apply-sets.js';
import type { CompiledProgram } from '../compile/ops.js';
import { formatDiagnostics } from '../base/diagnostics.js';
import { readFileSync } from 'node:fs';
import { decodeSchedule, type Schedule } from '../schedule/schedule.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** An error in how the command was called: printed as `interleave: message`, exit 2. */
export class UsageError extends Error {}

/** A program that does not parse or compile: its formatted diagnostics are printed as they are, exit 2. */
export class DiagnosticsError extends Error {}

/** commander collector for repeatable `--set name=value`. */
export function collectSet(value: string, previous: [string, string][]): [string, string][] {
  const parsed = parseSetOption(value);
  if (parsed === null) throw new InvalidArgumentError(`expected name=value, got '${value}'`);
  return [...previous, parsed];
}

/** commander parser for a non-negative integer option. */
export function wholeNumber(value: string): number {
  if (!/^\d[\d_]*$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`'${value}' is too large`);
  return n;
}

/** commander parser for a seed: a 32-bit unsigned integer (larger ones would wrap around). */
export function seedNumber(value: string): number {
  const n = wholeNumber(value);
  if (n > 0xffffffff) throw new InvalidArgumentError('a seed is at most 4294967295');
  return n;
}

/** `--set name=value` (repeatable): replace a module-level constant before compiling. */
export function setOption(
  description = 'replace a module-level constant, e.g. --set nthread=2 (repeatable)',
): Option {
  return new Option('--set <name=value>', description).argParser(collectSet).default([]);
}

/** commander parser for a positive integer option. */
export function positiveNumber(value: string): number {
  const n = wholeNumber(value);
  if (n === 0) throw new InvalidArgumentError('expected a number of at least 1');
  return n;
}

/** commander parser for a positive number of seconds (fractions allowed, at most a day). */
export function positiveSeconds(value: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value))
    throw new InvalidArgumentError(`expected a number of seconds, got '${value}'`);
  const s = Number(value);
  if (s <= 0) throw new InvalidArgumentError('expected more than 0 seconds');
  if (s > 86_400) throw new InvalidArgumentError('at most 86400 seconds (a day)');
  return s;
}

/** Load and compile `file`; throws DiagnosticsError (exit 2) with the formatted diagnostics. */
export function loadOrThrow(file: string, sets: [string, string][]): CompiledProgram {
  const { program, source, diagnostics } = loadProgram(file, sets);
  if (program === null) throw new DiagnosticsError(formatDiagnostics(file, source, diagnostics));
  return program;
}

/**
 * A schedule given on the command line as text, or `@FILE` to read it from a file. Throws
 * UsageError (naming `flag`) when it cannot be read or parsed.
 */
export function readSchedule(text: string, flag: string): Schedule {
  let source = text;
  if (text.startsWith('@')) {
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch {
      throw new UsageError(`cannot read schedule file ${text.slice(1)}`);
    }
  }
  const decoded = decodeSchedule(source);
  if ('error' in decoded) throw new UsageError(`bad ${flag}: ${decoded.error}`);
  return decoded.schedule;
}

/** `--mutual-exclusion FUNCTION` (repeatable): no two threads inside that function at once. */
export function mutualExclusionOption(): Option {
  return new Option(
    '--mutual-exclusion <function>',
    'check after every step that no two threads are inside FUNCTION at once (repeatable)',
  ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/** The invariants `--mutual-exclusion` names; a function the program does not define is a usage error. */
export function mutualExclusions(program: CompiledProgram, functions: readonly string[]): Invariant[] {
  const defined = new Set(program.codes.map((c) => c.name));
  for (const fn of functions)
    if (!defined.has(fn) || fn === '<module>')
      throw new UsageError(`--mutual-exclusion ${fn}: ${program.file} defines no function named ${fn}`);
  return [...new Set(functions)].map((fn) => mutualExclusion(fn));
}
