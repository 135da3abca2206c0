/**
 * The typed AST of a thread program: the Python subset of docs/LANGUAGE.md and nothing more.
 *
 * Shapes only, no behaviour. `src/lang/build-ast.ts` produces it from the chevrotain CST;
 * `src/compile` consumes it. Every node carries the source `span` it came from, so that
 * every micro-op, diagnostic and report can point at `line:col`.
 */

/** A source range. Lines and columns are 1-based; `endCol` is exclusive. */
export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

// ---------------------------------------------------------------- expressions

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%';
export type UnaryOperator = '-' | '+' | 'not';
export type CompareOperator = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'is' | 'is not' | 'in' | 'not in';

export interface NameExpr {
  kind: 'Name';
  id: string;
  span: Span;
}
export interface IntExpr {
  kind: 'Int';
  /** Exact value; literals above 2^53 are rejected by the parser with E105. */
  value: number;
  span: Span;
}
export interface FloatExpr {
  kind: 'Float';
  value: number;
  span: Span;
}
export interface StrExpr {
  kind: 'Str';
  /** The decoded string (escape sequences already applied). */
  value: string;
  span: Span;
}
export interface BoolExpr {
  kind: 'Bool';
  value: boolean;
  span: Span;
}
export interface NoneExpr {
  kind: 'None';
  span: Span;
}
/** One `{expr!r:spec}` field of an f-string. */
export interface FStringField {
  expr: Expr;
  /** `!r` gives 'r', `!s` gives 's', none gives null. */
  conversion: 'r' | 's' | null;
  /** The text after ':' (for example ',' or '.2f' or ',d'), or null. */
  spec: string | null;
}
export interface FStringExpr {
  kind: 'FString';
  /** Literal text pieces and fields, in order. */
  parts: (string | FStringField)[];
  span: Span;
}
export interface BinOpExpr {
  kind: 'BinOp';
  op: BinaryOperator;
  left: Expr;
  right: Expr;
  span: Span;
}
export interface UnaryOpExpr {
  kind: 'UnaryOp';
  op: UnaryOperator;
  operand: Expr;
  span: Span;
}
/** `a and b and c`: short-circuit, yields the deciding operand as Python does. */
export interface BoolOpExpr {
  kind: 'BoolOp';
  op: 'and' | 'or';
  values: Expr[];
  span: Span;
}
/** `a < b <= c`: chained comparison; `ops.length === comparators.length`. */
export interface CompareExpr {
  kind: 'Compare';
  left: Expr;
  ops: CompareOperator[];
  comparators: Expr[];
  span: Span;
}
export interface IfExpExpr {
  kind: 'IfExp';
  test: Expr;
  body: Expr;
  orelse: Expr;
  span: Span;
}
export interface Keyword {
  name: string;
  value: Expr;
  span: Span;
}
export interface CallExpr {
  kind: 'Call';
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
  span: Span;
}
export interface AttributeExpr {
  kind: 'Attribute';
  value: Expr;
  attr: string;
  span: Span;
}
export interface SubscriptExpr {
  kind: 'Subscript';
  value: Expr;
  index: Expr;
  span: Span;
}
export interface TupleExpr {
  kind: 'Tuple';
  elts: Expr[];
  span: Span;
}
export interface ListExpr {
  kind: 'List';
  elts: Expr[];
  span: Span;
}
export interface DictExpr {
  kind: 'Dict';
  keys: Expr[];
  values: Expr[];
  span: Span;
}
/** `[elt for target in iter if cond]`: one `for`, optional `if`. */
export interface ListCompExpr {
  kind: 'ListComp';
  elt: Expr;
  target: Target;
  iter: Expr;
  cond: Expr | null;
  span: Span;
}

