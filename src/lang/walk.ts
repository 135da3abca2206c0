/**
 * Generic traversal of AST nodes: visits every node (statement or expression) below a root,
 * in source order. Used by analyses that only need to look for node kinds.
 */
import type { Expr, Stmt } from './ast.js';

export type Node = Expr | Stmt;

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}

/** Call `visit` on `root` and every node below it; return false from `visit` to skip a subtree. */
export function walk(root: Node | Node[], visit: (node: Node) => boolean | void): void {
  const stack: unknown[] = Array.isArray(root) ? [...root].reverse() : [root];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (isNode(item)) {
      if (visit(item) === false) continue;
    }
    const children: unknown[] = [];
    for (const [key, value] of Object.entries(item)) {
      if (key === 'span') continue;
      if (typeof value === 'object' && value !== null) children.push(value);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
