/**
 * Python's exception classes (the subset of docs/LANGUAGE.md plus the few CPython raises on its own,
 * AttributeError, RecursionError and MemoryError) and the JS carrier used to unwind from VM helpers.
 *
 * Helpers deep inside either engine `throw new PyRaise(exc)`; the simulator's interpreter loop
 * or the hardware runtime's generated code catches it and dispatches to the Python handler.
 * PyRaise never escapes an engine.
 */
import { PyException, PyExcClass, type Value } from './values.js';

const BaseException = new PyExcClass('BaseException', null);
const Exception = new PyExcClass('Exception', BaseException);
const ArithmeticError = new PyExcClass('ArithmeticError', Exception);
const LookupError = new PyExcClass('LookupError', Exception);
const RuntimeError = new PyExcClass('RuntimeError', Exception);
const NameError = new PyExcClass('NameError', Exception);

/** Every exception class by name. */
export const EXC: Readonly<Record<string, PyExcClass>> = {
  BaseException,
  Exception,
  ArithmeticError,
  LookupError,
  RuntimeError,
  NameError,
  RecursionError: new PyExcClass('RecursionError', RuntimeError),
  ValueError: new PyExcClass('ValueError', Exception),
  TypeError: new PyExcClass('TypeError', Exception),
  UnboundLocalError: new PyExcClass('UnboundLocalError', NameError),
  ZeroDivisionError: new PyExcClass('ZeroDivisionError', ArithmeticError),
  OverflowError: new PyExcClass('OverflowError', ArithmeticError),
  IndexError: new PyExcClass('IndexError', LookupError),
  KeyError: new PyExcClass('KeyError', LookupError),
  AssertionError: new PyExcClass('AssertionError', Exception),
  AttributeError: new PyExcClass('AttributeError', Exception),
  MemoryError: new PyExcClass('MemoryError', Exception),
};

export type ExcName =
  | 'RuntimeError'
  | 'RecursionError'
  | 'ValueError'
  | 'TypeError'
  | 'NameError'
  | 'UnboundLocalError'
  | 'ZeroDivisionError'
  | 'OverflowError'
  | 'IndexError'
  | 'KeyError'
  | 'AssertionError'
  | 'AttributeError'
  | 'MemoryError';

/** The JS carrier of a raised Python exception. */
export class PyRaise {
  constructor(readonly exc: PyException) {}
}

/** Make an exception of class `name` with one message argument (or none when `message` is undefined). */
export function makeException(name: ExcName, message?: Value): PyException {
  return new PyException(EXC[name]!, message === undefined ? [] : [message]);
}

/** Throw a Python exception from inside the VM. */
export function raise(name: ExcName, message?: Value): never {
  throw new PyRaise(makeException(name, message));
}

/** An exception class and its bases, most derived first (for `exception T` matching). */
export function classChain(c: PyExcClass): string[] {
  const out: string[] = [];
  for (let k: PyExcClass | null = c; k !== null; k = k.base) out.push(k.name);
  return out;
}
