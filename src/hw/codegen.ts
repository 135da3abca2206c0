/**
 * Micro-ops to JavaScript: each code object becomes one function
 * `(R, M, l0 .. lP-1) => value` whose locals are JavaScript variables `l0..`, whose value-stack
 * slots are variables `s0..` (the slot of an op's operand is known from the stack depth the
 * compiler recorded at each op, CodeObject.depths), and whose control flow is a
 * `for (;;) switch (pc)` over the ops, so a loop of the program is a loop of machine code once
 * the JIT has it. `counter += 1` on a global becomes an Atomics.load, an integer add and an
 * Atomics.store (`--memory sc`) or two plain typed-array accesses (`--memory plain`): a race
 * window of real code, not of an interpreter.
 *
 * Only integers are spliced into the text: op operands, pcs, slot numbers and global indices.
 * Names, strings and constants of the program stay in tables the function reads at run time
 * (`R.consts[k]`, the program's code objects), so no program text can reach the generated source.
 *
 * `R` is the worker's runtime; the members the generated code uses are the interface
 * GeneratedCodeRuntime (src/hw/contract.ts), named here only through `rt('name')`.
 */
import { Op, OP_INFO, type CodeObject, type CompiledProgram } from '../compile/ops.js';
import { member as rt } from './contract.js';
import type { MemoryMode } from './types.js';

/** Largest integer whose sum with another such stays exact in a double (the VM's int range). */
const EXACT = 9007199254740992;

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`internal error: codegen splices a non-integer ${String(n)}`);
  return String(n);
}

/**
 * FOR_RANGE loops whose body is straight-line code: pc of the FOR_RANGE → its exit pc. The body
 * (FOR_RANGE + 1 .. exit − 2) has no jump and no jump or handler lands in it, the op before the
 * exit is the `JUMP` back to the FOR_RANGE, and no try region covers it.
 */
function simpleRangeLoops(code: CodeObject, targets: Set<number>): Map<number, number> {
  const loops = new Map<number, number>();
  for (let pc = 0; pc < code.ops.length; pc++) {
    if ((code.ops[pc] as Op) !== Op.FOR_RANGE) continue;
    const exit = code.args[pc]!;
    if (exit <= pc + 1 || (code.ops[exit - 1] as Op) !== Op.JUMP || code.args[exit - 1] !== pc) continue;
    let simple = true;
    for (let b = pc + 1; b < exit - 1 && simple; b++) {
      const op = code.ops[b] as Op;
      if (
        OP_INFO[op]!.operand === 'jump' ||
        op === Op.RETURN ||
        op === Op.END ||
        op === Op.RAISE ||
        op === Op.RERAISE
      )
        simple = false;
      if (targets.has(b)) simple = false;
    }
    if (targets.has(exit - 1)) simple = false;
    if (code.exceptionTable.some((h) => h.start < exit && h.end > pc)) simple = false;
    if (simple) loops.set(pc, exit);
  }
  return loops;
}

/** Ops whose fast path cannot raise: they record the pc only on their slow path. */
const PC_IN_SLOW_PATH = new Set<Op>([Op.LOAD_GLOBAL, Op.STORE_GLOBAL, Op.ADD, Op.SUB, Op.COMPARE]);

