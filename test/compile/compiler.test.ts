import { describe, expect, it } from 'vitest';
import { BUILTIN_OPS, Op, OP_INFO, stackEffect, type CodeObject } from '../../src/compile/ops.js';
import { METHOD_OPS } from '../../src/compile/methods.js';
import { compileSource, fingerprint } from '../../src/compile/index.js';
import { DEFAULT_MODEL, type ExecutionModel } from '../../src/compile/model.js';
import { compile, py } from '../helpers.js';

/** `MNEMONIC label` of each op of a code object, for exact shape assertions. */
function listing(code: CodeObject): string[] {
  return [...code.ops].map(
    (op, pc) => `${OP_INFO[op]!.mnemonic}${code.labels[pc] ? ` ${code.labels[pc]}` : ''}`,
  );
}

function fn(source: string, name: string): CodeObject {
  return compile(source).codes.find((c) => c.name === name)!;
}

describe('the compiler', () => {
  it('compiles counter += 1 on a global to LOAD counter, CONST 1, ADD, STORE counter', () => {
    const code = fn(
      py`
      counter = 0
      def increment(n):
          global counter
          for _ in range(n):
              counter += 1
      `,
      'increment',
    );
    const ops = listing(code);
    const at = ops.indexOf('LOAD counter');
    expect(ops.slice(at, at + 4)).toEqual(['LOAD counter', 'CONST 1', 'ADD', 'STORE counter']);
    // The loop itself is thread-local: only the LOAD and the STORE are visible.
    const visible = [...code.ops]
      .filter((op) => OP_INFO[op]!.visibility === 'always')
      .map((op) => OP_INFO[op]!.mnemonic);
    expect(visible).toEqual(['LOAD', 'STORE']);
  });

  it('compiles d[k] += 1 to a read of d, LOAD d[k], ADD, STORE d[k]', () => {
    const code = fn(
      py`
      d = {}
      def f(k):
          d[k] += 1
      `,
      'f',
    );
    expect(listing(code).slice(0, 8)).toEqual([
      'LOAD d',
      'LOAD_LOCAL k',
      'DUP2',
      'LOAD d[k]',
      'CONST 1',
      'ADD',
      'ROT3',
      'STORE d[k]',
    ]);
  });

  it('makes a local += invisible and a parameter a local', () => {
    const code = fn('def f(n):\n    x = 0\n    x += n\n    return x\n', 'f');
    expect([...code.ops].some((op) => OP_INFO[op]!.visibility === 'always')).toBe(false);
  });

  it('brackets a with block by ACQUIRE and RELEASE, and releases on the exceptional path too', () => {
    const code = fn(
      py`
      import threading
      lock = threading.Lock()
      c = 0
      def f():
          global c
          with lock:
              c += 1
      `,
      'f',
    );
    const ops = listing(code);
    expect(ops.filter((o) => o.startsWith('ACQUIRE'))).toEqual(['ACQUIRE lock']);
    expect(ops.filter((o) => o.startsWith('RELEASE'))).toEqual(['RELEASE lock', 'RELEASE lock']);
    expect(code.exceptionTable).toHaveLength(1);
  });

  it('names lock.acquire() and lock.release() ACQUIRE and RELEASE, and reads a def without a visible op', () => {
    const program = compile(
      py`
      import threading
      lock = threading.Lock()
      def work(lock):
          lock.acquire()
          lock.release()
      threading.Thread(target=work, args=(lock,)).start()
      `,
    );
    const work = program.codes.find((c) => c.name === 'work')!;
    const visible = listing(work).filter((_, pc) => OP_INFO[work.ops[pc]!]!.visibility === 'always');
    expect(visible).toEqual(['ACQUIRE lock', 'RELEASE lock']);
    expect(listing(program.codes[0]!)).toContain('LOAD_DEF work');
  });

  it('reads a name assigned later in the function as a local (UnboundLocalError at run time)', () => {
    const code = fn('x = 1\ndef f():\n    print(x)\n    x = 2\n', 'f');
    expect(listing(code)[0]).toBe('LOAD_LOCAL x');
  });

  it('puts a source span on every op', () => {
    const program = compile(py`
      counter = 0
      def f():
          global counter
          counter += 1
      `);
    for (const code of program.codes) {
      for (let pc = 0; pc < code.ops.length; pc++) expect(code.spans[pc * 4]).toBeGreaterThan(0);
    }
  });

  it('reports return outside a function, break outside a loop and an unsupported module with line:col', () => {
    const bad = (src: string) =>
      compileSource(src, 'bad.py').diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
    expect(bad('return 1\n')).toEqual(["E130 1:1 'return' outside function"]);
    expect(bad('x = 1\nbreak\n')).toEqual(["E130 2:1 'break' outside loop"]);
    expect(bad('import threading\nt = threading.Timer(1, print)\n')[0]).toMatch(
      /^E121 2:5 unsupported name 'threading.Timer'/,
    );
    expect(bad('x = "a".upper()\n')[0]).toMatch(/^E121 1:5 unsupported method '.upper\(\)'/);
    expect(bad('def f(x):\n    global x\n')[0]).toBe("E130 1:7 name 'x' is parameter and global");
  });

  it('names a Python builtin outside the subset and a module used without import', () => {
    const bad = (src: string) =>
      compileSource(src, 'bad.py').diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
    expect(bad('x = round(2.5)\n')).toEqual([
      "E121 1:5 unsupported builtin 'round': the subset's builtins are print, range, len, repr, str, int, float, bool, abs, min, max, sum, list, tuple, dict, sorted, enumerate, isinstance, and the exception classes of LANGUAGE.md",
    ]);
    expect(bad('print(threading.Lock())\n')).toEqual([
      "E121 1:7 name 'threading' is not defined: add `import threading` at the top of the program",
    ]);
    // A program may define a name that is a builtin elsewhere in Python.
    expect(bad('def zip(a):\n    return a\nprint(zip(1))\n')).toEqual([]);
  });

  it('refuses an expression nested deeper than it compiles, as a diagnostic', () => {
    const bad = compileSource(`x = 1${' + 1'.repeat(5000)}\n`, 'deep.py').diagnostics;
    expect(bad.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual([
      'E110 1:5 the expression is nested too deeply to compile (more than 1,500 levels): split it into several statements',
    ]);
    expect(compileSource(`x = 1${' + 1'.repeat(1000)}\n`, 'ok.py').diagnostics).toEqual([]);
  });

  it('applies --set to a tuple assignment and refuses a name with no constant assignment', () => {
    const src = 'counter, nthread, nloop = 0, 100, 50_000\n';
    const ok = compileSource(src, 'p.py', [['nthread', '2']]);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.program!.codes[0]!.consts).toContain(2);
    expect(ok.program!.codes[0]!.consts).not.toContain(100);
    const missing = compileSource(src, 'p.py', [['nope', '1']]);
    expect(missing.diagnostics[0]!.message).toMatch(/no module-level constant assignment to 'nope'/);
    const notLiteral = compileSource(src, 'p.py', [['nloop', 'f(1)']]);
    expect(notLiteral.diagnostics[0]!.code).toBe('E140');
    // `a, b = c = 1, 2`: a and c share one tuple, so --set a would change c too.
    const chained = compileSource('a, b = c = 1, 2\n', 'p.py', [['a', '5']]);
    expect(chained.diagnostics.map((d) => d.message)).toEqual([
      "--set a=5: 'a' is bound by a chained assignment (like `a = b = 1`), whose targets share one value; give it an assignment of its own",
    ]);
  });

  it('stamps a fingerprint that changes with the source and the --set values', () => {
    const src = 'a = 1\n';
    const f = (s: string, sets: [string, string][] = []) =>
      compileSource(s, 'p.py', sets).program!.fingerprint;
    expect(f(src)).toMatch(/^[0-9a-f]{8}$/);
    expect(f(src)).toBe(f(src));
    expect(f(src)).not.toBe(f('a = 2\n'));
    expect(f(src)).not.toBe(f(src, [['a', '3']]));
  });

  it('carries the execution model, and keeps the fingerprint of the default model as before models existed', () => {
    const { program } = compileSource('a = 1\n', 'p.py', [['a', '3']]);
    expect(program!.model).toEqual(DEFAULT_MODEL);
    // Values from before the execution model was part of the fingerprint: old schedules stay valid.
    expect(fingerprint('a = 1\n', [])).toBe('cb78bd8a');
    expect(program!.fingerprint).toBe('a65aa445');
    const other = { switchPoints: 'op', memory: 'tso' } as unknown as ExecutionModel;
    expect(fingerprint('a = 1\n', [], other)).not.toBe('cb78bd8a');
  });
});

