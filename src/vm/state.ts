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
  type Value,
} from './values.js';

/** Copies values, keeping aliasing (one copy per original mutable object). */
export class Copier {
  private readonly map = new Map<object, object>();

  value<T extends Value | undefined>(v: T): T {
    if (v === null || v === undefined || typeof v !== 'object') return v;
    const known = this.map.get(v);
    if (known !== undefined) return known as T;
    let out: object;
    if (v instanceof PyList) {
      const l = new PyList(v.id, []);
      this.map.set(v, l);
      l.items = v.items.map((x) => this.value(x));
      return l as unknown as T;
    } else if (v instanceof PyDict) {
      const d = new PyDict(v.id);
      this.map.set(v, d);
      for (const [k, [key, val]] of v.map) d.map.set(k, [key, this.value(val)]);
      return d as unknown as T;
    } else if (v instanceof PyTuple) {
      if (
        v.constructor !== PyTuple ||
        v.items.every((x) => x === null || typeof x !== 'object' || x instanceof PyFloat)
      )
        return v;
      out = new PyTuple(v.items.map((x) => this.value(x)));
    } else if (v instanceof PyLock) {
      const l = new PyLock(v.id, v.reentrant);
      l.owner = v.owner;
      l.count = v.count;
      l.acquiredLine = v.acquiredLine;
      out = l;
    } else if (v instanceof PySemaphore) {
      out = new PySemaphore(v.id, v.value, v.bound);
    } else if (v instanceof PyCondition) {
      const c = new PyCondition(v.id, this.value(v.lock));
      c.waiters = [...v.waiters];
      out = c;
    } else if (v instanceof PyEvent) {
      const e = new PyEvent(v.id);
      e.flag = v.flag;
      out = e;
    } else if (v instanceof PyThread) {
      const t = new PyThread(v.id, v.name, v.target, v.args, null, v.daemon);
      this.map.set(v, t);
      Object.assign(t, {
        kwargs: this.value(v.kwargs),
        args: this.value(v.args),
        target: this.value(v.target),
      });
      t.tid = v.tid;
      t.state = v.state;
      return t as unknown as T;
    } else if (v instanceof PySeqIter) {
      const it = new PySeqIter(this.value(v.seq as Value) as PySeqIter['seq']);
      it.index = v.index;
      out = it;
    } else if (v instanceof PyDictIter) {
      const it = new PyDictIter(this.value(v.dict), v.keys, v.size, v.mode);
      it.index = v.index;
      out = it;
    } else if (v instanceof PyEnumerateIter) {
      const it = new PyEnumerateIter(this.value(v.inner as Value) as PyEnumerateIter['inner'], 0);
      it.count = v.count;
      out = it;
    } else if (v instanceof PyDictView) {
      out = new PyDictView(this.value(v.dict), v.mode);
    } else if (v instanceof PyBoundMethod) {
      out = new PyBoundMethod(this.value(v.self), v.name);
    } else {
      return v; // immutable: floats, ranges, functions, builtins, exceptions, code references
    }
    this.map.set(v, out);
    return out as T;
  }

  frame(f: Frame): Frame {
    const g = new Frame(f.code, f.consts, f.codeIndex);
    g.pc = f.pc;
    g.sp = f.sp;
    for (let i = 0; i < f.sp; i++) g.stack[i] = this.value(f.stack[i]!);
    for (let i = 0; i < f.locals.length; i++) g.locals[i] = this.value(f.locals[i]);
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
  private readonly seen = new Map<object, number>();

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
    if (v instanceof PyFloat) {
      this.word(7);
      return this.number(v.v);
    }
    if (v instanceof PyTuple && v.constructor === PyTuple) {
      this.word(8);
      this.word(v.items.length);
      for (const x of v.items) this.value(x);
      return;
    }
    const mutable =
      v instanceof PyList ||
      v instanceof PyDict ||
      v instanceof PyLock ||
      v instanceof PySemaphore ||
      v instanceof PyCondition ||
      v instanceof PyEvent ||
      v instanceof PyThread ||
      v instanceof PySeqIter ||
      v instanceof PyDictIter ||
      v instanceof PyEnumerateIter ||
      v instanceof PyDictView ||
      v instanceof PyBoundMethod;
    if (v instanceof PyFunction) {
      // By code, not identity: every machine makes its own function objects.
      this.word(12);
      this.word(v.codeIndex);
      for (const d of v.defaults) this.value(d);
      return;
    }
    if (v instanceof PyException) {
      this.word(13);
      this.word(identity(v.cls));
      for (const a of v.args) this.value(a);
      return;
    }
    if (!mutable) {
      this.word(9);
      return this.word(identity(v));
    }
    const known = this.seen.get(v);
    if (known !== undefined) {
      this.word(10);
      return this.word(known);
    }
    this.seen.set(v, this.seen.size);
    this.word(11);
    if (v instanceof PyList) {
      this.word(v.items.length);
      for (const x of v.items) this.value(x);
    } else if (v instanceof PyDict) {
      this.word(v.map.size);
      for (const [key, val] of v.map.values()) {
        this.value(key);
        this.value(val);
      }
    } else if (v instanceof PyLock) {
      this.word(v.reentrant ? 1 : 0);
      this.word(v.owner);
      this.word(v.count);
    } else if (v instanceof PySemaphore) {
      this.word(v.value);
      this.word(v.bound);
    } else if (v instanceof PyCondition) {
      this.value(v.lock);
      this.word(v.waiters.length);
      for (const w of v.waiters) this.word(w);
    } else if (v instanceof PyEvent) {
      this.word(v.flag ? 1 : 0);
    } else if (v instanceof PyThread) {
      this.word(v.tid);
      this.string(v.state);
      this.string(v.name);
      this.word(v.daemon ? 1 : 0);
      this.value(v.target);
      this.value(v.args);
    } else if (v instanceof PySeqIter) {
      this.value(v.seq as Value);
      this.word(v.index);
    } else if (v instanceof PyDictIter) {
      this.value(v.dict);
      this.word(v.index);
    } else if (v instanceof PyEnumerateIter) {
      this.value(v.inner as Value);
      this.word(v.count);
    } else if (v instanceof PyDictView) {
      this.value(v.dict);
    } else if (v instanceof PyBoundMethod) {
      this.value(v.self);
      this.string(v.name);
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
