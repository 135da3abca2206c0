/**
 * Name resolution with Python's rules (docs/LANGUAGE.md, "Statements"):
 *
 * - Every name bound at module level is a global, and every global is a shared cell.
 * - Inside a `def`, a name that is assigned (and not declared `global`) is local to the call;
 *   reading it before assignment raises UnboundLocalError.
 * - Builtins are found last.
 *
 * One refinement keeps traces readable without changing any outcome: a global bound exactly
 * once, by a top-level `def` or `import` that runs before any statement that could start a
 * thread, can never be seen in two states by two threads. Its reads compile to the invisible
 * LOAD_DEF instead of a visible LOAD (a *definition*).
 */
import type { FunctionDefStmt, Module, Stmt, Target } from '../lang/ast.js';
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';
import { walk } from '../lang/walk.js';
import { MODULE_MEMBERS, type GlobalKind } from './ops.js';

export interface ModuleScope {
  /** Global slot of each module-level name. */
  slots: Map<string, number>;
  names: string[];
  kinds: GlobalKind[];
  /** Definitions bound by a final import, with the builtin they stand for ('threading', 'time.sleep', ...). */
  staticBuiltins: Map<string, string>;
}

export interface FunctionScope {
  /** Local slot of each parameter and local variable. */
  locals: Map<string, number>;
  localNames: string[];
  /** Names declared `global` in this function. */
  declaredGlobal: Set<string>;
}

/** Names bound by a target (`a`, `a, b`, `[a, (b, c)]`); subscripts bind nothing. */
export function targetNames(target: Target, out: string[] = []): string[] {
  if (target.kind === 'Name') out.push(target.id);
  else if (target.kind === 'Tuple' || target.kind === 'List')
    for (const t of target.elts) targetNames(t as Target, out);
  return out;
}

/** Names a statement list binds in its own scope (not inside nested defs or comprehensions). */
function boundNames(body: Stmt[]): string[] {
  const names: string[] = [];
  walk(body, (node) => {
    switch (node.kind) {
      case 'Assign':
        for (const t of node.targets) targetNames(t, names);
        return;
      case 'AugAssign':
        if (node.target.kind === 'Name') names.push(node.target.id);
        return;
      case 'For':
        targetNames(node.target, names);
        return;
      case 'Try':
        for (const h of node.handlers) if (h.name !== null) names.push(h.name);
        return;
      case 'Import':
        names.push(...node.modules);
        return;
      case 'ImportFrom':
        for (const a of node.names) names.push(a.asname ?? a.name);
        return;
      case 'FunctionDef':
        names.push(node.name);
        return false; // its body is another scope
      case 'ListComp':
        return false; // the comprehension variable is local to the comprehension
      default:
        return;
    }
  });
  return names;
}

function declaredGlobals(fn: FunctionDefStmt): Set<string> {
  const out = new Set<string>();
  walk(fn.body, (node) => {
    if (node.kind === 'Global') for (const n of node.names) out.add(n);
    if (node.kind === 'FunctionDef') return false;
    return;
  });
  return out;
}

/** Whether running `stmt` might start a thread (a `.start()`/`.wait_for()` call or a call of a user function). */
function mayStartThread(stmt: Stmt, userFunctions: Set<string>): boolean {
  let found = false;
  // A def runs only its default values; its body runs when called.
  const roots =
    stmt.kind === 'FunctionDef'
      ? stmt.params.flatMap((p) => (p.default === null ? [] : [p.default]))
      : [stmt];
  walk(roots, (node) => {
    if (found) return false;
    if (node.kind === 'Call') {
      const f = node.func;
      if (f.kind === 'Attribute' && (f.attr === 'start' || f.attr === 'wait_for')) found = true;
      if (f.kind === 'Name' && userFunctions.has(f.id)) found = true;
    }
    return;
  });
  return found;
}

/**
 * Resolve module-level names: slots, kinds (data or definition) and final imports.
 * Unknown imported members are reported as E121.
 */
