import { describe, expect, it } from 'vitest';
import { shape, statements } from './helpers.js';

const x = { kind: 'Name', id: 'x' };
const y = { kind: 'Name', id: 'y' };
const int = (value: number) => ({ kind: 'Int', value });
const name = (id: string) => ({ kind: 'Name', id });

describe('imports', () => {
  it('lists the modules of an import statement', () => {
    expect(shape('import threading, time\nimport random\nimport sys\n')).toEqual([
      { kind: 'Import', modules: ['threading', 'time'] },
      { kind: 'Import', modules: ['random'] },
      { kind: 'Import', modules: ['sys'] },
    ]);
  });

  it('lists the names of a from-import, with their aliases', () => {
    expect(shape('from threading import Thread, Lock as L\nfrom time import (sleep,)\n')).toEqual([
      {
        kind: 'ImportFrom',
        module: 'threading',
        names: [
          { name: 'Thread', asname: null },
          { name: 'Lock', asname: 'L' },
        ],
      },
      { kind: 'ImportFrom', module: 'time', names: [{ name: 'sleep', asname: null }] },
    ]);
  });

  it('spans each imported name', () => {
    const [stmt] = statements('from threading import Thread, Lock as L\n');
    expect(stmt).toMatchObject({
      span: { line: 1, col: 1, endLine: 1, endCol: 40 },
      names: [{ span: { line: 1, col: 23, endCol: 29 } }, { span: { line: 1, col: 31, endCol: 40 } }],
    });
  });
});

describe('assignments', () => {
  it('reads a plain assignment', () => {
    expect(shape('x = 1\n')).toEqual([{ kind: 'Assign', targets: [x], value: int(1) }]);
  });

  it('gives a chained assignment one target per name, left to right', () => {
    expect(shape('x = y = 0\n')).toEqual([{ kind: 'Assign', targets: [x, y], value: int(0) }]);
  });

  it('gives tuple unpacking one Tuple target', () => {
    expect(shape('x, y = 1, 2\n')).toEqual([
      {
        kind: 'Assign',
        targets: [{ kind: 'Tuple', elts: [x, y] }],
        value: { kind: 'Tuple', elts: [int(1), int(2)] },
      },
    ]);
  });

  it('accepts nested and bracketed unpacking targets', () => {
    expect(shape('(a, [b, c]) = v\n')).toEqual([
      {
        kind: 'Assign',
        targets: [{ kind: 'Tuple', elts: [name('a'), { kind: 'List', elts: [name('b'), name('c')] }] }],
        value: name('v'),
      },
    ]);
  });

  it('assigns to a subscript', () => {
    expect(shape('flag[i] = True\n')).toEqual([
      {
        kind: 'Assign',
        targets: [{ kind: 'Subscript', value: name('flag'), index: name('i') }],
        value: { kind: 'Bool', value: true },
      },
    ]);
  });

  it('reads every augmented assignment operator, and /= as /', () => {
    const ops = ['+', '-', '*', '//', '%', '/'];
    const src = ops.map((op) => `x ${op}= 2\n`).join('');
    expect(shape(src)).toEqual(ops.map((op) => ({ kind: 'AugAssign', target: x, op, value: int(2) })));
  });

  it('augments a subscript', () => {
    expect(shape('d[k] += 1\n')).toEqual([
      {
        kind: 'AugAssign',
        target: { kind: 'Subscript', value: name('d'), index: name('k') },
        op: '+',
        value: int(1),
      },
    ]);
  });

  it('spans an assignment from its target to its value', () => {
    const [stmt] = statements('counter += 1  # why\n');
    expect(stmt!.span).toEqual({ line: 1, col: 1, endLine: 1, endCol: 13 });
  });
});

describe('simple statements', () => {
  it('deletes subscripts', () => {
    expect(shape('del d[k], e[0]\n')).toEqual([
      {
        kind: 'Delete',
        targets: [
          { kind: 'Subscript', value: name('d'), index: name('k') },
          { kind: 'Subscript', value: name('e'), index: int(0) },
        ],
      },
    ]);
  });

  it('lists the names of a global statement', () => {
    expect(shape('def f():\n    global counter, made\n')).toEqual([
      { kind: 'FunctionDef', name: 'f', params: [], body: [{ kind: 'Global', names: ['counter', 'made'] }] },
    ]);
  });

  it('reads pass, break, continue, return with and without a value', () => {
    expect(
      shape(
        'def f():\n    while x:\n        break\n        continue\n    pass\n    return\n    return 1, 2\n',
      ),
    ).toEqual([
      {
        kind: 'FunctionDef',
        name: 'f',
        params: [],
        body: [
          { kind: 'While', test: x, body: [{ kind: 'Break' }, { kind: 'Continue' }] },
          { kind: 'Pass' },
          { kind: 'Return', value: null },
          { kind: 'Return', value: { kind: 'Tuple', elts: [int(1), int(2)] } },
        ],
      },
    ]);
  });

  it('reads raise with and without an exception', () => {
    expect(shape("raise ValueError('bad')\nraise\n")).toEqual([
      {
        kind: 'Raise',
        exc: { kind: 'Call', func: name('ValueError'), args: [{ kind: 'Str', value: 'bad' }], keywords: [] },
      },
      { kind: 'Raise', exc: null },
    ]);
  });

  it('reads assert with and without a message', () => {
    expect(shape("assert x\nassert x == 6, 'msg'\n")).toEqual([
      { kind: 'Assert', test: x, msg: null },
      {
        kind: 'Assert',
        test: { kind: 'Compare', left: x, ops: ['=='], comparators: [int(6)] },
        msg: { kind: 'Str', value: 'msg' },
      },
    ]);
  });

  it('reads an expression statement', () => {
    expect(shape('t.start()\n')).toEqual([
      {
        kind: 'Expr',
        value: {
          kind: 'Call',
          func: { kind: 'Attribute', value: name('t'), attr: 'start' },
          args: [],
          keywords: [],
        },
      },
    ]);
  });

  it('splits statements separated by semicolons', () => {
    expect(shape('x = 1; y = 2;\n')).toEqual([
      { kind: 'Assign', targets: [x], value: int(1) },
      { kind: 'Assign', targets: [y], value: int(2) },
    ]);
  });
});

