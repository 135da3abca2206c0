// Generated from grammar/parser.ts by grammar/write-cst-types.ts: do not edit.
import type { CstNode, IToken } from 'chevrotain';

export interface ExpressionsCstNode extends CstNode {
  name: 'expressions';
  children: ExpressionsCstChildren;
}

export type ExpressionsCstChildren = {
  starOrTest: StarOrTestCstNode[];
  Comma?: IToken[];
};

export interface TargetsCstNode extends CstNode {
  name: 'targets';
  children: TargetsCstChildren;
}

export type TargetsCstChildren = {
  starOrBitwiseOr: StarOrBitwiseOrCstNode[];
  Comma?: IToken[];
};

export interface StarOrTestCstNode extends CstNode {
  name: 'starOrTest';
  children: StarOrTestCstChildren;
}

export type StarOrTestCstChildren = {
  starred?: StarredCstNode[];
  test?: TestCstNode[];
};

export interface StarOrBitwiseOrCstNode extends CstNode {
  name: 'starOrBitwiseOr';
  children: StarOrBitwiseOrCstChildren;
}

export type StarOrBitwiseOrCstChildren = {
  starred?: StarredCstNode[];
  bitwiseOr?: BitwiseOrCstNode[];
};

export interface StarredCstNode extends CstNode {
  name: 'starred';
  children: StarredCstChildren;
}

export type StarredCstChildren = {
  Star: IToken[];
  bitwiseOr: BitwiseOrCstNode[];
};

export interface TestCstNode extends CstNode {
  name: 'test';
  children: TestCstChildren;
}

export type TestCstChildren = {
  lambdef?: LambdefCstNode[];
  body?: DisjunctionCstNode[];
  If?: IToken[];
  condition?: DisjunctionCstNode[];
  Else?: IToken[];
  orelse?: TestCstNode[];
  Walrus?: IToken[];
  walrusValue?: TestCstNode[];
};

export interface LambdefCstNode extends CstNode {
  name: 'lambdef';
  children: LambdefCstChildren;
}

export type LambdefCstChildren = {
  Lambda: IToken[];
  lambdaParam?: LambdaParamCstNode[];
  Comma?: IToken[];
  Colon: IToken[];
  test: TestCstNode[];
};

export interface LambdaParamCstNode extends CstNode {
  name: 'lambdaParam';
  children: LambdaParamCstChildren;
}

export type LambdaParamCstChildren = {
  DoubleStar?: IToken[];
  Identifier?: IToken[];
  Star?: IToken[];
  Slash?: IToken[];
  Assign?: IToken[];
  test?: TestCstNode[];
};

export interface DisjunctionCstNode extends CstNode {
  name: 'disjunction';
  children: DisjunctionCstChildren;
}

export type DisjunctionCstChildren = {
  conjunction: ConjunctionCstNode[];
  Or?: IToken[];
};

export interface ConjunctionCstNode extends CstNode {
  name: 'conjunction';
  children: ConjunctionCstChildren;
}

export type ConjunctionCstChildren = {
  inversion: InversionCstNode[];
  And?: IToken[];
};

export interface InversionCstNode extends CstNode {
  name: 'inversion';
  children: InversionCstChildren;
}

export type InversionCstChildren = {
  Not?: IToken[];
  inversion?: InversionCstNode[];
  comparison?: ComparisonCstNode[];
};

export interface ComparisonCstNode extends CstNode {
  name: 'comparison';
  children: ComparisonCstChildren;
}

export type ComparisonCstChildren = {
  bitwiseOr: BitwiseOrCstNode[];
  compOp?: CompOpCstNode[];
};

export interface CompOpCstNode extends CstNode {
  name: 'compOp';
  children: CompOpCstChildren;
}

export type CompOpCstChildren = {
  Less?: IToken[];
  LessEqual?: IToken[];
  Greater?: IToken[];
  GreaterEqual?: IToken[];
  EqualEqual?: IToken[];
  NotEqual?: IToken[];
  In?: IToken[];
  Not?: IToken[];
  Is?: IToken[];
};

export interface BitwiseOrCstNode extends CstNode {
  name: 'bitwiseOr';
  children: BitwiseOrCstChildren;
}

export type BitwiseOrCstChildren = {
  bitwiseXor: BitwiseXorCstNode[];
  op?: IToken[];
};

export interface BitwiseXorCstNode extends CstNode {
  name: 'bitwiseXor';
  children: BitwiseXorCstChildren;
}

