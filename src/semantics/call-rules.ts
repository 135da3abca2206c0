/**
 * What calling a value does, for everything but entering a Python function (each engine has
 * its own frames: the simulator pushes a Frame, the hardware runtime calls generated
 * JavaScript; both bind arguments with `bindArguments`). A builtin runs here, with the effectful
 * ones going through the engine's `Effects`; an exception class makes an exception; a method
 * value runs the op its method compiles to (one table: compile/methods.ts METHOD_OPS), through
 * the engine; anything else is CPython's "object is not callable".
 */
import { Op } from '../compile/ops.js';
import { METHOD_OPS } from '../compile/methods.js';
import { callBuiltin, type Args, type BuiltinContext } from './builtins.js';
import { choice, print, randint, sleep, type Effects } from './effects.js';
import { raise } from './exceptions.js';
import { lockOf } from './signatures.js';
import {
  PyBoundMethod,
  PyBuiltin,
  PyExcClass,
  PyException,
  typeName,
  type PyLock,
  type PySemaphore,
  type Value,
} from './values.js';

/** An engine as calls see it: its effects, and how it runs a method op. */
export interface CallEngine extends Effects {
  /**
   * Method op `op` on `self` with arguments `a`, exactly as the op compiled from
   * `self.name(...)` runs it (`name` matters for Op.METHOD); raises what that op raises.
   */
  runMethod(op: Op, name: string, self: Value, a: Args): Value;
  /** Take `l` for the running thread if that does not block; whether it was taken. */
  tryAcquire(l: PyLock | PySemaphore): boolean;
}

/**
 * Call `callee`, which is not a Python function (PyFunction: the engine enters it). `ctx`
 * makes the objects builtins create. Raises TypeError for a value that is not callable.
 */
export function callNonFunction(ctx: BuiltinContext, engine: CallEngine, callee: Value, a: Args): Value {
  if (callee instanceof PyBuiltin) {
    switch (callee.name) {
      case 'print':
        return print(a, engine);
      case 'time.sleep':
        return sleep(a, engine);
      case 'random.randint':
        return randint(a, engine);
      case 'random.choice':
        return choice(a, engine);
      default:
        for (const v of a.pos) engine.reads(v);
        return callBuiltin(ctx, callee, a);
    }
  }
  if (callee instanceof PyExcClass) return new PyException(callee, a.pos);
  if (callee instanceof PyBoundMethod) return callMethodValue(engine, callee, a);
  raise('TypeError', `'${typeName(callee)}' object is not callable`);
}

/**
 * Call a method taken as a value (`f = lock.release; f()`): the op its name compiles to. A
 * method that may block (acquire, wait, join) cannot pause in the middle of a call: an acquire
 * runs when the lock is free (and returns True), and otherwise, like wait and join, raises
 * RuntimeError asking for a direct call.
 */
export function callMethodValue(engine: CallEngine, m: PyBoundMethod, a: Args): Value {
  const op = METHOD_OPS[m.name];
  if (op === Op.ACQUIRE || op === Op.WAIT || op === Op.JOIN) {
    const l = lockOf(m.self);
    if (op === Op.ACQUIRE && l !== null) {
      if (engine.tryAcquire(l)) return true;
      raise(
        'RuntimeError',
        'a blocking acquire() through a method value is not supported; call lock.acquire() directly',
      );
    }
    raise('RuntimeError', `calling .${m.name}() through a method value is not supported; call it directly`);
  }
  return engine.runMethod(op ?? Op.METHOD, m.name, m.self, a);
}
