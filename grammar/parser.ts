/**
 * The grammar of the thread language: Python 3 statements over the expression rules of
 * `expression-rules.ts`, as a chevrotain CstParser (LL(k), no backtracking, no recovery: the
 * first syntax error stops the parse, as in CPython).
 *
 * Like the expression rules, it accepts some statements outside the subset (`class`,
 * decorators, `async`, `nonlocal`, `for ... else`, `with ... as`, `import ... as`, `*args`,
 * annotations) so that build-ast can name them; the subset itself is docs/LANGUAGE.md.
 *
 * Compound statements pass their header (`'if' statement on line 3`) to `block`, which uses
 * it in the CPython-style message for a missing indented block.
 */
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import { errorMessageProvider } from './error-messages.js';
import { ExpressionRules } from './expression-rules.js';
import * as t from './tokens.js';

/** What a block follows, for `expected an indented block after ...`. */
function header(what: string, keyword: IToken): string {
  return `${what} on line ${keyword.startLine}`;
}

export class ThreadParser extends ExpressionRules {
  /**
   * @param validate run chevrotain's grammar validations (ambiguities, left recursion). They
   *   take most of the construction time, so the CLI skips them; a test runs them on every
   *   change of the grammar.
   */
  constructor(validate = false) {
    super(t.parserTokens, {
      maxLookahead: 3,
      recoveryEnabled: false,
      nodeLocationTracking: 'full',
      errorMessageProvider,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  /** A whole file: statements up to the end (chevrotain reports anything left over). */
  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  /** One expression and nothing else: `--set` values and f-string fields. */
  public expressionInput = this.RULE('expressionInput', () => {
    this.SUBRULE(this.expressions);
    this.CONSUME(t.Newline); // the provider words this one 'the end of the expression'
  });

  public statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.whileStmt) },
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.tryStmt) },
      { ALT: () => this.SUBRULE(this.withStmt) },
      { ALT: () => this.SUBRULE(this.funcDef) },
      { ALT: () => this.SUBRULE(this.classDef) },
      { ALT: () => this.SUBRULE(this.decorated) },
      { ALT: () => this.SUBRULE(this.asyncStmt) },
      { ALT: () => this.SUBRULE(this.simpleStmts) },
    ]);
  });

  /** `a; b; c` on one logical line. */
  public simpleStmts = this.RULE('simpleStmts', () => {
    this.SUBRULE(this.smallStmt);
    this.MANY(() => {
      this.CONSUME(t.Semicolon);
      this.SUBRULE2(this.smallStmt);
    });
    this.OPTION(() => this.CONSUME2(t.Semicolon));
    this.CONSUME(t.Newline);
  });

  public smallStmt = this.RULE('smallStmt', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Pass) },
      { ALT: () => this.CONSUME(t.Break) },
      { ALT: () => this.CONSUME(t.Continue) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { ALT: () => this.SUBRULE(this.raiseStmt) },
      { ALT: () => this.SUBRULE(this.globalStmt) },
      { ALT: () => this.SUBRULE(this.nonlocalStmt) },
      { ALT: () => this.SUBRULE(this.delStmt) },
      { ALT: () => this.SUBRULE(this.assertStmt) },
      { ALT: () => this.SUBRULE(this.importStmt) },
      { ALT: () => this.SUBRULE(this.fromImportStmt) },
      { ALT: () => this.SUBRULE(this.exprStmt) },
    ]);
  });

  /** An expression, `a = b = e`, `x op= e`, or an annotation `x: T = e` (unsupported). */
  public exprStmt = this.RULE('exprStmt', () => {
    this.SUBRULE(this.expressions);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.AugAssign);
          this.SUBRULE2(this.expressions);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Colon);
          this.SUBRULE(this.test, { LABEL: 'annotation' });
          this.OPTION(() => {
            this.CONSUME(t.Assign);
            this.SUBRULE3(this.expressions);
          });
        },
      },
      {
        ALT: () =>
          this.MANY(() => {
            this.CONSUME2(t.Assign);
            this.SUBRULE4(this.expressions);
          }),
      },
    ]);
  });

  public returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(t.Return);
    this.OPTION(() => this.SUBRULE(this.expressions));
  });

  public raiseStmt = this.RULE('raiseStmt', () => {
    this.CONSUME(t.Raise);
    this.OPTION(() => {
      this.SUBRULE(this.test, { LABEL: 'exception' });
      this.OPTION2(() => {
        this.CONSUME(t.From);
        this.SUBRULE2(this.test, { LABEL: 'cause' });
      });
    });
  });

  public globalStmt = this.RULE('globalStmt', () => {
    this.CONSUME(t.Global);
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => this.CONSUME(t.Identifier, { ERR_MSG: "expected a name after ','" }),
      ERR_MSG: "a name after 'global'",
    });
  });

  public nonlocalStmt = this.RULE('nonlocalStmt', () => {
    this.CONSUME(t.Nonlocal);
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => this.CONSUME(t.Identifier),
      ERR_MSG: "a name after 'nonlocal'",
    });
  });

  public delStmt = this.RULE('delStmt', () => {
    this.CONSUME(t.Del);
    this.SUBRULE(this.targets);
  });

  public assertStmt = this.RULE('assertStmt', () => {
    this.CONSUME(t.Assert);
    this.SUBRULE(this.test, { LABEL: 'condition' });
    this.OPTION(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.test, { LABEL: 'message' });
    });
  });

  public importStmt = this.RULE('importStmt', () => {
    this.CONSUME(t.Import);
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => this.SUBRULE(this.dottedAsName),
      ERR_MSG: "a module name after 'import'",
    });
  });

  public dottedAsName = this.RULE('dottedAsName', () => {
    this.SUBRULE(this.dottedName);
    this.OPTION(() => {
      this.CONSUME(t.As);
      this.CONSUME(t.Identifier, { ERR_MSG: "expected a name after 'as'" });
    });
  });

  public dottedName = this.RULE('dottedName', () => {
    this.CONSUME(t.Identifier, { ERR_MSG: 'expected a module name' });
    this.MANY(() => {
      this.CONSUME(t.Dot);
      this.CONSUME2(t.Identifier, { ERR_MSG: "expected a name after '.'" });
    });
  });

  /** `from m import a, b as c`, `from m import (a, b)`, and the refused `from . import x`, `import *`. */
  public fromImportStmt = this.RULE('fromImportStmt', () => {
    this.CONSUME(t.From);
    this.OR({
      ERR_MSG: "a module name after 'from'",
      DEF: [
        {
          ALT: () => {
            this.AT_LEAST_ONE(() => {
              this.OR2([
                { ALT: () => this.CONSUME(t.Dot, { LABEL: 'relative' }) },
                { ALT: () => this.CONSUME(t.Ellipsis, { LABEL: 'relative' }) },
              ]);
            });
            this.OPTION(() => this.SUBRULE(this.dottedName));
          },
        },
        { ALT: () => this.SUBRULE2(this.dottedName) },
      ],
    });
    this.CONSUME(t.Import, { ERR_MSG: "expected 'import' after the module name" });
    this.OR3({
      ERR_MSG: "the names to import after 'import'",
      DEF: [
        { ALT: () => this.CONSUME(t.Star) },
        {
          ALT: () => {
            this.CONSUME(t.LParen);
            this.SUBRULE(this.importNames);
            this.CONSUME(t.RParen);
          },
        },
        { ALT: () => this.SUBRULE2(this.importNames) },
      ],
    });
  });

  public importNames = this.RULE('importNames', () => {
    this.SUBRULE(this.importName);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.importName);
    });
    this.OPTION(() => this.CONSUME2(t.Comma));
  });

  public importName = this.RULE('importName', () => {
    this.CONSUME(t.Identifier, { LABEL: 'name', ERR_MSG: 'expected a name to import' });
    this.OPTION(() => {
      this.CONSUME(t.As);
      this.CONSUME2(t.Identifier, { LABEL: 'asname', ERR_MSG: "expected a name after 'as'" });
    });
  });

  /** The statements of a compound statement: on the same line, or an indented block. */
  public block = this.RULE('block', (after?: string) => {
    this.OR([
      { ALT: () => this.SUBRULE(this.simpleStmts) },
      {
        ALT: () => {
          this.CONSUME(t.Newline);
          this.CONSUME(t.Indent, { ERR_MSG: `expected an indented block after ${after ?? 'the colon'}` });
          this.AT_LEAST_ONE(() => this.SUBRULE(this.statement));
          this.CONSUME(t.Dedent);
        },
      },
    ]);
  });

  public ifStmt = this.RULE('ifStmt', () => {
    const kw = this.CONSUME(t.If);
    this.SUBRULE(this.test);
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after the if condition" });
    this.SUBRULE(this.block, { ARGS: [header("'if' statement", kw)] });
    this.MANY(() => {
      const elif = this.CONSUME(t.Elif);
      this.SUBRULE2(this.test);
      this.CONSUME2(t.Colon, { ERR_MSG: "expected ':' after the elif condition" });
      this.SUBRULE2(this.block, { ARGS: [header("'elif' statement", elif)] });
    });
    this.OPTION(() => this.SUBRULE(this.elseClause));
  });

  /** `else:` of an if, a loop (unsupported) or a try. */
  public elseClause = this.RULE('elseClause', () => {
    const kw = this.CONSUME(t.Else);
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after 'else'" });
    this.SUBRULE(this.block, { ARGS: [header("'else' statement", kw)] });
  });

  public whileStmt = this.RULE('whileStmt', () => {
    const kw = this.CONSUME(t.While);
    this.SUBRULE(this.test);
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after the while condition" });
    this.SUBRULE(this.block, { ARGS: [header("'while' statement", kw)] });
    this.OPTION(() => this.SUBRULE(this.elseClause));
  });

  public forStmt = this.RULE('forStmt', () => {
    const kw = this.CONSUME(t.For);
    this.SUBRULE(this.targets);
    this.CONSUME(t.In, { ERR_MSG: "expected 'in' after the for loop's target" });
    this.SUBRULE(this.expressions);
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after 'for ... in ...'" });
    this.SUBRULE(this.block, { ARGS: [header("'for' statement", kw)] });
    this.OPTION(() => this.SUBRULE(this.elseClause));
  });

  public tryStmt = this.RULE('tryStmt', () => {
    const kw = this.CONSUME(t.Try);
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after 'try'" });
    this.SUBRULE(this.block, { ARGS: [header("'try' statement", kw)] });
    this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE(() => this.SUBRULE(this.exceptClause));
          this.OPTION(() => this.SUBRULE(this.elseClause));
          this.OPTION2(() => this.SUBRULE(this.finallyClause));
        },
      },
      { ALT: () => this.SUBRULE2(this.finallyClause) },
    ]);
  });

  /** `except`, `except E`, `except E as name` (and the refused `except*`). */
  public exceptClause = this.RULE('exceptClause', () => {
    const kw = this.CONSUME(t.Except);
    this.OPTION(() => this.CONSUME(t.Star));
    this.OPTION2(() => {
      this.SUBRULE(this.test);
      this.OPTION3(() => {
        this.CONSUME(t.As);
        this.CONSUME(t.Identifier, { ERR_MSG: "expected a name after 'as'" });
      });
    });
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after the except clause" });
    this.SUBRULE(this.block, { ARGS: [header("'except' statement", kw)] });
  });

  public finallyClause = this.RULE('finallyClause', () => {
    const kw = this.CONSUME(t.Finally);
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after 'finally'" });
    this.SUBRULE(this.block, { ARGS: [header("'finally' statement", kw)] });
  });

  public withStmt = this.RULE('withStmt', () => {
    const kw = this.CONSUME(t.With);
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => this.SUBRULE(this.withItem),
      ERR_MSG: "an expression after 'with'",
    });
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after the with statement's items" });
    this.SUBRULE(this.block, { ARGS: [header("'with' statement", kw)] });
  });

  public withItem = this.RULE('withItem', () => {
    this.SUBRULE(this.test);
    this.OPTION(() => {
      this.CONSUME(t.As);
      this.SUBRULE(this.starOrBitwiseOr, { LABEL: 'asTarget' });
    });
  });

  public funcDef = this.RULE('funcDef', () => {
    const kw = this.CONSUME(t.Def);
    this.CONSUME(t.Identifier, { ERR_MSG: "expected the function's name after 'def'" });
    this.CONSUME(t.LParen, { ERR_MSG: "expected '(' after the function's name" });
    this.OPTION(() => this.SUBRULE(this.params));
    this.CONSUME(t.RParen);
    this.OPTION2(() => {
      this.CONSUME(t.Arrow);
      this.SUBRULE(this.test, { LABEL: 'returns' });
    });
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after the function's parameters" });
    this.SUBRULE(this.block, { ARGS: [header('function definition', kw)] });
  });

  public params = this.RULE('params', () => {
    this.SUBRULE(this.param);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.param);
    });
    this.OPTION(() => this.CONSUME2(t.Comma));
  });

  /** `a`, `a=1`, and the refused `a: int`, `*args`, `**kwargs`, `*`, `/`. */
  public param = this.RULE('param', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.DoubleStar);
          this.CONSUME(t.Identifier, { LABEL: 'kwargs' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Star);
          this.OPTION(() => this.CONSUME2(t.Identifier, { LABEL: 'varargs' }));
        },
      },
      { ALT: () => this.CONSUME(t.Slash) },
      { ALT: () => this.CONSUME3(t.Identifier, { LABEL: 'name' }) },
    ]);
    this.OPTION2(() => {
      this.CONSUME(t.Colon);
      this.SUBRULE(this.test, { LABEL: 'annotation' });
    });
    this.OPTION3(() => {
      this.CONSUME(t.Assign);
      this.SUBRULE2(this.test, { LABEL: 'default' });
    });
  });

  public classDef = this.RULE('classDef', () => {
    const kw = this.CONSUME(t.Class);
    this.CONSUME(t.Identifier, { ERR_MSG: "expected the class's name after 'class'" });
    this.OPTION(() => {
      this.CONSUME(t.LParen);
      this.OPTION2(() => this.SUBRULE(this.arguments));
      this.CONSUME(t.RParen);
    });
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after the class header" });
    this.SUBRULE(this.block, { ARGS: [header('class definition', kw)] });
  });

  public decorated = this.RULE('decorated', () => {
    this.AT_LEAST_ONE(() => {
      this.CONSUME(t.At);
      this.SUBRULE(this.test);
      this.CONSUME(t.Newline);
    });
    this.OR([
      { ALT: () => this.SUBRULE(this.funcDef) },
      { ALT: () => this.SUBRULE(this.classDef) },
      { ALT: () => this.SUBRULE(this.asyncStmt) },
    ]);
  });

  public asyncStmt = this.RULE('asyncStmt', () => {
    this.CONSUME(t.Async);
    this.OR([
      { ALT: () => this.SUBRULE(this.funcDef) },
      { ALT: () => this.SUBRULE(this.withStmt) },
      { ALT: () => this.SUBRULE(this.forStmt) },
    ]);
  });
}

/** One parser for the process: building it analyses the grammar, which is the slow part. */
let shared: ThreadParser | undefined;

/** The parser instance (for the diagram script and tests); its state is reset by each parse. */
export function threadParser(): ThreadParser {
  shared ??= new ThreadParser();
  return shared;
}

export interface ParseResult {
  /** The CST, or undefined when there is a syntax error. */
  cst: CstNode | undefined;
  /** At most one error: recovery is off, so the first syntax error ends the parse. */
  errors: IRecognitionException[];
}

/** Parse tokens from `tokenize` as a file or as one expression. Never throws for any input. */
export function parseTokens(tokens: IToken[], entry: 'file' | 'expressionInput'): ParseResult {
  const parser = threadParser();
  parser.input = tokens; // resets the parser's position and errors
  const cst = entry === 'file' ? parser.file() : parser.expressionInput();
  const errors = parser.errors;
  return { cst: errors.length === 0 ? cst : undefined, errors };
}
