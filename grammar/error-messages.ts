/**
 * Syntax error messages in the user's words: `expected ':' after the if condition`,
 * `expected an expression but found ')'`. Tokens are named by their text (`')'`, `'else'`)
 * or by what they are (`the end of the line`), never by chevrotain's token type names.
 *
 * Context-specific messages are given in the grammar itself (`ERR_MSG` on a CONSUME or an
 * OR); this provider covers the rest from the rule that failed.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF, tokenLabel } from './chevrotain.js';
import { Comma, Dedent, Indent, Newline, RBrace, RBracket, RParen, StringLiteral } from './tokens.js';

const CLOSERS: ReadonlySet<TokenType> = new Set([RParen, RBracket, RBrace]);

/** What a rule expects when none of its alternatives fits the next token. */
const RULE_EXPECTS: Record<string, string> = {
  statement: 'a statement',
  smallStmt: 'a statement',
  block: 'a statement',
  simpleStmts: 'a statement',
  tryStmt: "'except' or 'finally' after the try block",
  decorated: 'a function definition after the decorator',
  asyncStmt: "'def', 'with' or 'for' after 'async'",
  param: 'a parameter name',
  lambdaParam: 'a parameter name',
  expressions: 'an expression',
  targets: 'an expression',
  starOrTest: 'an expression',
  starOrBitwiseOr: 'an expression',
  test: 'an expression',
  inversion: 'an expression',
  factor: 'an expression',
  atom: 'an expression',
  argument: 'an argument',
  subscriptItem: 'an index',
  braceItem: 'an expression',
  compOp: 'a comparison operator',
};

/** `')'`, `'else'`, `the string "abc"`, `the end of the line`. */
export function describeToken(tok: IToken | undefined): string {
  if (tok === undefined || tok.tokenType === EOF) return 'the end of the file';
  const type = tok.tokenType;
  if (type === Newline) return 'the end of the line';
  if (type === Indent) return 'an indent';
  if (type === Dedent) return 'the end of the block';
  if (type === StringLiteral) {
    const text = tok.image.length > 24 ? `${tok.image.slice(0, 20)}...` : tok.image;
    return `the string ${text}`;
  }
  return `'${tok.image}'`;
}

function describeType(type: TokenType): string {
  if (type === Dedent) return 'a statement'; // a block ends at a dedent: anything else is a bad statement
  return tokenLabel(type);
}

export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const found = describeToken(actual);
    if (ruleName === 'expressionInput') return `expected the end of the expression but found ${found}`;
    // A missing closing bracket: after a comma the list may go on, after an item it may too.
    if (CLOSERS.has(expected)) {
      const close = tokenLabel(expected);
      if (previous.tokenType === Comma) return `expected an expression or ${close} but found ${found}`;
      return `expected ',' or ${close} but found ${found}`;
    }
    return `expected ${describeType(expected)} but found ${found}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected a statement but found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName, customUserDescription }) {
    const what = customUserDescription ?? RULE_EXPECTS[ruleName];
    const found = describeToken(actual[0]);
    return what === undefined ? `unexpected ${found}` : `expected ${what} but found ${found}`;
  },
  buildEarlyExitMessage({ actual, ruleName, customUserDescription }) {
    const what = customUserDescription ?? RULE_EXPECTS[ruleName];
    const found = describeToken(actual[0]);
    return what === undefined ? `unexpected ${found}` : `expected ${what} but found ${found}`;
  },
};
