/**
 * The VM state as a value: deep copies for snapshot/restore, and a canonical 64-bit hash for
 * the stateful search's visited set.
 *
 * State = globals, the heap reachable from them and from the threads (lists, dicts, locks,
 * semaphores, conditions, events, thread objects, iterators), and each thread's frames, handled
 * exceptions, condition wait and uncaught exception. Not state: step counts, printed output,
 * and the analyses (lost updates, races), which describe the path, not where it ended.
 *
 * Immutable values (numbers, strings, floats, ranges, functions, builtins, exceptions, code)
 * are shared between copies. The hash is canonical: mutable objects are numbered in the order
 * a fixed traversal (globals, then threads, in id order) first meets them, so two states that
 * differ only in allocation order hash alike.
 */
import type { ThreadState } from './thread.js';
import { Frame } from './thread.js';
import {
  PyBoundMethod,
  PyCondition,
  PyDict,
  PyDictIter,
  PyDictView,
  PyEnumerateIter,
  PyEvent,
  PyException,
  PyFloat,
  PyFunction,
  PyList,
  PyLock,
  PySemaphore,
  PySeqIter,
  PyThread,
  PyTuple,
  Kind,
  type PyObject,
  type Value,
} from '../semantics/values.js';

/** Copies values, keeping aliasing (one copy per original mutable object). */
export class Copier {
  private map: Map<object, object> | null = null;

  private seen(v: PyObject): PyObject | null {
    return (this.map?.get(v) as PyObject | undefined) ?? null;
  }

  private mark<T extends PyObject>(v: PyObject, copy: T): T {
    (this.map ??= new Map()).set(v, copy);
    return copy;
  }

  value<T extends Value | undefined>(v: T): T {
    if (v === null || v === undefined || typeof v !== 'object') return v;
    const kind = (v as PyObject).kind;
    if (kind === Kind.Immutable || kind === Kind.Float || kind === Kind.Function || kind === Kind.Exception)
      return v;
    if (
      kind === Kind.Tuple &&
      !(v as PyTuple).items.some(
        (x) => x !== null && typeof x === 'object' && (x as PyObject).kind !== Kind.Float,
      )
    )
      return v;
    const known = this.seen(v as PyObject);
    if (known !== null) return known as unknown as T;
    let out: PyObject;
    switch (kind) {
      case Kind.List: {
        const l = this.mark(v as PyObject, new PyList((v as PyList).id, []));
        l.items = (v as PyList).items.map((x) => this.value(x));
        return l as unknown as T;
      }
      case Kind.Dict: {
        const d = this.mark(v as PyObject, new PyDict((v as PyDict).id));
        for (const [k, [key, val]] of (v as PyDict).map) d.map.set(k, [key, this.value(val)]);
        return d as unknown as T;
      }
      case Kind.Tuple:
        out = new PyTuple((v as PyTuple).items.map((x) => this.value(x)));
        break;
      case Kind.Lock: {
        const o = v as PyLock;
        const l = new PyLock(o.id, o.reentrant);
        l.owner = o.owner;
        l.count = o.count;
        l.acquiredLine = o.acquiredLine;
        out = l;
        break;
      }
      case Kind.Semaphore: {
        const o = v as PySemaphore;
        out = new PySemaphore(o.id, o.value, o.bound);
        break;
      }
      case Kind.Condition: {
        const o = v as PyCondition;
        const c = new PyCondition(o.id, this.value(o.lock));
        c.waiters = [...o.waiters];
        out = c;
        break;
      }
      case Kind.Event: {
        const e = new PyEvent((v as PyEvent).id);
        e.flag = (v as PyEvent).flag;
        out = e;
        break;
      }
      case Kind.Thread: {
        const o = v as PyThread;
        const t = this.mark(o, new PyThread(o.id, o.name, o.target, o.args, null, o.daemon));
        Object.assign(t, {
          kwargs: this.value(o.kwargs),
          args: this.value(o.args),
          target: this.value(o.target),
        });
        t.tid = o.tid;
        t.state = o.state;
        return t as unknown as T;
      }
      case Kind.SeqIter: {
        const o = v as PySeqIter;
        const it = new PySeqIter(this.value(o.seq as Value) as PySeqIter['seq']);
        it.index = o.index;
        out = it;
        break;
      }
      case Kind.DictIter: {
        const o = v as PyDictIter;
        const it = new PyDictIter(this.value(o.dict), o.keys, o.size, o.mode);
        it.index = o.index;
        out = it;
        break;
      }
      case Kind.EnumerateIter: {
        const o = v as PyEnumerateIter;
        const it = new PyEnumerateIter(this.value(o.inner as Value) as PyEnumerateIter['inner'], 0);
        it.count = o.count;
        out = it;
        break;
      }
      case Kind.DictView:
        out = new PyDictView(this.value((v as PyDictView).dict), (v as PyDictView).mode);
        break;
      case Kind.BoundMethod:
        out = new PyBoundMethod(this.value((v as PyBoundMethod).self), (v as PyBoundMethod).name);
        break;
      default:
        return v;
    }
    this.mark(v as PyObject, out);
    return out as unknown as T;
  }

