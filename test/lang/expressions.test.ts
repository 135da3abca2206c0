import { describe, expect, it } from 'vitest';
import { expr, withoutSpans } from './helpers.js';

const name = (id: string) => ({ kind: 'Name', id });
const int = (value: number) => ({ kind: 'Int', value });
const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'BinOp', op, left, right });
const shapeOf = (source: string) => withoutSpans(expr(source));

describe('operator precedence', () => {
  it('binds * tighter than + and groups left to right', () => {
    expect(shapeOf('a + b * c - d')).toEqual(
      bin('-', bin('+', name('a'), bin('*', name('b'), name('c'))), name('d')),
    );
  });

  it('gives / // % the precedence of *', () => {
    expect(shapeOf('a // b % c / d')).toEqual(
      bin('/', bin('%', bin('//', name('a'), name('b')), name('c')), name('d')),
    );
  });

  it('binds unary minus tighter than *', () => {
    expect(shapeOf('-a * +b')).toEqual(
      bin(
        '*',
        { kind: 'UnaryOp', op: '-', operand: name('a') },
        { kind: 'UnaryOp', op: '+', operand: name('b') },
      ),
    );
  });

  it('puts comparisons above not, not above and, and above or', () => {
    expect(shapeOf('not a < b and c or d')).toEqual({
      kind: 'BoolOp',
      op: 'or',
      values: [
        {
          kind: 'BoolOp',
          op: 'and',
          values: [
            {
              kind: 'UnaryOp',
              op: 'not',
              operand: { kind: 'Compare', left: name('a'), ops: ['<'], comparators: [name('b')] },
            },
            name('c'),
          ],
        },
        name('d'),
      ],
    });
  });

  it('flattens a run of the same boolean operator', () => {
    expect(shapeOf('a and b and c')).toEqual({
      kind: 'BoolOp',
      op: 'and',
      values: [name('a'), name('b'), name('c')],
    });
  });

  it('puts arithmetic inside comparisons', () => {
    expect(shapeOf('counter != nloop * nthread')).toEqual({
      kind: 'Compare',
      left: name('counter'),
      ops: ['!='],
      comparators: [bin('*', name('nloop'), name('nthread'))],
    });
  });

  it('honours parentheses', () => {
    expect(shapeOf('(a + b) * c')).toEqual(bin('*', bin('+', name('a'), name('b')), name('c')));
  });

  it('gives the conditional expression the lowest precedence, right-nested', () => {
    expect(shapeOf('a if x or y else b if z else c')).toEqual({
      kind: 'IfExp',
      test: { kind: 'BoolOp', op: 'or', values: [name('x'), name('y')] },
      body: name('a'),
      orelse: { kind: 'IfExp', test: name('z'), body: name('b'), orelse: name('c') },
    });
  });
});

describe('comparisons', () => {
  it('keeps a chained comparison as one Compare', () => {
    expect(shapeOf('0 <= i < n == m')).toEqual({
      kind: 'Compare',
      left: int(0),
      ops: ['<=', '<', '=='],
      comparators: [name('i'), name('n'), name('m')],
    });
  });

  it('reads the two-word operators is not and not in', () => {
    expect(shapeOf('a is None is not b in c not in d')).toEqual({
      kind: 'Compare',
      left: name('a'),
      ops: ['is', 'is not', 'in', 'not in'],
      comparators: [{ kind: 'None' }, name('b'), name('c'), name('d')],
    });
  });

  it('reads every single-token comparison operator', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!=']) {
      expect(shapeOf(`a ${op} b`)).toEqual({
        kind: 'Compare',
        left: name('a'),
        ops: [op],
        comparators: [name('b')],
      });
    }
  });
});

describe('primaries', () => {
  it('reads calls with positional and keyword arguments', () => {
    expect(shapeOf("Thread(target=increment, args=(nloop,), name='w')")).toEqual({
      kind: 'Call',
      func: name('Thread'),
      args: [],
      keywords: [
        { name: 'target', value: name('increment') },
        { name: 'args', value: { kind: 'Tuple', elts: [name('nloop')] } },
        { name: 'name', value: { kind: 'Str', value: 'w' } },
      ],
    });
    expect(shapeOf('f(a, b, c=1,)')).toMatchObject({
      args: [name('a'), name('b')],
      keywords: [{ name: 'c' }],
    });
  });

  it('chains attributes, calls and subscripts left to right', () => {
    expect(shapeOf('current_thread().name[0]')).toEqual({
      kind: 'Subscript',
      value: {
        kind: 'Attribute',
        value: { kind: 'Call', func: name('current_thread'), args: [], keywords: [] },
        attr: 'name',
      },
      index: int(0),
    });
  });

  it('reads a tuple index', () => {
    expect(shapeOf('d[1, 2]')).toEqual({
      kind: 'Subscript',
      value: name('d'),
      index: { kind: 'Tuple', elts: [int(1), int(2)] },
    });
  });

  it('spans a call to its closing parenthesis and a keyword from its name', () => {
    const call = expr('t = threading.Thread(target=get)');
    expect(call).toMatchObject({
      span: { line: 1, col: 5, endLine: 1, endCol: 33 },
      func: { span: { col: 5, endCol: 21 } },
      keywords: [{ span: { col: 22, endCol: 32 } }],
    });
  });
});

