/**
 * The cold ops on operand-stack values that `run` does not handle inline: arithmetic and
 * comparisons beyond small ints, stack shuffles, building tuples, lists, dicts and strings,
 * unpacking, formatting, iteration, and the exception-handler bookkeeping. The ones marked
 * `shared-operand` in the op table take a step when they read a list or a dict (the step's
 * footprint and trace then say which).
 */
import { COMPARE_OPS, Op } from '../compile/ops.js';
import { containerAccess, readIterator, readShared } from './access-events.js';
import { binary, checkListLength, compare, strTooLong, unary } from '../semantics/arith.js';
import { asIndex, dictSet, getIterator } from '../semantics/builtins.js';
import { excMatches } from '../semantics/calls.js';
import { contains, inPlace, iteratorIsShared, nextItem } from '../semantics/containers.js';
import { EXC, PyRaise, makeException, raise } from '../semantics/exceptions.js';
import { formatValue, repr } from '../semantics/format.js';
import type { VmContext } from './machine-view.js';
import type { Frame, ThreadState } from './thread.js';
import {
  MAX_STR_LENGTH,
  PyDict,
  PyDictView,
  PyException,
  PyFunction,
  PyList,
  PyTuple,
  isTruthy,
  touchesShared,
} from '../semantics/values.js';

/** A cold op's result when the thread must stop before the op (out of budget, or blocked). */
export const PAUSE = -1;

/**
 * Run one operand op of thread `t` at `frame`'s pc, as step `step` if it takes one. `gate`
 * takes the step (false: no budget left). Returns 1 if it took a step, 0 if it was invisible,
 * PAUSE if the thread must stop before it; the frame holds the updated pc and sp.
 */
