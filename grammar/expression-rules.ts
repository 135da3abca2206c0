/**
 * The expression rules of the grammar, one rule per precedence level of Python 3
 * (https://docs.python.org/3/reference/expressions.html#operator-precedence), lowest first:
 *
 *     test        lambda, `a if c else b`, `x := e`
 *     disjunction `or`      conjunction `and`      inversion `not`
 *     comparison  `< <= > >= == != in not in is is not` (chained)
 *     bitwiseOr `|`   bitwiseXor `^`   bitwiseAnd `&`   shiftExpr `<< >>`
 *     sum `+ -`   term `* / // % @`   factor unary `+ - ~`   power `**`, `await`
 *     primary     atom followed by calls, subscripts and attributes
 *
 * The grammar accepts more than the subset (lambda, `**`, bitwise operators, slices, sets,
 * generator expressions, ...) so that `src/lang/build-ast.ts` can name each unsupported
 * construct at its own position instead of reporting a puzzling syntax error.
 *
 * Operators are consumed with LABEL 'op' so that the CST keeps them in source order.
 */
import type { IParserConfig, TokenType } from 'chevrotain';
import { CstParser } from './chevrotain.js';
import * as t from './tokens.js';

export class ExpressionRules extends CstParser {
  constructor(tokens: TokenType[], config: IParserConfig) {
    super(tokens, config);
  }

