/**
 * Everything outside the subset that the parser recognises, with the message that names it
 * (E120), and the modules a program may import (E121). One table, so that the wording stays
 * consistent and a test can walk every entry.
 */
import { diagnostic, type Diagnostic } from '../base/diagnostics.js';

export const UNSUPPORTED = {
  class: 'class definitions are not supported in the first version',
  lambda: 'lambda expressions are not supported; define a function with def',
  yield: 'generators (yield) are not supported',
  async: "'async' is not supported; use threading",
  await: "'await' is not supported; use threading",
  nonlocal: "'nonlocal' is not supported",
  decorator: 'decorators are not supported',
  varargs: '*args parameters are not supported',
  kwargs: '**kwargs parameters are not supported',
  keywordOnly: "keyword-only parameters (a bare '*') are not supported",
  positionalOnly: "positional-only parameters ('/') are not supported",
  starArgs: '*args in calls are not supported; pass the arguments one by one',
  kwArgs: '**kwargs in calls are not supported; pass keyword arguments one by one',
  starred: 'starred expressions (*x) are not supported',
  dictUnpacking: 'dict unpacking (**d) is not supported',
  annotation: 'type annotations are not supported',
  slice: 'slices (a[i:j]) are not supported; index one element at a time',
  set: 'sets are not supported; use a list or a dict',
  setComprehension: 'set comprehensions are not supported; use a list comprehension',
  dictComprehension: 'dict comprehensions are not supported; build the dict in a for loop',
  generator: 'generator expressions are not supported; use a list comprehension [...]',
  multipleFor: "a comprehension with more than one 'for' is not supported",
  multipleIf: "a comprehension with more than one 'if' is not supported; join the conditions with 'and'",
  forElse: "'else' after a for loop is not supported",
  whileElse: "'else' after a while loop is not supported",
  withAs: "'with ... as name' is not supported; assign the object to a name and write 'with name:'",
  walrus: "assignment expressions (':=') are not supported",
  power: "the power operator '**' is not supported",
  bitwise: 'bitwise operators (& | ^ ~ << >>) are not supported',
  matmul: "the matrix multiplication operator '@' is not supported",
  match: 'match statements are not supported; use if/elif',
  typeAlias: "type aliases ('type X = ...') are not supported",
  importAs: "'import ... as ...' is not supported; import the module by its own name",
  importStar: "'from ... import *' is not supported; name what you import",
  nestedDef: 'nested function definitions are not supported; define functions at the top level',
  defInBlock: 'function definitions inside a block are not supported; define functions at the top level',
  bytes: 'bytes literals are not supported',
  complex: 'complex numbers are not supported',
  ellipsis: "'...' (Ellipsis) is not supported",
  attributeAssignment: 'assigning to an attribute (obj.attr = ...) is not supported',
  delName: "'del' is only supported on a subscript (del d[k])",
  raiseFrom: "'raise ... from ...' is not supported",
  exceptStar: "'except*' is not supported",
  fstringDebug: "self-documenting f-string fields ('{x=}') are not supported",
  fstringAscii: "the f-string conversion '!a' is not supported; use !r or !s",
  fstringNested: 'nested fields in an f-string format spec are not supported',
} as const;

export type UnsupportedConstruct = keyof typeof UNSUPPORTED;

/** E120 `unsupported construct: <what>` at line:col. */
export function unsupported(what: UnsupportedConstruct, line: number, col: number, width = 1): Diagnostic {
  return diagnostic('E120', `unsupported construct: ${UNSUPPORTED[what]}`, line, col, width);
}

export const IMPORTABLE_MODULES: readonly string[] = ['threading', 'time', 'random', 'sys'];

/** E121 for `import os` or `from os import path`. */
export function unsupportedModule(name: string, line: number, col: number): Diagnostic {
  return diagnostic(
    'E121',
    `unsupported module '${name}': only threading, time, random and sys can be imported`,
    line,
    col,
    Math.max(1, name.length),
  );
}
