/**
 * Lists, dicts, tuples, strings and ranges: subscripts, iteration, and their methods
 * (docs/LANGUAGE.md: list `append pop`, dict `get keys values items setdefault`, and a few more),
 * with CPython's errors. Each is one atomic op, as under CPython's GIL.
 */
import { Op } from '../compile/ops.js';
import { checkListLength, listTooLong, sameOrEquals } from './arith.js';
import { asIndex, dictSet, dictTooLarge, getIterator, iterate } from './builtins.js';
import { raise } from './exceptions.js';
import { repr } from './format.js';
import {
  PyDict,
  PyDictIter,
  PyDictView,
  PyEnumerateIter,
  PyFloat,
  PyList,
  PyRange,
  PySeqIter,
  PyTuple,
  MAX_DICT_SIZE,
  MAX_INT,
  MAX_LIST_LENGTH,
  dictKey,
  objectKeyId,
  typeName,
  type Value,
} from './values.js';

function normIndex(kind: string, len: number, index: Value): number {
  if (typeof index !== 'number' && typeof index !== 'boolean') {
    raise('TypeError', `${kind} indices must be integers or slices, not ${typeName(index)}`);
  }
  const i = Number(index);
  const j = i < 0 ? i + len : i;
  if (j < 0 || j >= len) raise('IndexError', `${kind} index out of range`);
  return j;
}

/** `container[index]`. */
export function getItem(container: Value, index: Value): Value {
  if (container instanceof PyList) return container.items[normIndex('list', container.items.length, index)]!;
  if (container instanceof PyDict) {
    const key = dictKey(index);
    if (key === undefined) raise('TypeError', `unhashable type: '${typeName(index)}'`);
    const entry = container.map.get(key);
    if (entry === undefined) raise('KeyError', index);
    return entry[1];
  }
  if (container instanceof PyTuple)
    return container.items[normIndex('tuple', container.items.length, index)]!;
  if (typeof container === 'string') return container[normIndex('string', container.length, index)]!;
  if (container instanceof PyRange) return rangeItem(container, index);
  raise('TypeError', `'${typeName(container)}' object is not subscriptable`);
}

/** `r[index]`, exact for ranges of more than 2^53 items too. */
function rangeItem(r: PyRange, index: Value): number {
  const len = r.length;
  if (len < MAX_INT) return r.at(normIndex('range object', len, index));
  if (typeof index !== 'number' && typeof index !== 'boolean')
    raise('TypeError', `range indices must be integers or slices, not ${typeName(index)}`);
  const big = r.bigLength;
  const i = BigInt(Number(index));
  const j = i < 0n ? i + big : i;
  if (j < 0n || j >= big) raise('IndexError', 'range object index out of range');
  return r.atBig(j);
}

/** `container[index] = value`. */
export function setItem(container: Value, index: Value, value: Value): void {
  if (container instanceof PyList) {
    container.items[normIndex('list assignment', container.items.length, index)] = value;
    return;
  }
  if (container instanceof PyDict) {
    dictSet(container, index, value);
    return;
  }
  raise('TypeError', `'${typeName(container)}' object does not support item assignment`);
}

/** `del container[index]`. */
export function deleteItem(container: Value, index: Value): void {
  if (container instanceof PyList) {
    container.items.splice(normIndex('list assignment', container.items.length, index), 1);
    return;
  }
  if (container instanceof PyDict) {
    const key = dictKey(index);
    if (key === undefined) raise('TypeError', `unhashable type: '${typeName(index)}'`);
    if (!container.map.delete(key)) raise('KeyError', index);
    return;
  }
  raise('TypeError', `'${typeName(container)}' object doesn't support item deletion`);
}

