/**
 * Python objects whose state lives in the trial's shared memory, as seen by one worker.
 *
 * Each class extends the semantics core's class of the same object (so `typeName`, `repr`,
 * argument checks and `isinstance`-like tests of src/semantics work unchanged) and reads its
 * state from the shared words at `addr` (layout: src/hw/memory.ts). Each worker keeps one
 * wrapper per address, so `a is b` holds across loads.
 */
import {
  PyCondition,
  PyEvent,
  PyList,
  PyLock,
  PySemaphore,
  PyThread,
  type Value,
} from '../semantics/values.js';
import {
  EVENT_FLAG,
  LIST_DATA,
  LIST_LENGTH,
  LOCK_COUNT,
  LOCK_OWNER,
  SEM_VALUE,
  T_DAEMON,
  T_STATE,
  T_TID,
  ThreadLife,
} from './memory.js';

/** How a list's items are read and written: the worker runtime's codec. */
export interface ItemCodec {
  readonly M: Int32Array;
  decode(w: number): Value;
  encode(v: Value): number;
  /** Make room for `n` items in the list at `addr` (holding its guard). */
  reserve(addr: number, n: number): void;
}

/**
 * The items of a shared list as a JavaScript array: a Proxy whose index and length accesses
 * read and write the shared words, so the list rules of src/semantics/containers.ts work on it.
 * Data block: [capacity, items...]; a reader takes the block and its capacity together.
 */
export function sharedItems(addr: number, codec: ItemCodec): Value[] {
  const M = codec.M;
  const index = (p: string | symbol): number => {
    if (typeof p !== 'string') return -1;
    const c = p.charCodeAt(0);
    if (c < 48 || c > 57) return -1;
    const i = Number(p);
    return Number.isInteger(i) ? i : -1;
  };
  return new Proxy<Value[]>([], {
    get(target, p, receiver) {
      if (p === 'length') return Atomics.load(M, addr + LIST_LENGTH);
      const i = index(p);
      if (i < 0) return Reflect.get(target, p, receiver) as unknown;
      if (i >= Atomics.load(M, addr + LIST_LENGTH)) return undefined;
      const data = Atomics.load(M, addr + LIST_DATA);
      return i < Atomics.load(M, data) ? codec.decode(Atomics.load(M, data + 1 + i)) : undefined;
    },
    set(_target, p, v: Value) {
      if (p === 'length') {
        const n = v as unknown as number;
        codec.reserve(addr, n);
        Atomics.store(M, addr + LIST_LENGTH, n);
        return true;
      }
      const i = index(p);
      if (i < 0) return false;
      codec.reserve(addr, i + 1);
      const w = codec.encode(v);
      Atomics.store(M, Atomics.load(M, addr + LIST_DATA) + 1 + i, w);
      if (i >= Atomics.load(M, addr + LIST_LENGTH)) Atomics.store(M, addr + LIST_LENGTH, i + 1);
      return true;
    },
    has(target, p) {
      const i = index(p);
      return i < 0 ? Reflect.has(target, p) : i < Atomics.load(M, addr + LIST_LENGTH);
    },
    deleteProperty() {
      return true;
    },
  });
}

export class HwList extends PyList {
  constructor(
    readonly addr: number,
    codec: ItemCodec,
  ) {
    super(addr, sharedItems(addr, codec));
  }
}

export class HwLock extends PyLock {
  constructor(
    readonly addr: number,
    reentrant: boolean,
    readonly M: Int32Array,
  ) {
    super(addr, reentrant);
    // The VM's fields are replaced by the shared state (accessors on the prototype).
    delete (this as { owner?: number }).owner;
    delete (this as { count?: number }).count;
  }
}
Object.defineProperty(HwLock.prototype, 'owner', {
  get(this: HwLock) {
    return Atomics.load(this.M, this.addr + LOCK_OWNER);
  },
});
Object.defineProperty(HwLock.prototype, 'count', {
  get(this: HwLock) {
    return Atomics.load(this.M, this.addr + LOCK_COUNT);
  },
});

export class HwSemaphore extends PySemaphore {
  constructor(
    readonly addr: number,
    bound: number,
    readonly M: Int32Array,
  ) {
    super(addr, 0, bound);
    delete (this as { value?: number }).value;
  }
}
Object.defineProperty(HwSemaphore.prototype, 'value', {
  get(this: HwSemaphore) {
    return Atomics.load(this.M, this.addr + SEM_VALUE);
  },
});

export class HwCondition extends PyCondition {
  constructor(
    readonly addr: number,
    lock: HwLock,
  ) {
    super(addr, lock);
  }
}

export class HwEvent extends PyEvent {
  constructor(
    readonly addr: number,
    readonly M: Int32Array,
  ) {
    super(addr);
    delete (this as { flag?: boolean }).flag;
  }
}
Object.defineProperty(HwEvent.prototype, 'flag', {
  get(this: HwEvent) {
    return Atomics.load(this.M, this.addr + EVENT_FLAG) !== 0;
  },
});

export class HwThread extends PyThread {
  constructor(
    readonly addr: number,
    name: string,
    target: Value,
    args: Value,
    kwargs: Value,
    readonly M: Int32Array,
  ) {
    super(addr, name, target, args, kwargs, Atomics.load(M, addr + T_DAEMON) !== 0);
    delete (this as { tid?: number }).tid;
    delete (this as { state?: string }).state;
  }
}
Object.defineProperty(HwThread.prototype, 'tid', {
  get(this: HwThread) {
    return Atomics.load(this.M, this.addr + T_TID);
  },
});
Object.defineProperty(HwThread.prototype, 'state', {
  get(this: HwThread) {
    const s = Atomics.load(this.M, this.addr + T_STATE) as ThreadLife;
    return s === ThreadLife.Initial ? 'initial' : s === ThreadLife.Stopped ? 'stopped' : 'started';
  },
});