describe('function definitions', () => {
  it('reads parameters and their defaults', () => {
    expect(shape('def f(lock, sleep=10):\n    lock.acquire()\n')).toEqual([
      {
        kind: 'FunctionDef',
        name: 'f',
        params: [
          { name: 'lock', default: null },
          { name: 'sleep', default: int(10) },
        ],
        body: [
          {
            kind: 'Expr',
            value: {
              kind: 'Call',
              func: { kind: 'Attribute', value: name('lock'), attr: 'acquire' },
              args: [],
              keywords: [],
            },
          },
        ],
      },
    ]);
  });

  it('spans a definition from def to the end of its last statement', () => {
    const [def] = statements('def f(a, b=1):\n    x = a\n    return x + b\n\n\ny = 2\n');
    expect(def).toMatchObject({
      span: { line: 1, col: 1, endLine: 3, endCol: 17 },
      params: [{ span: { line: 1, col: 7, endCol: 8 } }, { span: { line: 1, col: 10, endCol: 13 } }],
    });
  });

  it('accepts a body on the same line', () => {
    expect(shape('def f(): return 1\n')).toEqual([
      { kind: 'FunctionDef', name: 'f', params: [], body: [{ kind: 'Return', value: int(1) }] },
    ]);
  });
});

describe('control flow', () => {
  it('turns elif into an If nested in orelse', () => {
    expect(shape('if x:\n    a = 1\nelif y:\n    a = 2\nelse:\n    a = 3\n')).toEqual([
      {
        kind: 'If',
        test: x,
        body: [{ kind: 'Assign', targets: [name('a')], value: int(1) }],
        orelse: [
          {
            kind: 'If',
            test: y,
            body: [{ kind: 'Assign', targets: [name('a')], value: int(2) }],
            orelse: [{ kind: 'Assign', targets: [name('a')], value: int(3) }],
          },
        ],
      },
    ]);
  });

  it('spans an elif from its keyword to the end of the chain', () => {
    const [stmt] = statements('if x:\n    a = 1\nelif y:\n    a = 2\nelse:\n    a = 3\n');
    expect(stmt!.span).toEqual({ line: 1, col: 1, endLine: 6, endCol: 10 });
    expect(stmt!.kind === 'If' && stmt!.orelse[0]!.span).toEqual({ line: 3, col: 1, endLine: 6, endCol: 10 });
  });

  it('reads while and for loops', () => {
    expect(shape('while flag[j] and turn == j:\n    pass\nfor i, v in items:\n    pass\n')).toEqual([
      {
        kind: 'While',
        test: {
          kind: 'BoolOp',
          op: 'and',
          values: [
            { kind: 'Subscript', value: name('flag'), index: name('j') },
            { kind: 'Compare', left: name('turn'), ops: ['=='], comparators: [name('j')] },
          ],
        },
        body: [{ kind: 'Pass' }],
      },
      {
        kind: 'For',
        target: { kind: 'Tuple', elts: [name('i'), name('v')] },
        iter: name('items'),
        body: [{ kind: 'Pass' }],
      },
    ]);
  });

  it('reads with one and several context managers', () => {
    expect(shape('with lock:\n    pass\nwith a, b:\n    pass\nwith (a, b):\n    pass\n')).toEqual([
      { kind: 'With', items: [name('lock')], body: [{ kind: 'Pass' }] },
      { kind: 'With', items: [name('a'), name('b')], body: [{ kind: 'Pass' }] },
      { kind: 'With', items: [name('a'), name('b')], body: [{ kind: 'Pass' }] },
    ]);
  });

  it('reads try with handlers, else and finally', () => {
    const src =
      'try:\n    a()\nexcept ValueError as err:\n    b()\nexcept Exception:\n    pass\nexcept:\n    raise\n' +
      'else:\n    c()\nfinally:\n    d()\n';
    const call = (f: string) => ({
      kind: 'Expr',
      value: { kind: 'Call', func: name(f), args: [], keywords: [] },
    });
    expect(shape(src)).toEqual([
      {
        kind: 'Try',
        body: [call('a')],
        handlers: [
          { type: name('ValueError'), name: 'err', body: [call('b')] },
          { type: name('Exception'), name: null, body: [{ kind: 'Pass' }] },
          { type: null, name: null, body: [{ kind: 'Raise', exc: null }] },
        ],
        orelse: [call('c')],
        finalbody: [call('d')],
      },
    ]);
  });

  it('reads try/finally without handlers', () => {
    expect(shape('try:\n    pass\nfinally:\n    pass\n')).toEqual([
      { kind: 'Try', body: [{ kind: 'Pass' }], handlers: [], orelse: [], finalbody: [{ kind: 'Pass' }] },
    ]);
  });

  it('spans a try statement to the end of its finally block and a handler from except', () => {
    const [stmt] = statements('try:\n    pass\nexcept E:\n    x = 1\nfinally:\n    y = 22\n');
    expect(stmt).toMatchObject({
      span: { line: 1, col: 1, endLine: 6, endCol: 11 },
      handlers: [{ span: { line: 3, col: 1, endLine: 4, endCol: 10 } }],
    });
  });
});