export type Expr =
  | NameExpr
  | IntExpr
  | FloatExpr
  | StrExpr
  | BoolExpr
  | NoneExpr
  | FStringExpr
  | BinOpExpr
  | UnaryOpExpr
  | BoolOpExpr
  | CompareExpr
  | IfExpExpr
  | CallExpr
  | AttributeExpr
  | SubscriptExpr
  | TupleExpr
  | ListExpr
  | DictExpr
  | ListCompExpr;

/** What can be assigned to: a name, a subscript, or a (possibly nested) tuple/list of targets. */
export type Target = NameExpr | SubscriptExpr | TupleExpr | ListExpr;

// ---------------------------------------------------------------- statements

export interface ImportStmt {
  kind: 'Import';
  /** `import threading, time` gives ['threading', 'time']. */
  modules: string[];
  span: Span;
}
export interface ImportAlias {
  name: string;
  /** `from time import sleep as nap` gives 'nap'; null without `as`. */
  asname: string | null;
  span: Span;
}
export interface ImportFromStmt {
  kind: 'ImportFrom';
  module: string;
  names: ImportAlias[];
  span: Span;
}
/** `a = b = e` has two targets; `a, b = e1, e2` has one Tuple target. */
export interface AssignStmt {
  kind: 'Assign';
  targets: Target[];
  value: Expr;
  span: Span;
}
export interface AugAssignStmt {
  kind: 'AugAssign';
  target: NameExpr | SubscriptExpr;
  op: BinaryOperator;
  value: Expr;
  span: Span;
}
export interface DeleteStmt {
  kind: 'Delete';
  targets: SubscriptExpr[];
  span: Span;
}
export interface GlobalStmt {
  kind: 'Global';
  names: string[];
  span: Span;
}
export interface Param {
  name: string;
  default: Expr | null;
  span: Span;
}
export interface FunctionDefStmt {
  kind: 'FunctionDef';
  name: string;
  params: Param[];
  body: Stmt[];
  span: Span;
}
export interface ReturnStmt {
  kind: 'Return';
  value: Expr | null;
  span: Span;
}
/** `elif` arrives as a nested If inside `orelse`. */
export interface IfStmt {
  kind: 'If';
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
  span: Span;
}
export interface WhileStmt {
  kind: 'While';
  test: Expr;
  body: Stmt[];
  span: Span;
}
export interface ForStmt {
  kind: 'For';
  target: Target;
  iter: Expr;
  body: Stmt[];
  span: Span;
}
export interface BreakStmt {
  kind: 'Break';
  span: Span;
}
export interface ContinueStmt {
  kind: 'Continue';
  span: Span;
}
export interface PassStmt {
  kind: 'Pass';
  span: Span;
}
/** `with a, b:` has two items, entered left to right. */
export interface WithStmt {
  kind: 'With';
  items: Expr[];
  body: Stmt[];
  span: Span;
}
export interface ExceptHandler {
  /** null for a bare `except:`. */
  type: Expr | null;
  /** `except E as err` gives 'err'. */
  name: string | null;
  body: Stmt[];
  span: Span;
}
export interface TryStmt {
  kind: 'Try';
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
  span: Span;
}
export interface RaiseStmt {
  kind: 'Raise';
  /** null for a bare `raise`. */
  exc: Expr | null;
  span: Span;
}
export interface AssertStmt {
  kind: 'Assert';
  test: Expr;
  msg: Expr | null;
  span: Span;
}
export interface ExprStmt {
  kind: 'Expr';
  value: Expr;
  span: Span;
}

export type Stmt =
  | ImportStmt
  | ImportFromStmt
  | AssignStmt
  | AugAssignStmt
  | DeleteStmt
  | GlobalStmt
  | FunctionDefStmt
  | ReturnStmt
  | IfStmt
  | WhileStmt
  | ForStmt
  | BreakStmt
  | ContinueStmt
  | PassStmt
  | WithStmt
  | TryStmt
  | RaiseStmt
  | AssertStmt
  | ExprStmt;

/** A whole file. `source` is kept so reports can quote lines. */
export interface Module {
  body: Stmt[];
  file: string;
  source: string;
}
