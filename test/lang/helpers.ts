/** Shared helpers for the parser tests: parse and compare AST shapes without spans. */
import { expect } from 'vitest';
import type { Expr, Stmt } from '../../src/lang/ast.js';
import type { Diagnostic } from '../../src/base/diagnostics.js';
import { parseProgram } from '../../src/lang/parse.js';

/** A copy of `value` without any `span` field, for shape assertions. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'span')
      .map(([key, v]) => [key, withoutSpans(v)]),
  );
}

/** The statements of a program that must parse cleanly. */
export function statements(source: string): Stmt[] {
  const { module, diagnostics } = parseProgram(source, 'test.py');
  expect(diagnostics).toEqual([]);
  return module!.body;
}

/** The statements without spans. */
export function shape(source: string): unknown {
  return withoutSpans(statements(source));
}

/** The value of the one expression statement (or assignment) of `source`, spans included. */
export function expr(source: string): Expr {
  const [stmt] = statements(source.endsWith('\n') ? source : `${source}\n`);
  if (stmt?.kind === 'Expr' || stmt?.kind === 'Assign') return stmt.value;
  throw new Error(`not an expression statement: ${source}`);
}

/** The diagnostics of a program that must not parse. */
export function errors(source: string): Diagnostic[] {
  const { module, diagnostics } = parseProgram(source, 'test.py');
  expect(module).toBeNull();
  return diagnostics;
}

/** The first diagnostic as `[code, line, col, message]`. */
export function firstError(source: string): [string, number, number, string] {
  const d = errors(source)[0]!;
  return [d.code, d.line, d.col, d.message];
}

/** Every object with a `kind` below `root` (statements, expressions), in no particular order. */
export function nodes(root: unknown): { kind: string; span?: unknown; [key: string]: unknown }[] {
  const out: { kind: string; [key: string]: unknown }[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      if (typeof (v as { kind?: unknown }).kind === 'string') out.push(v as { kind: string });
      Object.values(v).forEach(visit);
    }
  };
  visit(root);
  return out;
}

/**
 * Check the spans of a parsed module against its source: every node has one, it is not
 * empty, and a name's span covers exactly the name's text.
 */
export function checkSpans(source: string, body: Stmt[]): void {
  const lines = source.split(/\r\n|\r|\n/);
  for (const node of nodes(body)) {
    const span = node.span as { line: number; col: number; endLine: number; endCol: number } | undefined;
    expect(span, node.kind).toBeDefined();
    const { line, col, endLine, endCol } = span!;
    expect(line).toBeGreaterThanOrEqual(1);
    expect(col).toBeGreaterThanOrEqual(1);
    expect(endLine > line || (endLine === line && endCol > col), `${node.kind} span is empty`).toBe(true);
    if (node.kind === 'Name') expect(lines[line - 1]!.slice(col - 1, endCol - 1)).toBe(node.id);
  }
}