export type BitwiseXorCstChildren = {
  bitwiseAnd: BitwiseAndCstNode[];
  op?: IToken[];
};

export interface BitwiseAndCstNode extends CstNode {
  name: 'bitwiseAnd';
  children: BitwiseAndCstChildren;
}

export type BitwiseAndCstChildren = {
  shiftExpr: ShiftExprCstNode[];
  op?: IToken[];
};

export interface ShiftExprCstNode extends CstNode {
  name: 'shiftExpr';
  children: ShiftExprCstChildren;
}

export type ShiftExprCstChildren = {
  sum: SumCstNode[];
  op?: IToken[];
};

export interface SumCstNode extends CstNode {
  name: 'sum';
  children: SumCstChildren;
}

export type SumCstChildren = {
  term: TermCstNode[];
  op?: IToken[];
};

export interface TermCstNode extends CstNode {
  name: 'term';
  children: TermCstChildren;
}

export type TermCstChildren = {
  factor: FactorCstNode[];
  op?: IToken[];
};

export interface FactorCstNode extends CstNode {
  name: 'factor';
  children: FactorCstChildren;
}

export type FactorCstChildren = {
  op?: IToken[];
  factor?: FactorCstNode[];
  power?: PowerCstNode[];
};

export interface PowerCstNode extends CstNode {
  name: 'power';
  children: PowerCstChildren;
}

export type PowerCstChildren = {
  Await?: IToken[];
  primary: PrimaryCstNode[];
  DoubleStar?: IToken[];
  factor?: FactorCstNode[];
};

export interface PrimaryCstNode extends CstNode {
  name: 'primary';
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  atom: AtomCstNode[];
  trailer?: TrailerCstNode[];
};

export interface TrailerCstNode extends CstNode {
  name: 'trailer';
  children: TrailerCstChildren;
}

export type TrailerCstChildren = {
  LParen?: IToken[];
  arguments?: ArgumentsCstNode[];
  RParen?: IToken[];
  LBracket?: IToken[];
  subscripts?: SubscriptsCstNode[];
  RBracket?: IToken[];
  Dot?: IToken[];
  Identifier?: IToken[];
};

export interface ArgumentsCstNode extends CstNode {
  name: 'arguments';
  children: ArgumentsCstChildren;
}

export type ArgumentsCstChildren = {
  argument: ArgumentCstNode[];
  Comma?: IToken[];
};

export interface ArgumentCstNode extends CstNode {
  name: 'argument';
  children: ArgumentCstChildren;
}

export type ArgumentCstChildren = {
  Star?: IToken[];
  starArg?: TestCstNode[];
  DoubleStar?: IToken[];
  kwArg?: TestCstNode[];
  test?: TestCstNode[];
  comprehension?: ComprehensionCstNode[];
  Assign?: IToken[];
  keywordValue?: TestCstNode[];
};

export interface SubscriptsCstNode extends CstNode {
  name: 'subscripts';
  children: SubscriptsCstChildren;
}

export type SubscriptsCstChildren = {
  subscriptItem: SubscriptItemCstNode[];
  Comma?: IToken[];
};

export interface SubscriptItemCstNode extends CstNode {
  name: 'subscriptItem';
  children: SubscriptItemCstChildren;
}

export type SubscriptItemCstChildren = {
  sliceTail?: SliceTailCstNode[];
  test?: TestCstNode[];
};

export interface SliceTailCstNode extends CstNode {
  name: 'sliceTail';
  children: SliceTailCstChildren;
}

export type SliceTailCstChildren = {
  Colon: IToken[];
  test?: TestCstNode[];
};

export interface AtomCstNode extends CstNode {
  name: 'atom';
  children: AtomCstChildren;
}

export type AtomCstChildren = {
  parenthesized?: ParenthesizedCstNode[];
  listDisplay?: ListDisplayCstNode[];
  braceDisplay?: BraceDisplayCstNode[];
  yieldExpr?: YieldExprCstNode[];
  Identifier?: IToken[];
  IntLiteral?: IToken[];
  FloatLiteral?: IToken[];
  ImaginaryLiteral?: IToken[];
  StringLiteral?: IToken[];
  True?: IToken[];
  False?: IToken[];
  None?: IToken[];
  Ellipsis?: IToken[];
};

export interface ParenthesizedCstNode extends CstNode {
  name: 'parenthesized';
  children: ParenthesizedCstChildren;
}

