import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/lang/parse.js';
import { UNSUPPORTED } from '../../src/lang/unsupported.js';
import { errors } from './helpers.js';

/** Each construct outside the subset, a program using it, and where the error must point. */
const CASES: [keyof typeof UNSUPPORTED, string, number, number][] = [
  ['class', 'x = 1\nclass Counter:\n    pass\n', 2, 1],
  ['lambda', 'key = lambda item: item[0]\n', 1, 7],
  ['yield', 'def gen():\n    yield 1\n', 2, 5],
  ['async', 'async def main():\n    pass\n', 1, 1],
  ['await', 'def f():\n    return await g()\n', 2, 12],
  ['nonlocal', 'def f():\n    nonlocal x\n', 2, 5],
  ['decorator', '@cache\ndef f():\n    pass\n', 1, 1],
  ['varargs', 'def f(a, *args):\n    pass\n', 1, 10],
  ['kwargs', 'def f(**kwargs):\n    pass\n', 1, 7],
  ['keywordOnly', 'def f(a, *, b):\n    pass\n', 1, 10],
  ['positionalOnly', 'def f(a, /):\n    pass\n', 1, 10],
  ['starArgs', 'print(*items)\n', 1, 7],
  ['kwArgs', 'f(**options)\n', 1, 3],
  ['starred', 'first, *rest = items\n', 1, 8],
  ['dictUnpacking', 'd = {**a}\n', 1, 6],
  ['annotation', 'count: int = 0\n', 1, 6],
  ['annotation', 'def f(n: int):\n    pass\n', 1, 8],
  ['slice', 'head = items[1:3]\n', 1, 14],
  ['set', 'seen = {1, 2}\n', 1, 8],
  ['setComprehension', 'seen = {x for x in items}\n', 1, 8],
  ['dictComprehension', 'd = {k: 0 for k in keys}\n', 1, 5],
  ['generator', 'total = sum(x for x in items)\n', 1, 13],
  ['generator', 'g = (x for x in items)\n', 1, 5],
  ['multipleFor', 'pairs = [(a, b) for a in x for b in y]\n', 1, 28],
  ['multipleIf', 'odd = [a for a in x if a if a % 2]\n', 1, 26],
  ['forElse', 'for i in range(3):\n    pass\nelse:\n    pass\n', 3, 1],
  ['whileElse', 'while x:\n    pass\nelse:\n    pass\n', 3, 1],
  ['withAs', 'with lock as held:\n    pass\n', 1, 11],
  ['walrus', 'if (n := len(items)) > 2:\n    pass\n', 1, 7],
  ['power', 'x = 2 ** 10\n', 1, 7],
  ['power', 'x **= 2\n', 1, 3],
  ['bitwise', 'x = a & b\n', 1, 7],
  ['bitwise', 'x = a | b\n', 1, 7],
  ['bitwise', 'x = a ^ b\n', 1, 7],
  ['bitwise', 'x = ~a\n', 1, 5],
  ['bitwise', 'x = a << 1\n', 1, 7],
  ['bitwise', 'x = a >> 1\n', 1, 7],
  ['bitwise', 'x |= 1\n', 1, 3],
  ['matmul', 'x = a @ b\n', 1, 7],
  ['match', 'match command:\n    case 1:\n        pass\n', 1, 1],
  ['typeAlias', 'type Point = tuple\n', 1, 1],
  ['importAs', 'import threading as th\n', 1, 18],
  ['importStar', 'from threading import *\n', 1, 23],
  ['nestedDef', 'def outer():\n    def inner():\n        pass\n', 2, 5],
  ['defInBlock', 'if ready:\n    def f():\n        pass\n', 2, 5],
  ['bytes', "data = b'abc'\n", 1, 8],
  ['complex', 'z = 2j\n', 1, 5],
  ['ellipsis', 'x = ...\n', 1, 5],
  ['attributeAssignment', 't.daemon = True\n', 1, 1],
  ['delName', 'del x\n', 1, 5],
  ['raiseFrom', 'raise ValueError() from err\n', 1, 20],
  ['exceptStar', 'try:\n    pass\nexcept* ValueError:\n    pass\n', 3, 7],
  ['fstringDebug', "s = f'{x=}'\n", 1, 9],
  ['fstringAscii', "s = f'{x!a}'\n", 1, 9],
  ['fstringNested', "s = f'{x:{width}}'\n", 1, 10],
];

describe('constructs outside the subset', () => {
  it.each(CASES)('names %s at its line:col', (what, source, line, col) => {
    const [first] = errors(source);
    expect(first).toMatchObject({
      code: 'E120',
      message: `unsupported construct: ${UNSUPPORTED[what]}`,
      line,
      col,
    });
  });

  it('has a test case for every entry of the table', () => {
    expect(new Set(CASES.map(([what]) => what))).toEqual(new Set(Object.keys(UNSUPPORTED)));
  });

  it('says that classes are not supported in the first version', () => {
    expect(errors('class A:\n    pass\n')).toEqual([
      {
        code: 'E120',
        message: 'unsupported construct: class definitions are not supported in the first version',
        line: 1,
        col: 1,
        width: 5,
      },
    ]);
  });

  it('reports every unsupported construct of a file, in order', () => {
    const found = errors('x = 2 ** 3\ny = lambda: 1\nclass A:\n    pass\n').map((d) => [d.line, d.col]);
    expect(found).toEqual([
      [1, 7],
      [2, 5],
      [3, 1],
    ]);
  });

  it('still accepts match and type as ordinary names', () => {
    const source = 'match = 1\nmatch += 1\nprint(match)\ntype = 2\ntype(x)\nif match:\n    pass\n';
    expect(parseProgram(source, 'm.py').diagnostics).toEqual([]);
  });
});

describe('imports outside threading, time, random and sys', () => {
  it('name the module', () => {
    expect(errors('import threading, os\n')).toEqual([
      {
        code: 'E121',
        message: "unsupported module 'os': only threading, time, random and sys can be imported",
        line: 1,
        col: 19,
        width: 2,
      },
    ]);
  });

  it('cover from-imports, dotted and relative modules', () => {
    expect(errors('from queue import Queue\n')[0]).toMatchObject({ code: 'E121', line: 1, col: 6 });
    expect(errors('import os.path\n')[0]!.message).toContain("'os.path'");
    expect(errors('from . import x\n')[0]).toMatchObject({ code: 'E121', col: 6 });
  });
});