  frame(f: Frame): Frame {
    const stack = f.stack.slice();
    const locals = f.locals.slice();
    for (let i = 0; i < f.sp; i++) {
      const v = stack[i]!;
      if (v !== null && typeof v === 'object') stack[i] = this.value(v);
    }
    for (let i = f.sp; i < stack.length; i++) stack[i] = null;
    for (let i = 0; i < locals.length; i++) {
      const v = locals[i];
      if (v !== null && typeof v === 'object') locals[i] = this.value(v);
    }
    const g = new Frame(f.code, f.consts, f.codeIndex, stack, locals);
    g.pc = f.pc;
    g.sp = f.sp;
    g.kwnames = f.kwnames;
    g.handledBase = f.handledBase;
    return g;
  }

  /** Copy a thread into `into` (a fresh ThreadState with the copied thread object). */
  thread(t: ThreadState, into: ThreadState): ThreadState {
    for (const f of t.frames) into.frames.push(this.frame(f));
    into.finished = t.finished;
    into.handled.push(...t.handled);
    into.uncaught = t.uncaught;
    into.condWait = t.condWait === null ? null : { ...t.condWait, cond: this.value(t.condWait.cond) };
    into.epoch = t.epoch;
    return into;
  }
}

/** Immutable shared values get a stable number for hashing (their identity). */
const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return id;
}

const stringHashes = new Map<string, number>();
const floatView = new Float64Array(1);
const floatBits = new Int32Array(floatView.buffer);

