/**
 * `# expect:` lines (docs/LANGUAGE.md, "Expectations"): parsing, and evaluation against the
 * distinct outcomes of an exploration.
 *
 *   # expect: outcomes counter = {2..4}        the exact set of final values of counter
 *   # expect: always counter == 4              a Python expression over final globals
 *   # expect: sometimes counter == 2
 *   # expect: never deadlock | sometimes deadlock
 *   # expect: sometimes exception RuntimeError
 *   # expect: sometimes race counter | never race
 *
 * Expressions are evaluated by the VM itself: `__expect__ = (EXPR)` compiled and run with the
 * outcome's final globals, so they mean exactly what they mean in Python.
 */
import { compileSource } from '../compile/index.js';
import type { CompiledProgram } from '../compile/ops.js';
import { parseExpression } from '../lang/parse.js';
import { runProgram } from '../run/run.js';
import { repr } from '../semantics/format.js';
import { isTruthy, type Value } from '../semantics/values.js';

export type Quantifier = 'always' | 'never' | 'sometimes';

export type Predicate =
  | { kind: 'expr'; text: string }
  | { kind: 'deadlock' }
  | { kind: 'exception'; type: string }
  | { kind: 'race'; cell: string | null };

export type Expectation =
  | { kind: 'quantified'; line: number; text: string; quantifier: Quantifier; predicate: Predicate }
  | { kind: 'outcomes'; line: number; text: string; name: string; values: string[] };

export interface ExpectationError {
  line: number;
  message: string;
}

/** Parse `{2..6}` / `{1, 3, 'a'}` into the reprs of its values; null if malformed. */
function parseValueSet(text: string): string[] | null {
  const m = /^\{(.*)\}$/s.exec(text.trim());
  if (m === null) return null;
  const out: string[] = [];
  if (m[1]!.trim() === '') return out;
  for (const part of m[1]!.split(',')) {
    const range = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/.exec(part);
    if (range !== null) {
      const [lo, hi] = [Number(range[1]), Number(range[2])];
      if (hi < lo || hi - lo > 100_000) return null;
      for (let v = lo; v <= hi; v++) out.push(String(v));
      continue;
    }
    const value = literalRepr(part.trim());
    if (value === null) return null;
    out.push(value);
  }
  return out;
}

/** The repr of a Python literal, computed by the VM; null if it is not one. */
function literalRepr(text: string): string | null {
  const parsed = parseExpression(text);
  if (parsed.expr === null) return null;
  const result = evaluate(text, new Map());
  return 'value' in result ? repr(result.value) : null;
}

/** Parse every `# expect:` line of a program source. */
export function parseExpectations(source: string): {
  expectations: Expectation[];
  errors: ExpectationError[];
} {
  const expectations: Expectation[] = [];
  const errors: ExpectationError[] = [];
  source.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const m = /^\s*#\s*expect:\s*(.*?)\s*$/.exec(raw);
    if (m === null) return;
    const line = i + 1;
    const text = m[1]!;
    const outcomes = /^outcomes\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\{.*\})$/.exec(text);
    if (outcomes !== null) {
      const values = parseValueSet(outcomes[2]!);
      if (values === null)
        errors.push({ line, message: `bad value set ${outcomes[2]}: use {a..b} or {1, 3}` });
      else expectations.push({ kind: 'outcomes', line, text, name: outcomes[1]!, values });
      return;
    }
    const q = /^(always|never|sometimes)\s+(.+)$/.exec(text);
    if (q === null) {
      errors.push({
        line,
        message: `cannot read '${text}': expected outcomes NAME = {...}, or always/never/sometimes followed by a condition`,
      });
      return;
    }
    const quantifier = q[1] as Quantifier;
    const rest = q[2]!.trim();
    let predicate: Predicate;
    let r: RegExpExecArray | null;
    if (rest === 'deadlock') predicate = { kind: 'deadlock' };
    else if ((r = /^exception\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(rest)) !== null)
      predicate = { kind: 'exception', type: r[1]! };
    else if ((r = /^race(?:\s+([A-Za-z_][A-Za-z0-9_]*))?$/.exec(rest)) !== null)
      predicate = { kind: 'race', cell: r[1] ?? null };
    else {
      const parsed = parseExpression(rest);
      if (parsed.expr === null) {
        errors.push({
          line,
          message: `'${rest}' is not a Python expression: ${parsed.diagnostics[0]?.message ?? 'syntax error'}`,
        });
        return;
      }
      predicate = { kind: 'expr', text: rest };
    }
    expectations.push({ kind: 'quantified', line, text, quantifier, predicate });
  });
  return { expectations, errors };
}

const compiled = new Map<string, CompiledProgram | null>();

/**
 * Evaluate a Python expression with `globals` bound, by running `__expect__ = (EXPR)` on the
 * VM. Returns the value, or the exception it raised as text.
 */
export function evaluate(expr: string, globals: Map<string, Value>): { value: Value } | { error: string } {
  let program = compiled.get(expr);
  if (program === undefined) {
    program = compileSource(`__expect__ = (${expr})\n`, '<expect>').program;
    compiled.set(expr, program);
  }
  if (program === null) return { error: `cannot compile '${expr}'` };
  let stderr = '';
  const result = runProgram(program, {
    scheduler: 'round-robin',
    maxSteps: 1_000_000,
    analyses: false,
    output: (stream, text) => void (stream === 'stderr' ? (stderr += text) : undefined),
    prepare: (machine) => {
      program!.globalNames.forEach((name, i) => {
        const v = globals.get(name);
        if (v !== undefined) machine.globals[i] = v;
      });
    },
  });
  const value = result.machine.finalGlobals().get('__expect__');
  if (value === undefined) return { error: stderr.trim().split('\n').pop() ?? 'evaluation failed' };
  return { value };
}

/** Whether `expr` is true in a state with `globals`; an exception counts as an error. */
export function holdsIn(expr: string, globals: Map<string, Value>): boolean | { error: string } {
  const r = evaluate(expr, globals);
  return 'error' in r ? r : isTruthy(r.value);
}
