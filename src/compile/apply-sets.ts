/**
 * `--set name=value` (docs/LANGUAGE.md, "Parameters"): replace the value of a module-level constant
 * assignment before compiling, so `counter_race.py --set nthread=2 --set nloop=3` explores a
 * small instance while the file keeps the lesson's sizes.
 *
 * A constant is a literal (number, string, bool, None, or a tuple/list of them, with unary
 * minus). `counter, nthread, nloop = 0, 100, 50_000` counts: each name of a tuple target whose
 * value is a tuple display of constants. Errors are E140 diagnostics at line 0.
 */
import type { AssignStmt, Expr, Module, Stmt } from '../lang/ast.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { parseExpression } from '../lang/parse.js';

function isConstant(x: Expr): boolean {
  switch (x.kind) {
    case 'Int':
    case 'Float':
    case 'Str':
    case 'Bool':
    case 'None':
      return true;
    case 'UnaryOp':
      return (x.op === '-' || x.op === '+') && (x.operand.kind === 'Int' || x.operand.kind === 'Float');
    case 'Tuple':
    case 'List':
      return x.elts.every(isConstant);
    default:
      return false;
  }
}

/** Whether `target` binds `name` (directly or inside a tuple or list target). */
function binds(target: Expr, name: string): boolean {
  if (target.kind === 'Name') return target.id === name;
  if (target.kind === 'Tuple' || target.kind === 'List') return target.elts.some((t) => binds(t, name));
  return false;
}

/**
 * Replace, in `stmt`, the constant bound to `name` by `value`; returns whether it did, or
 * 'chained' for `a = b = 1` (the targets share one value, so replacing it would change them all).
 */
function replaceIn(stmt: AssignStmt, name: string, value: Expr): boolean | 'chained' {
  if (stmt.targets.length > 1 && stmt.targets.some((t) => binds(t as Expr, name))) return 'chained';
  let done = false;
  for (const target of stmt.targets) {
    if (target.kind === 'Name' && target.id === name && isConstant(stmt.value)) {
      stmt.value = { ...value, span: stmt.value.span } as Expr;
      done = true;
    } else if ((target.kind === 'Tuple' || target.kind === 'List') && stmt.value.kind === 'Tuple') {
      const elts = stmt.value.elts;
      if (elts.length !== target.elts.length) continue;
      target.elts.forEach((t, i) => {
        if (t.kind === 'Name' && t.id === name && isConstant(elts[i]!)) {
          elts[i] = { ...value, span: elts[i]!.span } as Expr;
          done = true;
        }
      });
    }
  }
  return done;
}

/**
 * Apply each `[name, text]` to the module's top-level constant assignments, in order.
 * Returns E140 diagnostics for a value that is not a constant or a name with no such assignment.
 */
export function applySets(module: Module, sets: readonly [string, string][]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, text] of sets) {
    const parsed = parseExpression(text);
    if (parsed.expr === null || !isConstant(parsed.expr)) {
      out.push(
        diagnostic(
          'E140',
          `--set ${name}=${text}: the value must be a Python literal (a number, string, True, False, None, or a tuple or list of them)`,
          0,
          0,
        ),
      );
      continue;
    }
    let found = false;
    let chained = false;
    for (const stmt of module.body as Stmt[]) {
      if (stmt.kind !== 'Assign') continue;
      const replaced = replaceIn(stmt, name, parsed.expr);
      if (replaced === 'chained') chained = true;
      else if (replaced) found = true;
    }
    if (chained) {
      out.push(
        diagnostic(
          'E140',
          `--set ${name}=${text}: '${name}' is bound by a chained assignment (like \`a = b = 1\`), whose targets share one value; give it an assignment of its own`,
          0,
          0,
        ),
      );
    } else if (!found) {
      out.push(
        diagnostic(
          'E140',
          `--set ${name}=${text}: the program has no module-level constant assignment to '${name}'`,
          0,
          0,
        ),
      );
    }
  }
  return out;
}

/** Parse `name=value` as given on the command line; null when there is no '=' or no name. */
export function parseSetOption(option: string): [string, string] | null {
  const eq = option.indexOf('=');
  if (eq <= 0) return null;
  const name = option.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
  return [name, option.slice(eq + 1).trim()];
}