export function operandOp(
  vm: VmContext,
  t: ThreadState,
  frame: Frame,
  op: Op,
  arg: number,
  step: number,
  gate: () => boolean,
): number {
  const code = frame.code;
  const pc = frame.pc;
  const stack = frame.stack;
  const sp = frame.sp;
  switch (op) {
    case Op.NOP:
      frame.pc++;
      return 0;
    case Op.LOAD_LOCAL:
      return raise(
        'UnboundLocalError',
        `cannot access local variable '${code.localNames[arg]}' where it is not associated with a value`,
      );
    case Op.CLEAR_LOCAL:
      frame.locals[arg] = undefined;
      frame.pc++;
      return 0;
    case Op.CLEAR_GLOBAL:
      vm.globals[arg] = undefined;
      frame.pc++;
      return 0;
    case Op.LOAD_DEF:
      return raise('NameError', `name '${vm.program.globalNames[arg]}' is not defined`);
    case Op.MAKE_FUNCTION: {
      // A code constant (machine.ts CodeRef): its index in the program.
      const ref = stack[sp - 1] as unknown as { index: number };
      const defaults = stack.slice(sp - 1 - arg, sp - 1);
      frame.sp -= arg + 1;
      const fnCode = vm.program.codes[ref.index]!;
      stack[frame.sp++] = new PyFunction(fnCode.name, fnCode, ref.index, defaults);
      frame.pc++;
      return 0;
    }
    case Op.ASSERT_FAIL:
      throw new PyRaise(
        arg === 1
          ? new PyException(EXC.AssertionError!, [stack[--frame.sp]!])
          : makeException('AssertionError'),
      );
    case Op.ADD:
    case Op.SUB:
    case Op.MUL:
    case Op.TRUEDIV:
    case Op.FLOORDIV:
    case Op.MOD: {
      const b = stack[sp - 1]!;
      const a = stack[sp - 2]!;
      const shared = touchesShared(a) || touchesShared(b);
      if (shared && !gate()) return PAUSE;
      if (shared) readShared(vm, step, t, code, pc, [a, b]);
      if (arg === 1 && a instanceof PyList && inPlace(op, a, b)) {
        // `list += x` / `list *= n` change the list itself (as list.extend): a write of it.
        containerAccess(vm, a, true);
        vm.observers.access(`o${a.id}`, null, true);
      } else stack[sp - 2] = binary(op, a, b, (items) => vm.newList(items), arg === 1);
      frame.sp--;
      frame.pc++;
      return shared ? 1 : 0;
    }
    case Op.NEG:
    case Op.POS:
      stack[sp - 1] = unary(op, stack[sp - 1]!);
      frame.pc++;
      return 0;
    case Op.NOT:
    case Op.POP_JUMP_IF_FALSE:
    case Op.POP_JUMP_IF_TRUE:
    case Op.JUMP_IF_FALSE_OR_POP:
    case Op.JUMP_IF_TRUE_OR_POP: {
      const v = stack[sp - 1]!;
      const shared = touchesShared(v);
      if (shared && !gate()) return PAUSE;
      if (shared) readShared(vm, step, t, code, pc, [v]);
      const truth = isTruthy(v);
      if (op === Op.NOT) {
        stack[sp - 1] = !truth;
        frame.pc++;
      } else if (op === Op.POP_JUMP_IF_FALSE || op === Op.POP_JUMP_IF_TRUE) {
        frame.sp--;
        frame.pc = truth === (op === Op.POP_JUMP_IF_TRUE) ? arg : pc + 1;
      } else if (truth === (op === Op.JUMP_IF_TRUE_OR_POP)) frame.pc = arg;
      else {
        frame.sp--;
        frame.pc++;
      }
      return shared ? 1 : 0;
    }
    case Op.COMPARE:
    case Op.CONTAINS: {
      const b = stack[sp - 1]!;
      const a = stack[sp - 2]!;
      const shared = touchesShared(a) || touchesShared(b);
      if (shared && !gate()) return PAUSE;
      if (shared) readShared(vm, step, t, code, pc, [a, b]);
      if (op === Op.COMPARE) stack[sp - 2] = compare(COMPARE_OPS[arg]!, a, b);
      else {
        const r = contains(b, a);
        stack[sp - 2] = arg === 0 ? r : !r;
      }
      frame.sp--;
      frame.pc++;
      return shared ? 1 : 0;
    }
    case Op.IS: {
      const b = stack[sp - 1]!;
      const a = stack[sp - 2]!;
      const same = a === b;
      stack[sp - 2] = arg === 0 ? same : !same;
      frame.sp--;
      frame.pc++;
      return 0;
    }
    case Op.DUP2:
      stack[sp] = stack[sp - 2]!;
      stack[sp + 1] = stack[sp - 1]!;
      frame.sp += 2;
      frame.pc++;
      return 0;
    case Op.ROT2: {
      const top = stack[sp - 1]!;
      stack[sp - 1] = stack[sp - 2]!;
      stack[sp - 2] = top;
      frame.pc++;
      return 0;
    }
    case Op.ROT3: {
      const top = stack[sp - 1]!;
      stack[sp - 1] = stack[sp - 2]!;
      stack[sp - 2] = stack[sp - 3]!;
      stack[sp - 3] = top;
      frame.pc++;
      return 0;
    }
    case Op.BUILD_TUPLE:
    case Op.BUILD_LIST: {
      const items = stack.slice(sp - arg, sp);
      frame.sp -= arg;
      stack[frame.sp++] = op === Op.BUILD_TUPLE ? new PyTuple(items) : vm.newList(items);
      frame.pc++;
      return 0;
    }
    case Op.BUILD_DICT: {
      const d = vm.newDict();
      for (let i = sp - 2 * arg; i < sp; i += 2) dictSet(d, stack[i]!, stack[i + 1]!);
      frame.sp -= 2 * arg;
      stack[frame.sp++] = d;
      frame.pc++;
      return 0;
    }
    case Op.UNPACK: {
      const v = stack[sp - 1]!;
      const shared = touchesShared(v);
      if (shared && !gate()) return PAUSE;
      if (shared) readShared(vm, step, t, code, pc, [v]);
      const items = v instanceof PyTuple || v instanceof PyList ? v.items : vm.iterateValue(v);
      if (items.length !== arg) {
        if (items.length > arg) raise('ValueError', `too many values to unpack (expected ${arg})`);
        raise('ValueError', `not enough values to unpack (expected ${arg}, got ${items.length})`);
      }
      frame.sp--;
      for (let i = arg - 1; i >= 0; i--) stack[frame.sp++] = items[i]!;
      frame.pc++;
      return shared ? 1 : 0;
    }
    case Op.FORMAT:
    case Op.CONVERT_REPR: {
      const v = stack[sp - 1]!;
      const shared = touchesShared(v);
      if (shared && !gate()) return PAUSE;
      if (shared) readShared(vm, step, t, code, pc, [v]);
      stack[sp - 1] = op === Op.FORMAT ? formatValue(v, frame.consts[arg] as string) : repr(v);
      frame.pc++;
      return shared ? 1 : 0;
    }
    case Op.BUILD_STRING: {
      let s = '';
      for (let i = sp - arg; i < sp; i++) {
        s += stack[i] as string;
        if (s.length > MAX_STR_LENGTH) strTooLong('f-string');
      }
      frame.sp -= arg;
      stack[frame.sp++] = s;
      frame.pc++;
      return 0;
    }
    case Op.GET_ITER: {
      const v = stack[sp - 1]!;
      // Iterating a dict snapshots its keys: a read of the whole dict.
      const shared = v instanceof PyDict || v instanceof PyDictView;
      if (shared && !gate()) return PAUSE;
      if (shared) readShared(vm, step, t, code, pc, [v]);
      stack[sp - 1] = getIterator(v);
      frame.pc++;
      return shared ? 1 : 0;
    }
    case Op.FOR_ITER: {
      const it = stack[sp - 1]!;
      const shared = iteratorIsShared(it);
      if (shared && !gate()) return PAUSE;
      if (shared) readIterator(vm, step, t, code, pc, it);
      const v = nextItem(it);
      if (v === undefined) {
        frame.sp--;
        frame.pc = arg;
      } else {
        stack[frame.sp++] = v;
        frame.pc++;
      }
      return shared ? 1 : 0;
    }
    case Op.SETUP_RANGE: {
      for (let i = sp - 3; i < sp; i++) stack[i] = asIndex(stack[i]!);
      if (stack[sp - 1] === 0) raise('ValueError', 'range() arg 3 must not be zero');
      frame.pc++;
      return 0;
    }
    case Op.LIST_APPEND: {
      const v = stack[--frame.sp]!;
      const items = (stack[frame.sp - arg] as PyList).items;
      checkListLength(items.length + 1);
      items.push(v);
      frame.pc++;
      return 0;
    }
    case Op.KW_NAMES:
      frame.kwnames = (frame.consts[arg] as PyTuple).items as string[];
      frame.pc++;
      return 0;
    case Op.CHECK_EXC_MATCH:
      stack[sp - 1] = excMatches(stack[sp - 2] as PyException, stack[sp - 1]!);
      frame.pc++;
      return 0;
    case Op.PUSH_EXC_INFO:
      t.handled.push(stack[sp - 1] as PyException);
      frame.pc++;
      return 0;
    case Op.POP_EXCEPT:
      t.handled.pop();
      frame.pc++;
      return 0;
    default:
      throw new Error(`internal error: unknown op ${op} at ${code.name}:${pc}`);
  }
}