export function analyzeModule(module: Module, diagnostics: Diagnostic[]): ModuleScope {
  const slots = new Map<string, number>();
  const names: string[] = [];
  const bindings = new Map<string, number>();
  const add = (name: string): void => {
    if (!slots.has(name)) {
      slots.set(name, names.length);
      names.push(name);
    }
  };
  const countBinding = (name: string): void => {
    bindings.set(name, (bindings.get(name) ?? 0) + 1);
  };
  for (const name of boundNames(module.body)) {
    add(name);
    countBinding(name);
  }
  const userFunctions = new Set<string>();
  for (const stmt of module.body) if (stmt.kind === 'FunctionDef') userFunctions.add(stmt.name);
  walk(module.body, (node) => {
    if (node.kind !== 'FunctionDef') return;
    const globals = declaredGlobals(node);
    for (const name of boundNames(node.body)) {
      if (globals.has(name)) {
        add(name);
        countBinding(name);
      }
    }
    for (const name of globals) add(name);
    return false;
  });

  // Definitions: bound once, by a top-level def/import, before anything could start a thread.
  const kinds: GlobalKind[] = names.map(() => 'data');
  const staticBuiltins = new Map<string, string>();
  let threadsPossible = false;
  for (const stmt of module.body) {
    const bound: [string, string | null][] = [];
    if (stmt.kind === 'FunctionDef') bound.push([stmt.name, null]);
    if (stmt.kind === 'Import') for (const m of stmt.modules) bound.push([m, m]);
    if (stmt.kind === 'ImportFrom') {
      for (const a of stmt.names) {
        const members = MODULE_MEMBERS[stmt.module];
        if (members !== undefined && !members.includes(a.name)) {
          diagnostics.push(
            diagnostic(
              'E121',
              `unsupported name '${a.name}' from module '${stmt.module}': it offers ${members.join(', ')}`,
              a.span.line,
              a.span.col,
              a.name.length,
            ),
          );
        }
        bound.push([
          a.asname ?? a.name,
          members !== undefined && members.includes(a.name) ? `${stmt.module}.${a.name}` : null,
        ]);
      }
    }
    for (const [name, builtin] of bound) {
      if (!threadsPossible && bindings.get(name) === 1) {
        kinds[slots.get(name)!] = 'def';
        if (builtin !== null) staticBuiltins.set(name, builtin);
      }
    }
    if (!threadsPossible && mayStartThread(stmt, userFunctions)) threadsPossible = true;
  }
  return { slots, names, kinds, staticBuiltins };
}

/**
 * Resolve a function's parameters and locals. Reports E130 for a name that is both a
 * parameter and global, and for a name used before its `global` declaration.
 */
export function analyzeFunction(fn: FunctionDefStmt, diagnostics: Diagnostic[]): FunctionScope {
  const declaredGlobal = declaredGlobals(fn);
  const locals = new Map<string, number>();
  const localNames: string[] = [];
  for (const p of fn.params) {
    if (declaredGlobal.has(p.name)) {
      diagnostics.push(
        diagnostic(
          'E130',
          `name '${p.name}' is parameter and global`,
          p.span.line,
          p.span.col,
          p.name.length,
        ),
      );
    }
    locals.set(p.name, localNames.length);
    localNames.push(p.name);
  }
  for (const name of boundNames(fn.body)) {
    if (!declaredGlobal.has(name) && !locals.has(name)) {
      locals.set(name, localNames.length);
      localNames.push(name);
    }
  }
  // A name may not be used before the `global` statement that declares it (CPython: SyntaxError).
  const seen = new Map<string, { line: number; col: number }>();
  walk(fn.body, (node) => {
    if (node.kind === 'Name' && !seen.has(node.id)) seen.set(node.id, node.span);
    if (node.kind === 'Global') {
      for (const name of node.names) {
        const use = seen.get(name);
        if (
          use !== undefined &&
          (use.line < node.span.line || (use.line === node.span.line && use.col < node.span.col))
        ) {
          diagnostics.push(
            diagnostic(
              'E130',
              `name '${name}' is used prior to global declaration`,
              node.span.line,
              node.span.col,
              6,
            ),
          );
        }
      }
    }
    return;
  });
  return { locals, localNames, declaredGlobal };
}
