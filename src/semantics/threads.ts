/**
 * How a started thread calls its target: `Thread(target=f, args=..., kwargs=...)` runs
 * `f(*args, **kwargs)` in the new thread (CPython's Thread.run). The arguments are read when
 * the thread starts, and what is wrong with them (args not iterable, kwargs not a mapping, a
 * key that is not a string) is the new thread's TypeError, not its starter's.
 */
import { iterateAll } from './containers.js';
import { PyRaise, makeException } from './exceptions.js';
import { PyDict, PyFunction, typeName, type Value } from './values.js';
import type { Args } from './builtins.js';

/**
 * The arguments of a thread's call of `target` (not null): positional from `args`, keywords
 * from `kwargs` (a dict or null). Throws PyRaise with CPython's TypeError of Thread.run.
 */
export function targetArguments(target: Value, args: Value, kwargs: Value): Args {
  const who = target instanceof PyFunction ? `__main__.${target.name}()` : `${typeName(target)} object`;
  let pos: Value[];
  try {
    pos = iterateAll(args);
  } catch {
    throw new PyRaise(
      makeException('TypeError', `${who} argument after * must be an iterable, not ${typeName(args)}`),
    );
  }
  if (kwargs === null) return { pos, kw: null };
  if (!(kwargs instanceof PyDict))
    throw new PyRaise(
      makeException('TypeError', `${who} argument after ** must be a mapping, not ${typeName(kwargs)}`),
    );
  const kw = new Map<string, Value>();
  for (const [k, v] of kwargs.map.values()) {
    if (typeof k !== 'string') throw new PyRaise(makeException('TypeError', 'keywords must be strings'));
    kw.set(k, v);
  }
  return { pos, kw: kw.size > 0 ? kw : null };
}