/** JavaScript source of the function for code object `k`. */
export function generateFunction(code: CodeObject, k: number, memory: MemoryMode): string {
  const n = code.ops.length;
  const s = (i: number): string => `s${int(i)}`;
  const out: string[] = [];
  const params = Array.from({ length: code.paramCount }, (_, i) => `l${int(i)}`);
  out.push(`(function c${int(k)}(R, M${params.map((p) => `, ${p}`).join('')}) {`);
  const locals = Array.from(
    { length: code.localNames.length - code.paramCount },
    (_, i) => `l${int(i + code.paramCount)}`,
  );
  const slots = Array.from({ length: Math.max(code.maxStack, 1) + 2 }, (_, i) => s(i));
  out.push(`let ${[...locals, ...slots, 'pc = 0', 'kw = null', 'w = 0', 'x', 'y'].join(', ')};`);
  out.push(
    `const C = ${rt('consts')}[${int(k)}], B = ${rt('builtins')}, G = ${rt('G')}, hb = ${rt('handled')}.length;`,
  );
  out.push('for (;;) { try { switch (pc) {');
  const load = memory === 'sc' ? (i: string) => `Atomics.load(M, ${i})` : (i: string) => `M[${i}]`;
  const store =
    memory === 'sc'
      ? (i: string, v: string) => `Atomics.store(M, ${i}, ${v})`
      : (i: string, v: string) => `M[${i}] = ${v}`;
  // Where control can arrive other than from the op before (a stack slot's value is then unknown).
  const targets = new Set<number>(code.exceptionTable.map((h) => h.handler));
  for (let pc = 0; pc < n; pc++)
    if (OP_INFO[code.ops[pc] as Op]!.operand === 'jump') targets.add(code.args[pc]!);
  /** The int literal the op before pushed on top of the stack, when it did (`CONST 1` before `ADD`). */
  const literalOnTop = (pc: number): string | null => {
    if (pc === 0 || targets.has(pc) || (code.ops[pc - 1] as Op) !== Op.CONST) return null;
    const c = code.consts[code.args[pc - 1]!];
    return typeof c === 'number' && Number.isSafeInteger(c) && Math.abs(c) < 2 ** 31 ? int(c) : null;
  };
  /** Push the code of the op at `pc` (without its case label) to `out`. */
  const emit = (pc: number, out: string[]): void => {
    const op = code.ops[pc] as Op;
    const arg = code.args[pc]!;
    const d = code.depths[pc]!;
    const a = int(arg);
    const top = s(d - 1);
    const jump = (target: number): string => `{ pc = ${int(target)}; continue; }`;
    const argsOf = (count: number): string =>
      `[${Array.from({ length: count }, (_, i) => s(d - count + i)).join(', ')}]`;
    // pc is kept only before ops that can raise (the handler and the traceback need it); the
    // ops with an inline fast path keep it in their slow path only.
    // An op that cannot raise (the op table's canRaise) needs no pc recorded before it.
    if (OP_INFO[op]!.canRaise && !PC_IN_SLOW_PATH.has(op)) out.push(`pc = ${int(pc)};`);
    switch (op) {
      case Op.NOP:
        break;
      case Op.CONST: {
        const c = code.consts[arg];
        // An int constant is spliced as a number literal (a number, never text: see the header).
        out.push(`${s(d)} = ${typeof c === 'number' && Number.isSafeInteger(c) ? int(c) : `C[${a}]`};`);
        break;
      }
      case Op.LOAD_LOCAL:
        out.push(`if ((${s(d)} = l${a}) === undefined) ${rt('unboundLocal')}(${int(k)}, ${a});`);
        break;
      case Op.STORE_LOCAL:
        out.push(`l${a} = ${top};`);
        break;
      case Op.CLEAR_LOCAL:
        out.push(`l${a} = undefined;`);
        break;
      case Op.CLEAR_GLOBAL:
        out.push(`${rt('clearGlobal')}(${a});`);
        break;
      case Op.LOAD_GLOBAL:
        out.push(
          `{ const w = ${load(`G + ${a}`)}; ${s(d)} = (w & 1) === 0 ? w >> 1 : ((pc = ${int(pc)}), ${rt('loadGlobalSlow')}(${a}, w)); }`,
        );
        break;
      case Op.STORE_GLOBAL:
        out.push(
          `{ const x = ${top}; if (typeof x === 'number' && (x | 0) === x && x >= -1073741824 && x < 1073741824) ${store(`G + ${a}`, 'x << 1')}; else { pc = ${int(pc)}; ${rt('storeGlobal')}(${a}, x); } }`,
        );
        break;
      case Op.LOAD_DEF:
        out.push(`${s(d)} = ${rt('loadGlobal')}(${a});`);
        break;
      case Op.STORE_DEF:
        out.push(`${rt('storeGlobal')}(${a}, ${top});`);
        break;
      case Op.BUILTIN:
        out.push(`${s(d)} = B[${a}];`);
        break;
      case Op.LOAD_ATTR:
        out.push(`${top} = ${rt('loadAttr')}(${top}, ${int(k)}, ${a});`);
        break;
      case Op.LOAD_ITEM:
        out.push(`${s(d - 2)} = ${rt('loadItem')}(${s(d - 2)}, ${top});`);
        break;
      case Op.STORE_ITEM:
        out.push(`${rt('storeItem')}(${s(d - 3)}, ${s(d - 2)}, ${top});`);
        break;
      case Op.DELETE_ITEM:
        out.push(`${rt('deleteItem')}(${s(d - 2)}, ${top});`);
        break;
      case Op.ADD:
      case Op.SUB: {
        const sign = op === Op.ADD ? '+' : '-';
        const lit = literalOnTop(pc);
        if (lit !== null) {
          out.push(
            `{ const x = ${s(d - 2)}; let w; if (typeof x === 'number' && (w = x ${sign} ${lit}) < ${EXACT} && w > -${EXACT}) ${s(d - 2)} = w; else { pc = ${int(pc)}; ${s(d - 2)} = ${rt('binary')}(${int(op)}, x, ${lit}, ${a}); } }`,
          );
          break;
        }
        out.push(
          `x = ${s(d - 2)}; y = ${top}; if (typeof x === 'number' && typeof y === 'number' && (w = x ${sign} y) < ${EXACT} && w > -${EXACT}) ${s(d - 2)} = w; else { pc = ${int(pc)}; ${s(d - 2)} = ${rt('binary')}(${int(op)}, x, y, ${a}); }`,
        );
        break;
      }
      case Op.MUL:
      case Op.TRUEDIV:
      case Op.FLOORDIV:
      case Op.MOD:
        out.push(`${s(d - 2)} = ${rt('binary')}(${int(op)}, ${s(d - 2)}, ${top}, ${a});`);
        break;
      case Op.NEG:
      case Op.POS:
        out.push(`${top} = ${rt('unary')}(${int(op)}, ${top});`);
        break;
      case Op.NOT:
        out.push(`${top} = !(${top} === true || (${top} !== false && ${rt('truthy')}(${top})));`);
        break;
      case Op.COMPARE: {
        const js = ['<', '<=', '>', '>=', '===', '!=='][arg]!;
        out.push(
          `x = ${s(d - 2)}; y = ${top}; ${s(d - 2)} = typeof x === 'number' && typeof y === 'number' ? x ${js} y : ((pc = ${int(pc)}), ${rt('compare')}(${a}, x, y));`,
        );
        break;
      }
      case Op.IS:
        out.push(`${s(d - 2)} = (${s(d - 2)} === ${top}) === ${arg === 0 ? 'true' : 'false'};`);
        break;
      case Op.CONTAINS:
        out.push(`${s(d - 2)} = ${rt('contains')}(${s(d - 2)}, ${top}) === ${arg === 0 ? 'true' : 'false'};`);
        break;
      case Op.JUMP:
        out.push(jump(arg));
        break;
      case Op.POP_JUMP_IF_FALSE:
        out.push(`if (!(${top} === true || (${top} !== false && ${rt('truthy')}(${top})))) ${jump(arg)}`);
        break;
      case Op.POP_JUMP_IF_TRUE:
        out.push(`if (${top} === true || (${top} !== false && ${rt('truthy')}(${top}))) ${jump(arg)}`);
        break;
      case Op.JUMP_IF_FALSE_OR_POP:
        out.push(`if (!${rt('truthy')}(${top})) ${jump(arg)}`);
        break;
      case Op.JUMP_IF_TRUE_OR_POP:
        out.push(`if (${rt('truthy')}(${top})) ${jump(arg)}`);
        break;
      case Op.POP:
        break;
      case Op.DUP:
        out.push(`${s(d)} = ${top};`);
        break;
      case Op.DUP2:
        out.push(`${s(d)} = ${s(d - 2)}; ${s(d + 1)} = ${top};`);
        break;
      case Op.ROT2:
        out.push(`x = ${top}; ${top} = ${s(d - 2)}; ${s(d - 2)} = x;`);
        break;
      case Op.ROT3:
        out.push(`x = ${top}; ${top} = ${s(d - 2)}; ${s(d - 2)} = ${s(d - 3)}; ${s(d - 3)} = x;`);
        break;
      case Op.BUILD_TUPLE:
        out.push(`${s(d - arg)} = ${rt('tuple')}(${argsOf(arg)});`);
        break;
      case Op.BUILD_LIST:
        out.push(`${s(d - arg)} = ${rt('list')}(${argsOf(arg)});`);
        break;
      case Op.BUILD_DICT:
        out.push(`${s(d - 2 * arg)} = ${rt('dict')}(${argsOf(2 * arg)});`);
        break;
      case Op.UNPACK: {
        // The first item ends on top.
        const lines = [`x = ${rt('unpack')}(${top}, ${a});`];
        for (let i = 0; i < arg; i++) lines.push(`${s(d - 1 + i)} = x[${int(arg - 1 - i)}];`);
        out.push(lines.join(' '));
        break;
      }
      case Op.FORMAT:
        out.push(`${top} = ${rt('format')}(${top}, C[${a}]);`);
        break;
      case Op.CONVERT_REPR:
        out.push(`${top} = ${rt('repr')}(${top});`);
        break;
      case Op.BUILD_STRING:
        // Joined by the runtime, which holds strings to the simulator's size cap.
        out.push(`${s(d - arg)} = ${rt('buildString')}(${argsOf(arg)});`);
        break;
      case Op.GET_ITER:
        out.push(`${top} = ${rt('iter')}(${top});`);
        break;
      case Op.FOR_ITER:
        out.push(`x = ${rt('next')}(${top}); if (x === undefined) ${jump(arg)} ${s(d)} = x;`);
        break;
      case Op.FOR_RANGE:
        // [next, stop, step] → [next + step, stop, step, next], or pop the three and leave.
        out.push(
          `if (${top} > 0 ? ${s(d - 3)} < ${s(d - 2)} : ${s(d - 3)} > ${s(d - 2)}) { ${s(d)} = ${s(d - 3)}; ${s(d - 3)} += ${top}; } else ${jump(arg)}`,
        );
        break;
      case Op.SETUP_RANGE:
        out.push(
          `${s(d - 3)} = ${rt('index')}(${s(d - 3)}); ${s(d - 2)} = ${rt('index')}(${s(d - 2)}); ${top} = ${rt('rangeStep')}(${top});`,
        );
        break;
      case Op.LIST_APPEND:
        out.push(`${rt('listAppend')}(${s(d - 1 - arg)}, ${top});`);
        break;
      case Op.KW_NAMES:
        out.push(`kw = C[${a}].items;`);
        break;
      case Op.CALL:
        out.push(
          `x = kw; kw = null; ${s(d - arg - 1)} = ${rt('callOp')}(${s(d - arg - 1)}, ${argsOf(arg)}, x);`,
        );
        break;
      case Op.MAKE_FUNCTION:
        out.push(
          `${s(d - 1 - arg)} = ${rt('makeFunction')}(${top}, [${Array.from({ length: arg }, (_, i) => s(d - 1 - arg + i)).join(', ')}]);`,
        );
        break;
      case Op.RETURN:
        out.push(`return ${top};`);
        break;
      case Op.ENTER_WITH:
      case Op.EXIT_WITH:
        out.push(`${rt('method')}(${int(op)}, ${top}, [], null, ${int(k)}, ${int(pc)});`);
        break;
      case Op.ACQUIRE:
      case Op.RELEASE:
      case Op.WAIT:
      case Op.NOTIFY:
      case Op.NOTIFY_ALL:
      case Op.SET_EVENT:
      case Op.CLEAR:
      case Op.IS_SET:
      case Op.LOCKED:
      case Op.START:
      case Op.JOIN:
      case Op.IS_ALIVE:
      case Op.APPEND:
      case Op.POP_ITEM:
      case Op.METHOD: {
        const argc = op === Op.METHOD ? arg & 0xff : arg;
        out.push(
          `x = kw; kw = null; ${s(d - argc - 1)} = ${rt('methodOp')}(${int(op)}, ${s(d - argc - 1)}, ${argsOf(argc)}, x, ${int(k)}, ${int(pc)});`,
        );
        break;
      }
      case Op.SLEEP:
      case Op.PRINT:
      case Op.RANDINT:
      case Op.CHOICE:
        out.push(`x = kw; kw = null; ${s(d - arg)} = ${rt('builtinOp')}(${int(op)}, ${argsOf(arg)}, x);`);
        break;
      case Op.RAISE:
        out.push(arg === 0 ? `${rt('reraiseHandled')}();` : `${rt('raiseValue')}(${top});`);
        break;
      case Op.RERAISE:
        out.push(`${rt('reraise')}(${top});`);
        break;
      case Op.CHECK_EXC_MATCH:
        out.push(`${top} = ${rt('excMatches')}(${s(d - 2)}, ${top});`);
        break;
      case Op.PUSH_EXC_INFO:
        out.push(`${rt('handled')}.push(${top});`);
        break;
      case Op.POP_EXCEPT:
        out.push(`${rt('handled')}.pop();`);
        break;
      case Op.ASSERT_FAIL:
        out.push(`${rt('assertFail')}(${arg === 1 ? top : 'undefined'});`);
        break;
      case Op.END:
        out.push('return null;');
        break;
      default:
        throw new Error(`internal error: no code generation for ${OP_INFO[op]?.mnemonic ?? op}`);
    }
  };
  const loops = simpleRangeLoops(code, targets);
  for (let pc = 0; pc < n; pc++) {
    const end = loops.get(pc);
    out.push(`case ${int(pc)}:`);
    if (end === undefined) {
      emit(pc, out);
      continue;
    }
    // `for _ in range(...)` with a straight-line body: a JavaScript loop, so the back edge is a
    // jump of machine code rather than a dispatch through the switch.
    const d = code.depths[pc]!;
    const [next, stop, step, item] = [s(d - 3), s(d - 2), s(d - 1), s(d)];
    out.push(
      `for (;;) { if (!(${step} > 0 ? ${next} < ${stop} : ${next} > ${stop})) break; ${item} = ${next}; ${next} += ${step};`,
    );
    for (let body = pc + 1; body < end - 1; body++) emit(body, out);
    out.push(`} pc = ${int(end)}; continue;`);
    pc = end - 1;
  }
  out.push(`default: throw new Error('internal error: pc ' + pc + ' out of range in code ' + ${int(k)});`);
  out.push('} } catch (e) {');
  out.push(`kw = null; pc = ${rt('unwind')}(e, ${int(k)}, pc, hb);`);
  // The handler receives the exception in the slot at its entry's stack depth.
  const handlers = new Map<number, number>();
  for (const h of code.exceptionTable) handlers.set(h.handler, h.depth);
  out.push('switch (pc) {');
  for (const [h, depth] of handlers) out.push(`case ${int(h)}: ${s(depth)} = ${rt('caught')}; break;`);
  out.push('} } } })');
  return out.join('\n');
}

/** The generated source of every code object of `program`, as an array expression. */
export function generateProgram(program: CompiledProgram, memory: MemoryMode): string {
  return `[${program.codes.map((c, k) => generateFunction(c, k, memory)).join(',\n')}]`;
}