export type ParenthesizedCstChildren = {
  LParen: IToken[];
  starOrTest?: StarOrTestCstNode[];
  comprehension?: ComprehensionCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ListDisplayCstNode extends CstNode {
  name: 'listDisplay';
  children: ListDisplayCstChildren;
}

export type ListDisplayCstChildren = {
  LBracket: IToken[];
  starOrTest?: StarOrTestCstNode[];
  comprehension?: ComprehensionCstNode[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface BraceDisplayCstNode extends CstNode {
  name: 'braceDisplay';
  children: BraceDisplayCstChildren;
}

export type BraceDisplayCstChildren = {
  LBrace: IToken[];
  braceItem?: BraceItemCstNode[];
  comprehension?: ComprehensionCstNode[];
  Comma?: IToken[];
  RBrace: IToken[];
};

export interface BraceItemCstNode extends CstNode {
  name: 'braceItem';
  children: BraceItemCstChildren;
}

export type BraceItemCstChildren = {
  DoubleStar?: IToken[];
  bitwiseOr?: BitwiseOrCstNode[];
  starred?: StarredCstNode[];
  key?: TestCstNode[];
  Colon?: IToken[];
  value?: TestCstNode[];
};

export interface ComprehensionCstNode extends CstNode {
  name: 'comprehension';
  children: ComprehensionCstChildren;
}

export type ComprehensionCstChildren = {
  compFor: CompForCstNode[];
  compIf?: CompIfCstNode[];
};

export interface CompForCstNode extends CstNode {
  name: 'compFor';
  children: CompForCstChildren;
}

export type CompForCstChildren = {
  Async?: IToken[];
  For: IToken[];
  targets: TargetsCstNode[];
  In: IToken[];
  disjunction: DisjunctionCstNode[];
};

export interface CompIfCstNode extends CstNode {
  name: 'compIf';
  children: CompIfCstChildren;
}

export type CompIfCstChildren = {
  If: IToken[];
  disjunction: DisjunctionCstNode[];
};

export interface YieldExprCstNode extends CstNode {
  name: 'yieldExpr';
  children: YieldExprCstChildren;
}

export type YieldExprCstChildren = {
  Yield: IToken[];
  From?: IToken[];
  test?: TestCstNode[];
  expressions?: ExpressionsCstNode[];
};

export interface FileCstNode extends CstNode {
  name: 'file';
  children: FileCstChildren;
}

export type FileCstChildren = {
  statement?: StatementCstNode[];
};

export interface ExpressionInputCstNode extends CstNode {
  name: 'expressionInput';
  children: ExpressionInputCstChildren;
}

export type ExpressionInputCstChildren = {
  expressions: ExpressionsCstNode[];
  Newline: IToken[];
};

export interface StatementCstNode extends CstNode {
  name: 'statement';
  children: StatementCstChildren;
}

export type StatementCstChildren = {
  ifStmt?: IfStmtCstNode[];
  whileStmt?: WhileStmtCstNode[];
  forStmt?: ForStmtCstNode[];
  tryStmt?: TryStmtCstNode[];
  withStmt?: WithStmtCstNode[];
  funcDef?: FuncDefCstNode[];
  classDef?: ClassDefCstNode[];
  decorated?: DecoratedCstNode[];
  asyncStmt?: AsyncStmtCstNode[];
  simpleStmts?: SimpleStmtsCstNode[];
};

export interface SimpleStmtsCstNode extends CstNode {
  name: 'simpleStmts';
  children: SimpleStmtsCstChildren;
}

export type SimpleStmtsCstChildren = {
  smallStmt: SmallStmtCstNode[];
  Semicolon?: IToken[];
  Newline: IToken[];
};

export interface SmallStmtCstNode extends CstNode {
  name: 'smallStmt';
  children: SmallStmtCstChildren;
}

export type SmallStmtCstChildren = {
  Pass?: IToken[];
  Break?: IToken[];
  Continue?: IToken[];
  returnStmt?: ReturnStmtCstNode[];
  raiseStmt?: RaiseStmtCstNode[];
  globalStmt?: GlobalStmtCstNode[];
  nonlocalStmt?: NonlocalStmtCstNode[];
  delStmt?: DelStmtCstNode[];
  assertStmt?: AssertStmtCstNode[];
  importStmt?: ImportStmtCstNode[];
  fromImportStmt?: FromImportStmtCstNode[];
  exprStmt?: ExprStmtCstNode[];
};

export interface ExprStmtCstNode extends CstNode {
  name: 'exprStmt';
  children: ExprStmtCstChildren;
}

export type ExprStmtCstChildren = {
  expressions: ExpressionsCstNode[];
  AugAssign?: IToken[];
  Colon?: IToken[];
  annotation?: TestCstNode[];
  Assign?: IToken[];
};

export interface ReturnStmtCstNode extends CstNode {
  name: 'returnStmt';
  children: ReturnStmtCstChildren;
}

export type ReturnStmtCstChildren = {
  Return: IToken[];
  expressions?: ExpressionsCstNode[];
};

export interface RaiseStmtCstNode extends CstNode {
  name: 'raiseStmt';
  children: RaiseStmtCstChildren;
}

export type RaiseStmtCstChildren = {
  Raise: IToken[];
  exception?: TestCstNode[];
  From?: IToken[];
  cause?: TestCstNode[];
};

export interface GlobalStmtCstNode extends CstNode {
  name: 'globalStmt';
  children: GlobalStmtCstChildren;
}

export type GlobalStmtCstChildren = {
  Global: IToken[];
  Identifier: IToken[];
  Comma?: IToken[];
};

export interface NonlocalStmtCstNode extends CstNode {
  name: 'nonlocalStmt';
  children: NonlocalStmtCstChildren;
}

export type NonlocalStmtCstChildren = {
  Nonlocal: IToken[];
  Identifier: IToken[];
  Comma?: IToken[];
};

export interface DelStmtCstNode extends CstNode {
  name: 'delStmt';
  children: DelStmtCstChildren;
}

export type DelStmtCstChildren = {
  Del: IToken[];
  targets: TargetsCstNode[];
};

export interface AssertStmtCstNode extends CstNode {
  name: 'assertStmt';
  children: AssertStmtCstChildren;
}

export type AssertStmtCstChildren = {
  Assert: IToken[];
  condition: TestCstNode[];
  Comma?: IToken[];
  message?: TestCstNode[];
};

export interface ImportStmtCstNode extends CstNode {
  name: 'importStmt';
  children: ImportStmtCstChildren;
}

export type ImportStmtCstChildren = {
  Import: IToken[];
  dottedAsName: DottedAsNameCstNode[];
  Comma?: IToken[];
};

export interface DottedAsNameCstNode extends CstNode {
  name: 'dottedAsName';
  children: DottedAsNameCstChildren;
}

export type DottedAsNameCstChildren = {
  dottedName: DottedNameCstNode[];
  As?: IToken[];
  Identifier?: IToken[];
};

export interface DottedNameCstNode extends CstNode {
  name: 'dottedName';
  children: DottedNameCstChildren;
}

export type DottedNameCstChildren = {
  Identifier: IToken[];
  Dot?: IToken[];
};

export interface FromImportStmtCstNode extends CstNode {
  name: 'fromImportStmt';
  children: FromImportStmtCstChildren;
}

export type FromImportStmtCstChildren = {
  From: IToken[];
  relative?: IToken[];
  dottedName?: DottedNameCstNode[];
  Import: IToken[];
  Star?: IToken[];
  LParen?: IToken[];
  importNames?: ImportNamesCstNode[];
  RParen?: IToken[];
};

export interface ImportNamesCstNode extends CstNode {
  name: 'importNames';
  children: ImportNamesCstChildren;
}

export type ImportNamesCstChildren = {
  importName: ImportNameCstNode[];
  Comma?: IToken[];
};

export interface ImportNameCstNode extends CstNode {
  name: 'importName';
  children: ImportNameCstChildren;
}

export type ImportNameCstChildren = {
  name: IToken[];
  As?: IToken[];
  asname?: IToken[];
};

export interface BlockCstNode extends CstNode {
  name: 'block';
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  simpleStmts?: SimpleStmtsCstNode[];
  Newline?: IToken[];
  Indent?: IToken[];
  statement?: StatementCstNode[];
  Dedent?: IToken[];
};

export interface IfStmtCstNode extends CstNode {
  name: 'ifStmt';
  children: IfStmtCstChildren;
}

export type IfStmtCstChildren = {
  If: IToken[];
  test: TestCstNode[];
  Colon: IToken[];
  block: BlockCstNode[];
  Elif?: IToken[];
  elseClause?: ElseClauseCstNode[];
};

export interface ElseClauseCstNode extends CstNode {
  name: 'elseClause';
  children: ElseClauseCstChildren;
}

export type ElseClauseCstChildren = {
  Else: IToken[];
  Colon: IToken[];
  block: BlockCstNode[];
};

export interface WhileStmtCstNode extends CstNode {
  name: 'whileStmt';
  children: WhileStmtCstChildren;
}

export type WhileStmtCstChildren = {
  While: IToken[];
  test: TestCstNode[];
  Colon: IToken[];
  block: BlockCstNode[];
  elseClause?: ElseClauseCstNode[];
};

export interface ForStmtCstNode extends CstNode {
  name: 'forStmt';
  children: ForStmtCstChildren;
}

export type ForStmtCstChildren = {
  For: IToken[];
  targets: TargetsCstNode[];
  In: IToken[];
  expressions: ExpressionsCstNode[];
  Colon: IToken[];
  block: BlockCstNode[];
  elseClause?: ElseClauseCstNode[];
};

export interface TryStmtCstNode extends CstNode {
  name: 'tryStmt';
  children: TryStmtCstChildren;
}

export type TryStmtCstChildren = {
  Try: IToken[];
  Colon: IToken[];
  block: BlockCstNode[];
  exceptClause?: ExceptClauseCstNode[];
  elseClause?: ElseClauseCstNode[];
  finallyClause?: FinallyClauseCstNode[];
};

export interface ExceptClauseCstNode extends CstNode {
  name: 'exceptClause';
  children: ExceptClauseCstChildren;
}

export type ExceptClauseCstChildren = {
  Except: IToken[];
  Star?: IToken[];
  test?: TestCstNode[];
  As?: IToken[];
  Identifier?: IToken[];
  Colon: IToken[];
  block: BlockCstNode[];
};

export interface FinallyClauseCstNode extends CstNode {
  name: 'finallyClause';
  children: FinallyClauseCstChildren;
}

export type FinallyClauseCstChildren = {
  Finally: IToken[];
  Colon: IToken[];
  block: BlockCstNode[];
};

export interface WithStmtCstNode extends CstNode {
  name: 'withStmt';
  children: WithStmtCstChildren;
}

export type WithStmtCstChildren = {
  With: IToken[];
  withItem: WithItemCstNode[];
  Comma?: IToken[];
  Colon: IToken[];
  block: BlockCstNode[];
};

export interface WithItemCstNode extends CstNode {
  name: 'withItem';
  children: WithItemCstChildren;
}

export type WithItemCstChildren = {
  test: TestCstNode[];
  As?: IToken[];
  asTarget?: StarOrBitwiseOrCstNode[];
};

export interface FuncDefCstNode extends CstNode {
  name: 'funcDef';
  children: FuncDefCstChildren;
}

export type FuncDefCstChildren = {
  Def: IToken[];
  Identifier: IToken[];
  LParen: IToken[];
  params?: ParamsCstNode[];
  RParen: IToken[];
  Arrow?: IToken[];
  returns?: TestCstNode[];
  Colon: IToken[];
  block: BlockCstNode[];
};

export interface ParamsCstNode extends CstNode {
  name: 'params';
  children: ParamsCstChildren;
}

export type ParamsCstChildren = {
  param: ParamCstNode[];
  Comma?: IToken[];
};

export interface ParamCstNode extends CstNode {
  name: 'param';
  children: ParamCstChildren;
}

export type ParamCstChildren = {
  DoubleStar?: IToken[];
  kwargs?: IToken[];
  Star?: IToken[];
  varargs?: IToken[];
  Slash?: IToken[];
  name?: IToken[];
  Colon?: IToken[];
  annotation?: TestCstNode[];
  Assign?: IToken[];
  default?: TestCstNode[];
};

export interface ClassDefCstNode extends CstNode {
  name: 'classDef';
  children: ClassDefCstChildren;
}

export type ClassDefCstChildren = {
  Class: IToken[];
  Identifier: IToken[];
  LParen?: IToken[];
  arguments?: ArgumentsCstNode[];
  RParen?: IToken[];
  Colon: IToken[];
  block: BlockCstNode[];
};

export interface DecoratedCstNode extends CstNode {
  name: 'decorated';
  children: DecoratedCstChildren;
}

export type DecoratedCstChildren = {
  At: IToken[];
  test: TestCstNode[];
  Newline: IToken[];
  funcDef?: FuncDefCstNode[];
  classDef?: ClassDefCstNode[];
  asyncStmt?: AsyncStmtCstNode[];
};

export interface AsyncStmtCstNode extends CstNode {
  name: 'asyncStmt';
  children: AsyncStmtCstChildren;
}

export type AsyncStmtCstChildren = {
  Async: IToken[];
  funcDef?: FuncDefCstNode[];
  withStmt?: WithStmtCstNode[];
  forStmt?: ForStmtCstNode[];
};