/** A 64-bit hash (two 32-bit lanes) fed with 32-bit words. */
export class StateHasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x2545f491;
  private seen: Map<object, number> | null = null;

  word(x: number): void {
    this.h1 = Math.imul(this.h1 ^ x, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ (x + 0x9e3779b9), 0x85ebca6b) ^ (this.h2 >>> 13);
  }

  number(n: number): void {
    if ((n | 0) === n) this.word(n);
    else {
      floatView[0] = n;
      this.word(floatBits[0]!);
      this.word(floatBits[1]!);
    }
  }

  string(s: string): void {
    let h = stringHashes.get(s);
    if (h === undefined) {
      h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      if (stringHashes.size < 100_000) stringHashes.set(s, h);
    }
    this.word(s.length);
    this.word(h);
  }

  value(v: Value | undefined): void {
    if (v === undefined) return this.word(1);
    if (v === null) return this.word(2);
    if (typeof v === 'boolean') return this.word(v ? 3 : 4);
    if (typeof v === 'number') {
      this.word(5);
      return this.number(v);
    }
    if (typeof v === 'string') {
      this.word(6);
      return this.string(v);
    }
    const kind = v.kind;
    switch (kind) {
      case Kind.Float:
        this.word(7);
        return this.number((v as PyFloat).v);
      case Kind.Tuple:
        if (v.constructor !== PyTuple) break;
        this.word(8);
        this.word((v as PyTuple).items.length);
        for (const x of (v as PyTuple).items) this.value(x);
        return;
      case Kind.Function:
        // By code, not identity: every machine makes its own function objects.
        this.word(12);
        this.word((v as PyFunction).codeIndex);
        for (const d of (v as PyFunction).defaults) this.value(d);
        return;
      case Kind.Exception:
        this.word(13);
        this.word(identity((v as PyException).cls));
        for (const a of (v as PyException).args) this.value(a);
        return;
      case Kind.Immutable:
        this.word(9);
        return this.word(identity(v));
      default:
        break;
    }
    if (kind === Kind.Tuple) {
      this.word(9);
      return this.word(identity(v));
    }
    this.seen ??= new Map();
    const known = this.seen.get(v);
    if (known !== undefined) {
      this.word(10);
      return this.word(known);
    }
    this.seen.set(v, this.seen.size);
    this.word(11);
    this.word(kind);
    switch (kind) {
      case Kind.List: {
        const items = (v as PyList).items;
        this.word(items.length);
        for (const x of items) this.value(x);
        return;
      }
      case Kind.Dict: {
        const map = (v as PyDict).map;
        this.word(map.size);
        for (const [key, val] of map.values()) {
          this.value(key);
          this.value(val);
        }
        return;
      }
      case Kind.Lock: {
        const l = v as PyLock;
        this.word(l.reentrant ? 1 : 0);
        this.word(l.owner);
        this.word(l.count);
        return;
      }
      case Kind.Semaphore:
        this.word((v as PySemaphore).value);
        this.word((v as PySemaphore).bound);
        return;
      case Kind.Condition: {
        const c = v as PyCondition;
        this.value(c.lock);
        this.word(c.waiters.length);
        for (const w of c.waiters) this.word(w);
        return;
      }
      case Kind.Event:
        this.word((v as PyEvent).flag ? 1 : 0);
        return;
      case Kind.Thread: {
        const t = v as PyThread;
        this.word(t.tid);
        this.word(t.state === 'initial' ? 0 : t.state === 'started' ? 1 : 2);
        this.string(t.name);
        this.word(t.daemon ? 1 : 0);
        this.value(t.target);
        this.value(t.args);
        this.value(t.kwargs);
        return;
      }
      case Kind.SeqIter:
        this.value((v as PySeqIter).seq as Value);
        this.word((v as PySeqIter).index);
        return;
      case Kind.DictIter: {
        // The keys and size it started with: a dict that changed size since makes it raise.
        const it = v as PyDictIter;
        this.value(it.dict);
        this.word(it.index);
        this.word(it.size);
        this.string(it.mode);
        this.word(it.keys.length);
        for (const k of it.keys) this.value(k);
        return;
      }
      case Kind.EnumerateIter:
        this.value((v as PyEnumerateIter).inner as Value);
        this.word((v as PyEnumerateIter).count);
        return;
      case Kind.DictView:
        this.value((v as PyDictView).dict);
        return;
      case Kind.BoundMethod:
        this.value((v as PyBoundMethod).self);
        this.string((v as PyBoundMethod).name);
        return;
      default:
        return;
    }
  }

  thread(t: ThreadState): void {
    this.word(t.finished ? 1 : 0);
    this.value(t.uncaught);
    this.word(t.handled.length);
    for (const e of t.handled) this.value(e);
    if (t.condWait !== null) {
      this.value(t.condWait.cond);
      this.string(t.condWait.phase);
      this.word(t.condWait.savedCount);
    }
    this.word(t.frames.length);
    for (const f of t.frames) {
      this.word(f.codeIndex);
      this.word(f.pc);
      this.word(f.sp);
      for (let i = 0; i < f.sp; i++) this.value(f.stack[i]!);
      for (const l of f.locals) this.value(l);
      this.word(f.kwnames === null ? 0 : f.kwnames.length);
    }
  }

  /** The hash as two unsigned 32-bit halves. */
  digest(): [number, number] {
    return [this.h1 >>> 0, (this.h2 ^ Math.imul(this.h1, 0x27d4eb2d)) >>> 0];
  }
}