describe('the op table', () => {
  it('holds the facts the compiler, the VM and the hardware runner share', () => {
    const facts = (op: Op) => {
      const i = OP_INFO[op]!;
      return [
        i.canRaise,
        i.fallsThrough,
        i.blocks,
        i.timeout,
        i.method,
        i.builtin,
        i.methodArgc?.(0x305) ?? null,
      ];
    };
    expect(facts(Op.ACQUIRE)).toEqual([true, true, true, true, 'acquire', null, 0x305]);
    expect(facts(Op.ENTER_WITH)).toEqual([true, true, true, false, null, null, 0]);
    expect(facts(Op.METHOD)).toEqual([true, true, false, false, null, null, 5]);
    expect(facts(Op.SLEEP)).toEqual([true, true, false, false, null, 'time.sleep', null]);
    expect(facts(Op.JUMP)).toEqual([false, false, false, false, null, null, null]);
    expect([Op.BUILD_DICT, Op.CALL, Op.UNPACK, Op.STORE_ITEM].map((op) => stackEffect(op, 3))).toEqual([
      -5, -3, 2, -3,
    ]);
    expect(Object.keys(METHOD_OPS)).toEqual([
      'acquire',
      'release',
      'wait',
      'notify',
      'notify_all',
      'set',
      'clear',
      'is_set',
      'locked',
      'start',
      'join',
      'is_alive',
      'append',
      'pop',
    ]);
    expect([...BUILTIN_OPS.keys()].sort()).toEqual([
      'print',
      'random.choice',
      'random.randint',
      'time.sleep',
    ]);
  });
});