/** The cell key of `container[index]` for the lost-update analysis, or null when it is not shared. */
export function itemCellKey(container: Value, index: Value): string | null {
  if (container instanceof PyList) {
    const i =
      typeof index === 'number' ? (index < 0 ? index + container.items.length : index) : Number(index);
    return `${container.id}:${i}`;
  }
  if (container instanceof PyDict) {
    const key = dictKey(index);
    return key === undefined
      ? null
      : `${container.id}:${typeof key === 'object' ? `o${objectKeyId(key)}` : String(key)}`;
  }
  return null;
}

/** Whether the int `n` is an item of `r`, exactly (BigInt when the offset passes 2^53). */
function rangeHas(r: PyRange, n: number): boolean {
  const { start, stop, step } = r;
  if (step > 0 ? !(n >= start && n < stop) : !(n <= start && n > stop)) return false;
  const offset = n - start;
  if (offset < MAX_INT && offset > -MAX_INT) return offset % step === 0;
  return (BigInt(n) - BigInt(start)) % BigInt(step) === 0n;
}

/** `item in container`. */
export function contains(container: Value, item: Value): boolean {
  if (container instanceof PyDict) {
    const key = dictKey(item);
    if (key === undefined) raise('TypeError', `unhashable type: '${typeName(item)}'`);
    return container.map.has(key);
  }
  if (typeof container === 'string') {
    if (typeof item !== 'string')
      raise('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyRange) {
    // An int equal to `item` (a bool, or an integral float), found without listing the range.
    const n =
      typeof item === 'number' || typeof item === 'boolean'
        ? Number(item)
        : item instanceof PyFloat && Number.isInteger(item.v)
          ? item.v
          : null;
    if (n === null) return false;
    return rangeHas(container, n);
  }
  if (container instanceof PyList || container instanceof PyTuple)
    return container.items.some((x) => sameOrEquals(x, item));
  if (container instanceof PyDictView) return iterate(container).some((x) => sameOrEquals(x, item));
  raise('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

/** Advance an iterator: the next value, or undefined when exhausted. */
export function nextItem(it: Value): Value | undefined {
  if (it instanceof PySeqIter) {
    const seq = it.seq;
    if (seq instanceof PyList || seq instanceof PyTuple)
      return it.index < seq.items.length ? seq.items[it.index++]! : undefined;
    if (typeof seq === 'string') return it.index < seq.length ? seq[it.index++]! : undefined;
    return it.index < seq.length ? seq.at(it.index++) : undefined;
  }
  if (it instanceof PyDictIter) {
    if (it.dict.map.size !== it.size) raise('RuntimeError', 'dictionary changed size during iteration');
    while (it.index < it.keys.length) {
      const k = it.keys[it.index++]!;
      const entry = it.dict.map.get(dictKey(k)!);
      if (entry === undefined) continue;
      if (it.mode === 'keys') return k;
      if (it.mode === 'values') return entry[1];
      return new PyTuple([k, entry[1]]);
    }
    return undefined;
  }
  if (it instanceof PyEnumerateIter) {
    const v = nextItem(it.inner as Value);
    return v === undefined ? undefined : new PyTuple([it.count++, v]);
  }
  raise('TypeError', `'${typeName(it)}' object is not an iterator`);
}

/** All the items of an iterable, read through its iterator (TypeError if it is not one). */
export function iterateAll(v: Value): Value[] {
  if (v instanceof PyList || v instanceof PyTuple) return [...v.items];
  if (typeof v === 'string') return [...v];
  const it = getIterator(v);
  const out: Value[] = [];
  for (let x = nextItem(it); x !== undefined; x = nextItem(it)) out.push(x);
  return out;
}

/** `sep.join(iterable)`: TypeError for an item that is not a str. */
export function joinStrings(sep: string, iterable: Value): string {
  return iterateAll(iterable)
    .map((x) =>
      typeof x === 'string'
        ? x
        : raise('TypeError', `sequence item: expected str instance, ${typeName(x)} found`),
    )
    .join(sep);
}

/** The append of a list display or comprehension (`[x for ...]`): MemoryError past the cap. */
export function listAppend(list: PyList, v: Value): void {
  checkListLength(list.items.length + 1);
  list.items.push(v);
}

/** Whether advancing `it` reads shared memory (a list or dict underneath). */
export function iteratorIsShared(it: Value): boolean {
  if (it instanceof PySeqIter) return it.seq instanceof PyList;
  if (it instanceof PyDictIter) return true;
  if (it instanceof PyEnumerateIter) return iteratorIsShared(it.inner as Value);
  return false;
}

function noAttribute(self: Value, name: string): never {
  raise('AttributeError', `'${typeName(self)}' object has no attribute '${name}'`);
}

function argCount(name: string, args: Value[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    if (min === max)
      raise(
        'TypeError',
        `${name}() takes exactly ${min === 1 ? 'one argument' : `${min} arguments`} (${args.length} given)`,
      );
    raise(
      'TypeError',
      `${name} expected ${args.length < min ? `at least ${min}` : `at most ${max}`} argument${(args.length < min ? min : max) === 1 ? '' : 's'}, got ${args.length}`,
    );
  }
}

/** `list.append(x)`. */
export function append(self: Value, args: Value[]): Value {
  if (!(self instanceof PyList)) noAttribute(self, 'append');
  argCount('list.append', args, 1, 1);
  if (self.items.length >= MAX_LIST_LENGTH) listTooLong();
  self.items.push(args[0]!);
  return null;
}

/** Append `items` to `list` in place, in a loop (a spread call overflows the JS stack). */
function extendList(list: PyList, items: readonly Value[]): void {
  checkListLength(list.items.length + items.length);
  const dst = list.items;
  for (let i = 0; i < items.length; i++) dst.push(items[i]!);
}

/**
 * `a OP= b` on a list `a`, in place as in CPython: `+=` is `a.extend(b)` (any iterable) and
 * `*=` repeats the items; the same object is then stored back. Returns false for other ops,
 * which build a new value (`binary`).
 */
export function inPlace(op: Op, a: PyList, b: Value): boolean {
  if (op === Op.ADD) {
    extendList(a, iterate(b));
    return true;
  }
  if (op === Op.MUL) {
    if (typeof b !== 'number' && typeof b !== 'boolean')
      raise('TypeError', `can't multiply sequence by non-int of type '${typeName(b)}'`);
    const times = Math.max(0, Number(b));
    if (a.items.length * times > MAX_LIST_LENGTH) listTooLong('repeated sequence');
    const items = a.items;
    const n = items.length;
    if (times === 0) items.length = 0;
    for (let t = 1; t < times; t++) for (let i = 0; i < n; i++) items.push(items[i]!);
    return true;
  }
  return false;
}

/** `list.pop([i])` and `dict.pop(k[, default])`. */
export function pop(self: Value, args: Value[]): Value {
  if (self instanceof PyList) {
    argCount('pop', args, 0, 1);
    if (self.items.length === 0) raise('IndexError', 'pop from empty list');
    if (args.length === 0) return self.items.pop()!;
    const i = asIndex(args[0]!);
    const j = i < 0 ? i + self.items.length : i;
    if (j < 0 || j >= self.items.length) raise('IndexError', 'pop index out of range');
    return self.items.splice(j, 1)[0]!;
  }
  if (self instanceof PyDict) {
    argCount('pop', args, 1, 2);
    const key = dictKey(args[0]!);
    if (key === undefined) raise('TypeError', `unhashable type: '${typeName(args[0]!)}'`);
    const entry = self.map.get(key);
    if (entry === undefined) {
      if (args.length === 2) return args[1]!;
      raise('KeyError', args[0]!);
    }
    self.map.delete(key);
    return entry[1];
  }
  noAttribute(self, 'pop');
}

/** `list.clear()` / `dict.clear()` (Event.clear is a sync op). */
export function clearContainer(self: Value): Value {
  if (self instanceof PyList) self.items.length = 0;
  else if (self instanceof PyDict) self.map.clear();
  else noAttribute(self, 'clear');
  return null;
}

/** The generic METHOD op: dict get/keys/values/items/setdefault/update/copy, list extend/insert/remove/index/count/copy. */
export function callMethod(
  self: Value,
  name: string,
  args: Value[],
  newList: (items: Value[]) => PyList,
  newDict: () => PyDict,
): Value {
  if (self instanceof PyDict) {
    switch (name) {
      case 'get': {
        argCount('get', args, 1, 2);
        const key = dictKey(args[0]!);
        if (key === undefined) raise('TypeError', `unhashable type: '${typeName(args[0]!)}'`);
        return self.map.get(key)?.[1] ?? (args.length > 1 ? args[1]! : null);
      }
      case 'keys':
      case 'values':
      case 'items':
        argCount(`dict.${name}`, args, 0, 0);
        return new PyDictView(self, name);
      case 'setdefault': {
        argCount('setdefault', args, 1, 2);
        const key = dictKey(args[0]!);
        if (key === undefined) raise('TypeError', `unhashable type: '${typeName(args[0]!)}'`);
        const entry = self.map.get(key);
        if (entry !== undefined) return entry[1];
        const value = args.length > 1 ? args[1]! : null;
        if (self.map.size >= MAX_DICT_SIZE) dictTooLarge();
        self.map.set(key, [args[0]!, value]);
        return value;
      }
      case 'update': {
        argCount('update', args, 0, 1);
        if (args.length === 1) {
          const src = args[0]!;
          if (src instanceof PyDict) for (const [, [k, v]] of src.map) dictSet(self, k, v);
          else
            for (const item of iterate(src)) {
              const pair = iterate(item);
              dictSet(self, pair[0]!, pair[1]!);
            }
        }
        return null;
      }
      case 'copy': {
        argCount('dict.copy', args, 0, 0);
        const d = newDict();
        for (const [k, [key, v]] of self.map) d.map.set(k, [key, v]);
        return d;
      }
      default:
        noAttribute(self, name);
    }
  }
  if (self instanceof PyList) {
    switch (name) {
      case 'extend':
        argCount('list.extend', args, 1, 1);
        extendList(self, iterate(args[0]!));
        return null;
      case 'insert': {
        argCount('insert', args, 2, 2);
        const n = self.items.length;
        if (n >= MAX_LIST_LENGTH) listTooLong();
        let i = asIndex(args[0]!);
        if (i < 0) i = Math.max(0, i + n);
        self.items.splice(Math.min(i, n), 0, args[1]!);
        return null;
      }
      case 'remove': {
        argCount('list.remove', args, 1, 1);
        const i = self.items.findIndex((x) => sameOrEquals(x, args[0]!));
        if (i < 0) raise('ValueError', 'list.remove(x): x not in list');
        self.items.splice(i, 1);
        return null;
      }
      case 'index': {
        argCount('index', args, 1, 1);
        const i = self.items.findIndex((x) => sameOrEquals(x, args[0]!));
        if (i < 0) raise('ValueError', `${repr(args[0]!)} is not in list`);
        return i;
      }
      case 'count':
        argCount('list.count', args, 1, 1);
        return self.items.filter((x) => sameOrEquals(x, args[0]!)).length;
      case 'copy':
        argCount('list.copy', args, 0, 0);
        return newList([...self.items]);
      default:
        noAttribute(self, name);
    }
  }
  if (self instanceof PyTuple && (name === 'index' || name === 'count')) {
    argCount(`tuple.${name}`, args, 1, 1);
    if (name === 'count') return self.items.filter((x) => sameOrEquals(x, args[0]!)).length;
    const i = self.items.findIndex((x) => sameOrEquals(x, args[0]!));
    if (i < 0) raise('ValueError', 'tuple.index(x): x not in tuple');
    return i;
  }
  noAttribute(self, name);
}