  /** `e1, e2, *e3` with an optional trailing comma: assignment sides, return values, for iterables. */
  public expressions = this.RULE('expressions', () => {
    this.SUBRULE(this.starOrTest);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.starOrTest);
    });
    this.OPTION(() => this.CONSUME2(t.Comma));
  });

  /** Targets of `for` and `del`: comparisons are excluded so that `in` ends them. */
  public targets = this.RULE('targets', () => {
    this.SUBRULE(this.starOrBitwiseOr);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.starOrBitwiseOr);
    });
    this.OPTION(() => this.CONSUME2(t.Comma));
  });

  public starOrTest = this.RULE('starOrTest', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.starred) }, { ALT: () => this.SUBRULE(this.test) }]);
  });

  public starOrBitwiseOr = this.RULE('starOrBitwiseOr', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.starred) }, { ALT: () => this.SUBRULE(this.bitwiseOr) }]);
  });

  /** `*e` in a display or a target (unsupported). */
  public starred = this.RULE('starred', () => {
    this.CONSUME(t.Star);
    this.SUBRULE(this.bitwiseOr);
  });

  public test = this.RULE('test', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.lambdef) },
      {
        ALT: () => {
          this.SUBRULE(this.disjunction, { LABEL: 'body' });
          this.OPTION(() => {
            this.CONSUME(t.If);
            this.SUBRULE2(this.disjunction, { LABEL: 'condition' });
            this.CONSUME(t.Else, {
              ERR_MSG: "expected 'else' in the conditional expression 'a if c else b'",
            });
            this.SUBRULE(this.test, { LABEL: 'orelse' });
          });
        },
      },
    ]);
    this.OPTION2(() => {
      this.CONSUME(t.Walrus);
      this.SUBRULE2(this.test, { LABEL: 'walrusValue' });
    });
  });

  public lambdef = this.RULE('lambdef', () => {
    this.CONSUME(t.Lambda);
    this.MANY_SEP({ SEP: t.Comma, DEF: () => this.SUBRULE(this.lambdaParam) });
    this.CONSUME(t.Colon, { ERR_MSG: "expected ':' after the lambda parameters" });
    this.SUBRULE(this.test);
  });

  public lambdaParam = this.RULE('lambdaParam', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.DoubleStar);
          this.CONSUME(t.Identifier);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Star);
          this.OPTION(() => this.CONSUME2(t.Identifier));
        },
      },
      { ALT: () => this.CONSUME(t.Slash) },
      {
        ALT: () => {
          this.CONSUME3(t.Identifier);
          this.OPTION2(() => {
            this.CONSUME(t.Assign);
            this.SUBRULE(this.test);
          });
        },
      },
    ]);
  });

  public disjunction = this.RULE('disjunction', () => {
    this.SUBRULE(this.conjunction);
    this.MANY(() => {
      this.CONSUME(t.Or);
      this.SUBRULE2(this.conjunction);
    });
  });

  public conjunction = this.RULE('conjunction', () => {
    this.SUBRULE(this.inversion);
    this.MANY(() => {
      this.CONSUME(t.And);
      this.SUBRULE2(this.inversion);
    });
  });

  public inversion = this.RULE('inversion', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Not);
          this.SUBRULE(this.inversion);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  public comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.bitwiseOr);
    this.MANY(() => {
      this.SUBRULE(this.compOp);
      this.SUBRULE2(this.bitwiseOr);
    });
  });

  public compOp = this.RULE('compOp', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Less) },
      { ALT: () => this.CONSUME(t.LessEqual) },
      { ALT: () => this.CONSUME(t.Greater) },
      { ALT: () => this.CONSUME(t.GreaterEqual) },
      { ALT: () => this.CONSUME(t.EqualEqual) },
      { ALT: () => this.CONSUME(t.NotEqual) },
      { ALT: () => this.CONSUME(t.In) },
      {
        ALT: () => {
          this.CONSUME(t.Not);
          this.CONSUME2(t.In, { ERR_MSG: "expected 'in' after 'not' in a comparison" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Is);
          this.OPTION(() => this.CONSUME2(t.Not));
        },
      },
    ]);
  });

  public bitwiseOr = this.RULE('bitwiseOr', () => {
    this.SUBRULE(this.bitwiseXor);
    this.MANY(() => {
      this.CONSUME(t.Pipe, { LABEL: 'op' });
      this.SUBRULE2(this.bitwiseXor);
    });
  });

  public bitwiseXor = this.RULE('bitwiseXor', () => {
    this.SUBRULE(this.bitwiseAnd);
    this.MANY(() => {
      this.CONSUME(t.Caret, { LABEL: 'op' });
      this.SUBRULE2(this.bitwiseAnd);
    });
  });

  public bitwiseAnd = this.RULE('bitwiseAnd', () => {
    this.SUBRULE(this.shiftExpr);
    this.MANY(() => {
      this.CONSUME(t.Ampersand, { LABEL: 'op' });
      this.SUBRULE2(this.shiftExpr);
    });
  });

  public shiftExpr = this.RULE('shiftExpr', () => {
    this.SUBRULE(this.sum);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.ShiftLeft, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.ShiftRight, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.sum);
    });
  });

  public sum = this.RULE('sum', () => {
    this.SUBRULE(this.term);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Plus, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Minus, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.term);
    });
  });

  public term = this.RULE('term', () => {
    this.SUBRULE(this.factor);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Star, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Slash, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.DoubleSlash, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Percent, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.At, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.factor);
    });
  });

  public factor = this.RULE('factor', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(t.Plus, { LABEL: 'op' }) },
            { ALT: () => this.CONSUME(t.Minus, { LABEL: 'op' }) },
            { ALT: () => this.CONSUME(t.Tilde, { LABEL: 'op' }) },
          ]);
          this.SUBRULE(this.factor);
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]);
  });

  /** `await x ** -y`: the exponent is a factor, so `2 ** -1` parses as in Python. */
  public power = this.RULE('power', () => {
    this.OPTION(() => this.CONSUME(t.Await));
    this.SUBRULE(this.primary);
    this.OPTION2(() => {
      this.CONSUME(t.DoubleStar);
      this.SUBRULE(this.factor);
    });
  });

  public primary = this.RULE('primary', () => {
    this.SUBRULE(this.atom);
    this.MANY(() => this.SUBRULE(this.trailer));
  });

  /** One call, subscript or attribute after an atom; one rule so that the CST keeps their order. */
  public trailer = this.RULE('trailer', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.LParen);
          this.OPTION(() => this.SUBRULE(this.arguments));
          this.CONSUME(t.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.LBracket);
          this.SUBRULE(this.subscripts);
          this.CONSUME(t.RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Dot);
          this.CONSUME(t.Identifier, { ERR_MSG: "expected an attribute name after '.'" });
        },
      },
    ]);
  });

  public arguments = this.RULE('arguments', () => {
    this.SUBRULE(this.argument);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.argument);
    });
    this.OPTION(() => this.CONSUME2(t.Comma));
  });

  /** `e`, `name=e`, `*e`, `**e` or a bare generator `f(x for x in y)`. */
  public argument = this.RULE('argument', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Star);
          this.SUBRULE(this.test, { LABEL: 'starArg' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.DoubleStar);
          this.SUBRULE2(this.test, { LABEL: 'kwArg' });
        },
      },
      {
        ALT: () => {
          this.SUBRULE3(this.test);
          this.OPTION(() => {
            this.OR2([
              { ALT: () => this.SUBRULE(this.comprehension) },
              {
                ALT: () => {
                  this.CONSUME(t.Assign);
                  this.SUBRULE4(this.test, { LABEL: 'keywordValue' });
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  public subscripts = this.RULE('subscripts', () => {
    this.SUBRULE(this.subscriptItem);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.subscriptItem);
    });
    this.OPTION(() => this.CONSUME2(t.Comma));
  });

  public subscriptItem = this.RULE('subscriptItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.sliceTail) },
      {
        ALT: () => {
          this.SUBRULE(this.test);
          this.OPTION(() => this.SUBRULE2(this.sliceTail));
        },
      },
    ]);
  });

  /** `:upper` or `:upper:step` of a slice (unsupported). */
  public sliceTail = this.RULE('sliceTail', () => {
    this.CONSUME(t.Colon);
    this.OPTION(() => this.SUBRULE(this.test));
    this.OPTION2(() => {
      this.CONSUME2(t.Colon);
      this.OPTION3(() => this.SUBRULE2(this.test));
    });
  });

  public atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.listDisplay) },
      { ALT: () => this.SUBRULE(this.braceDisplay) },
      { ALT: () => this.SUBRULE(this.yieldExpr) },
      { ALT: () => this.CONSUME(t.Identifier) },
      { ALT: () => this.CONSUME(t.IntLiteral) },
      { ALT: () => this.CONSUME(t.FloatLiteral) },
      { ALT: () => this.CONSUME(t.ImaginaryLiteral) },
      { ALT: () => this.AT_LEAST_ONE(() => this.CONSUME(t.StringLiteral)) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.CONSUME(t.None) },
      { ALT: () => this.CONSUME(t.Ellipsis) },
    ]);
  });

  /** `()`, `(e)`, `(e,)`, `(a, b)` or a generator expression `(e for x in y)`. */
  public parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(t.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.starOrTest);
      this.OR([
        { ALT: () => this.SUBRULE(this.comprehension) },
        {
          ALT: () => {
            this.MANY(() => {
              this.CONSUME(t.Comma);
              this.SUBRULE2(this.starOrTest);
            });
            this.OPTION2(() => this.CONSUME2(t.Comma));
          },
        },
      ]);
    });
    this.CONSUME(t.RParen);
  });

  /** `[a, b]` or a list comprehension `[e for x in y if c]`. */
  public listDisplay = this.RULE('listDisplay', () => {
    this.CONSUME(t.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.starOrTest);
      this.OR([
        { ALT: () => this.SUBRULE(this.comprehension) },
        {
          ALT: () => {
            this.MANY(() => {
              this.CONSUME(t.Comma);
              this.SUBRULE2(this.starOrTest);
            });
            this.OPTION2(() => this.CONSUME2(t.Comma));
          },
        },
      ]);
    });
    this.CONSUME(t.RBracket);
  });

  /** `{k: v, ...}`, and the unsupported set displays and dict/set comprehensions. */
  public braceDisplay = this.RULE('braceDisplay', () => {
    this.CONSUME(t.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.braceItem);
      this.OR([
        { ALT: () => this.SUBRULE(this.comprehension) },
        {
          ALT: () => {
            this.MANY(() => {
              this.CONSUME(t.Comma);
              this.SUBRULE2(this.braceItem);
            });
            this.OPTION2(() => this.CONSUME2(t.Comma));
          },
        },
      ]);
    });
    this.CONSUME(t.RBrace);
  });

  /** `k: v` in a dict; `e`, `*e` in a set; `**d` (dict unpacking). */
  public braceItem = this.RULE('braceItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.DoubleStar);
          this.SUBRULE(this.bitwiseOr);
        },
      },
      { ALT: () => this.SUBRULE(this.starred) },
      {
        ALT: () => {
          this.SUBRULE(this.test, { LABEL: 'key' });
          this.OPTION(() => {
            this.CONSUME(t.Colon);
            this.SUBRULE2(this.test, { LABEL: 'value' });
          });
        },
      },
    ]);
  });

  /** `for x in y if c` clauses; the subset allows one `for` and at most one `if`. */
  public comprehension = this.RULE('comprehension', () => {
    this.SUBRULE(this.compFor);
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE2(this.compFor) }, { ALT: () => this.SUBRULE(this.compIf) }]);
    });
  });

  public compFor = this.RULE('compFor', () => {
    this.OPTION(() => this.CONSUME(t.Async));
    this.CONSUME(t.For);
    this.SUBRULE(this.targets);
    this.CONSUME(t.In, { ERR_MSG: "expected 'in' after the comprehension's target" });
    this.SUBRULE(this.disjunction);
  });

  public compIf = this.RULE('compIf', () => {
    this.CONSUME(t.If);
    this.SUBRULE(this.disjunction);
  });

  /** `yield`, `yield e`, `yield from e`: recognised only to be refused. */
  public yieldExpr = this.RULE('yieldExpr', () => {
    this.CONSUME(t.Yield);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(t.From);
            this.SUBRULE(this.test);
          },
        },
        { ALT: () => this.SUBRULE(this.expressions) },
      ]);
    });
  });
}
