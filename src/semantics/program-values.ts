/**
 * The values a compiled program starts from: its code constants as Python values and the value
 * of each builtin name. Both engines (src/vm/machine.ts, src/hw/runtime.ts) read constants and
 * builtins from here, so a constant or a builtin is the same object whichever engine runs it.
 */
import { BUILTIN_NAMES, type ConstValue } from '../compile/ops.js';
import { EXC } from './exceptions.js';
import { Kind, PyBuiltin, PyFloat, PyModule, PyStream, PyTuple, type Value } from './values.js';

/** A code constant (the operand of MAKE_FUNCTION); never visible to programs. */
export class CodeRef extends PyTuple {
  constructor(readonly index: number) {
    super([]);
  }
}
Object.defineProperty(CodeRef.prototype, 'kind', { value: Kind.Immutable, writable: false });

/** A code constant as a Python value (floats boxed, tuples built, code as a CodeRef). */
export function materialize(c: ConstValue): Value {
  if (c === null || typeof c !== 'object') return c;
  if (c.kind === 'float') return new PyFloat(c.value);
  if (c.kind === 'tuple') return new PyTuple(c.items.map(materialize));
  return new CodeRef(c.index);
}

/** The value of each BUILTIN_NAMES entry, same index (shared by every engine; immutable). */
export const BUILTIN_VALUES: readonly Value[] = BUILTIN_NAMES.map((name) => {
  const exc = EXC[name];
  if (exc !== undefined) return exc;
  if (name === 'threading' || name === 'time' || name === 'random' || name === 'sys')
    return new PyModule(name);
  if (name === 'sys.stdout') return new PyStream('stdout');
  if (name === 'sys.stderr') return new PyStream('stderr');
  if (name === '__name__') return '__main__';
  return new PyBuiltin(name);
});