describe('literals', () => {
  it('reads ints with underscores and prefixes, and floats', () => {
    expect(shapeOf('[50_000, 0x1F, 0o17, 0b101, 1e3, .5, 2.5, 1_0.0_1]')).toEqual({
      kind: 'List',
      elts: [
        int(50000),
        int(31),
        int(15),
        int(5),
        ...[1000, 0.5, 2.5, 10.01].map((value) => ({ kind: 'Float', value })),
      ],
    });
  });

  it('accepts ints up to 2^53 exactly', () => {
    expect(shapeOf('9007199254740992')).toEqual(int(9007199254740992));
  });

  it('reads True, False and None', () => {
    expect(shapeOf('(True, False, None)')).toEqual({
      kind: 'Tuple',
      elts: [{ kind: 'Bool', value: true }, { kind: 'Bool', value: false }, { kind: 'None' }],
    });
  });

  it('decodes escapes in strings and keeps raw strings as written', () => {
    const src = String.raw`['a\nb\t\\\'\"', "\x41\u00e9", r'\d\n', '\q']`;
    expect(shapeOf(src)).toEqual({
      kind: 'List',
      elts: [
        { kind: 'Str', value: 'a\nb\t\\\'"' },
        { kind: 'Str', value: 'Aé' },
        { kind: 'Str', value: '\\d\\n' },
        { kind: 'Str', value: '\\q' },
      ],
    });
  });

  it('reads triple-quoted strings across lines', () => {
    const e = expr('s = """one\ntwo"""\n');
    expect(e).toEqual({ kind: 'Str', value: 'one\ntwo', span: { line: 1, col: 5, endLine: 2, endCol: 7 } });
  });

  it('reads a line break inside a string as \\n whatever the file uses', () => {
    expect(shapeOf('s = """a\r\nb"""\r\n')).toEqual({ kind: 'Str', value: 'a\nb' });
    expect(shapeOf('s = r"""a\r\nb"""\r\n')).toEqual({ kind: 'Str', value: 'a\nb' });
  });

  it('joins adjacent string literals into one', () => {
    expect(expr("x = ('a'\n     'b')")).toEqual({
      kind: 'Str',
      value: 'ab',
      span: { line: 1, col: 6, endLine: 2, endCol: 9 },
    });
  });
});

describe('displays', () => {
  it('reads tuples: empty, one element, bare and parenthesized', () => {
    expect(shapeOf('()')).toEqual({ kind: 'Tuple', elts: [] });
    expect(shapeOf('(x,)')).toEqual({ kind: 'Tuple', elts: [name('x')] });
    expect(shapeOf('x = 1, 2,')).toEqual({ kind: 'Tuple', elts: [int(1), int(2)] });
    expect(shapeOf('(x)')).toEqual(name('x'));
  });

  it('spans a parenthesized tuple with its parentheses, a parenthesized name without', () => {
    expect(expr('x = (a, b)').span).toEqual({ line: 1, col: 5, endLine: 1, endCol: 11 });
    expect(expr('x = (a)').span).toEqual({ line: 1, col: 6, endLine: 1, endCol: 7 });
  });

  it('reads lists and dicts, with trailing commas', () => {
    expect(shapeOf('[1, 2,]')).toEqual({ kind: 'List', elts: [int(1), int(2)] });
    expect(shapeOf('[]')).toEqual({ kind: 'List', elts: [] });
    expect(shapeOf("{'a': 1, b: [2],}")).toEqual({
      kind: 'Dict',
      keys: [{ kind: 'Str', value: 'a' }, name('b')],
      values: [int(1), { kind: 'List', elts: [int(2)] }],
    });
    expect(shapeOf('{}')).toEqual({ kind: 'Dict', keys: [], values: [] });
  });

  it('reads a list comprehension with one for and an optional if', () => {
    expect(shapeOf('[t.start() for t in threads]')).toEqual({
      kind: 'ListComp',
      elt: {
        kind: 'Call',
        func: { kind: 'Attribute', value: name('t'), attr: 'start' },
        args: [],
        keywords: [],
      },
      target: name('t'),
      iter: name('threads'),
      cond: null,
    });
    expect(shapeOf('[i * 2 for i, _ in pairs if i > 0]')).toEqual({
      kind: 'ListComp',
      elt: bin('*', name('i'), int(2)),
      target: { kind: 'Tuple', elts: [name('i'), name('_')] },
      iter: name('pairs'),
      cond: { kind: 'Compare', left: name('i'), ops: ['>'], comparators: [int(0)] },
    });
  });
});

describe('spans', () => {
  it('run from the first to the last token of a binary operation, 1-based with an exclusive end', () => {
    expect(expr('y = a + b * c')).toMatchObject({
      span: { line: 1, col: 5, endLine: 1, endCol: 14 },
      left: { span: { col: 5, endCol: 6 } },
      right: { span: { col: 9, endCol: 14 }, right: { span: { col: 13, endCol: 14 } } },
    });
  });

  it('cover a multi-line call', () => {
    expect(expr('f(a,\n  b)').span).toEqual({ line: 1, col: 1, endLine: 2, endCol: 5 });
  });

  it('start a unary operation at its operator', () => {
    expect(expr('x = not  ready').span).toEqual({ line: 1, col: 5, endLine: 1, endCol: 15 });
  });
});
