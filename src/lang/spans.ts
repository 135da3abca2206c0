/**
 * Source spans from tokens and CST nodes. Chevrotain's columns are 1-based with an inclusive
 * end; a Span's `endCol` is exclusive, hence the `+ 1`.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { Span } from './ast.js';
import { InternalError } from '../base/diagnostics.js';

export function tokenSpan(tok: IToken): Span {
  return { line: tok.startLine!, col: tok.startColumn!, endLine: tok.endLine!, endCol: tok.endColumn! + 1 };
}

/** The span of a CST node (the parser tracks node locations in full). */
export function nodeSpan(node: CstNode): Span {
  const loc = node.location;
  if (loc?.startLine === undefined || loc.endLine === undefined) {
    throw new InternalError(`CST node '${node.name}' has no location`);
  }
  return { line: loc.startLine, col: loc.startColumn!, endLine: loc.endLine, endCol: loc.endColumn! + 1 };
}

/** From the start of `first` to the end of `last`. */
export function cover(first: Span, last: Span): Span {
  return { line: first.line, col: first.col, endLine: last.endLine, endCol: last.endCol };
}
