/**
 * Invariants over states: a predicate over the globals and the threads' positions, checked
 * after every step of an execution (Session), in every strategy (run, random, PCT, exhaustive
 * and stateful search, the fast-check properties).
 *
 * What an invariant reads is declared (`reads`: globals; `functions`: whether a thread is
 * inside a function; `lines`: each thread's line and innermost function) and enforced: reading
 * anything else throws InvariantReadError. The declaration is what keeps exhaustive search
 * sound with an invariant. A step that changes what the invariant reads (its *projection* of
 * the state) is a visible write of the pseudo-object `invariant` to the reduction
 * (explore/execution.ts), so every two such steps are dependent and are ordered the same way
 * in every execution of one Mazurkiewicz trace: the sequence of projections, and so whether
 * and how the invariant fails, is the same for every execution of a trace, and exploring one
 * execution per trace checks every reachable projection (the observer construction of
 * Godefroid's "Partial-Order Methods for the Verification of Concurrent Systems", 1996, ch. 6:
 * the property's propositions are visible). Whether a step changes the projection is decided
 * on values (the projection before and after), which is the same in every execution of a
 * trace: the value before a write is the one the last dependent write left.
 *
 * The predicate runs only after steps that change the projection (and after the first step):
 * it is a function of the projection, so that is every step at which its answer can change.
 */
import { repr } from '../semantics/format.js';
import { toJsValue, type JsValue } from '../semantics/js-value.js';
import type { Machine } from '../vm/machine.js';

/** A thread's position as an invariant sees it. */
export interface ThreadPosition {
  readonly tid: number;
  /** `MainThread`, `Thread-1 (worker)`. */
  readonly name: string;
  readonly finished: boolean;
  /** Whether a call of `fn` is on the thread's stack (`fn` must be in the invariant's `functions`). */
  inside(fn: string): boolean;
  /** The innermost function (`<module>` in the main thread's body); needs `lines: true`. */
  readonly function: string | null;
  /** The line of the thread's next step (0 when finished); needs `lines: true`. */
  readonly line: number;
}

/** The state an invariant is evaluated on: after step `step` (0-based). */
export interface InvariantState {
  readonly step: number;
  /** The declared globals as typed values (semantics/js-value.ts); undefined before assignment. */
  readonly globals: Readonly<Record<string, JsValue | undefined>>;
  /** Every thread started so far, by id. */
  readonly threads: readonly ThreadPosition[];
}

/** True (or nothing) when the state is fine; false, or a message saying what is wrong, when not. */
export type InvariantCheck = (state: InvariantState) => boolean | string | void;

export interface Invariant {
  /** Named in messages (`mutual exclusion of critical()`). */
  readonly name: string;
  /** Globals it reads (default: every global of the program). */
  readonly reads?: readonly string[];
  /** Functions whose inside/outside status it reads (`thread.inside(fn)`). */
  readonly functions?: readonly string[];
  /**
   * Whether it reads threads' lines and innermost functions. Every step that moves a thread
   * then counts as visible, so exhaustive search reduces almost nothing: prefer `functions`.
   */
  readonly lines?: boolean;
  readonly check: InvariantCheck;
}

/** The first failure of an invariant in an execution. */
export interface InvariantViolation {
  /** The step after which it failed (0-based). */
  step: number;
  /** The thread that took that step. */
  tid: number;
  invariant: string;
  /** `mutual exclusion of critical(): Thread-1 and Thread-2 are both inside`. */
  message: string;
}

/** Reading something an invariant did not declare (a programming error in the invariant). */
export class InvariantReadError extends Error {
  constructor(invariant: string, what: string, declare: string) {
    super(`invariant '${invariant}' reads ${what}, which it does not declare: add it to ${declare}`);
    this.name = 'InvariantReadError';
  }
}

/** An invariant's predicate threw (a bug in the predicate): which one, after which step, and why (`cause`). */
export class InvariantError extends Error {
  constructor(invariant: string, step: number, cause: unknown) {
    super(
      `invariant '${invariant}' threw after step ${step}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'InvariantError';
  }
}

/**
 * An invariant from a predicate. `reads` defaults to every global; give the globals it reads
 * for a finer reduction.
 */
export function invariant(
  name: string,
  check: InvariantCheck,
  reads: Pick<Invariant, 'reads' | 'functions' | 'lines'> = {},
): Invariant {
  return { name, check, ...reads };
}

/**
 * No two threads inside `fn` at once (a call of it on both stacks): the mutual exclusion of a
 * critical section written as a function. Reads only whether each thread is inside `fn`.
 */
export function mutualExclusion(fn: string): Invariant {
  return {
    name: `mutual exclusion of ${fn}()`,
    reads: [],
    functions: [fn],
    check: (s) => {
      const inside = s.threads.filter((t) => t.inside(fn)).map((t) => t.name);
      return inside.length < 2 || `${inside.join(' and ')} are both inside ${fn}()`;
    },
  };
}

/** Invariants checked together on one execution: the projection they read, and the first failure. */
export class InvariantMonitor {
  private readonly globalIndex: Map<string, number>;
  /** Indices of the globals read (all of them when an invariant reads undeclared). */
  private readonly read: number[];
  private readonly functions: string[];
  private readonly lines: boolean;

  constructor(
    readonly invariants: readonly Invariant[],
    globalNames: readonly string[],
    /** The functions the program defines (a watched function it lacks is a mistake: RangeError). */
    functionNames: readonly string[] = [],
  ) {
    this.globalIndex = new Map(globalNames.map((n, i) => [n, i]));
    const defined = new Set(functionNames);
    for (const i of invariants)
      for (const fn of i.functions ?? [])
        if (!defined.has(fn) || fn === '<module>')
          throw new RangeError(`invariant '${i.name}' watches ${fn}(), which the program does not define`);
    const all = invariants.some((i) => i.reads === undefined);
    const names = all ? globalNames : [...new Set(invariants.flatMap((i) => i.reads ?? []))];
    for (const i of invariants)
      for (const n of i.reads ?? [])
        if (!this.globalIndex.has(n))
          throw new RangeError(`invariant '${i.name}' reads '${n}', which is not a global of the program`);
    this.read = names.map((n) => this.globalIndex.get(n)!);
    this.functions = [...new Set(invariants.flatMap((i) => i.functions ?? []))];
    this.lines = invariants.some((i) => i.lines === true);
  }

  /**
   * What the invariants read of `m`'s state, as a string (equal strings: equal projections):
   * the reprs of the globals read, and per thread the functions it is inside (and its line).
   */
  projection(m: Machine): string {
    let key = '';
    for (const g of this.read) {
      const v = m.globals[g];
      key += v === undefined ? '\u0000' : repr(v);
      key += '\u0001';
    }
    for (const t of m.threads) {
      key += '|';
      if (t.finished) continue;
      for (const fn of this.functions) key += t.frames.some((f) => f.code.name === fn) ? '1' : '0';
      if (this.lines) {
        const next = m.nextOp(t.tid);
        key += `${t.frame?.code.name ?? ''}:${next === null ? 0 : next.code.spans[next.pc * 4]}`;
      }
    }
    return key;
  }

  /**
   * Evaluate every invariant after step `step` (taken by `tid`); the failures, in the order of
   * the invariants. Throws InvariantError when a predicate throws (not InvariantReadError, which
   * is thrown as is).
   */
  evaluate(m: Machine, step: number, tid: number): InvariantViolation[] {
    const failures: InvariantViolation[] = [];
    for (const inv of this.invariants) {
      let verdict: ReturnType<InvariantCheck>;
      try {
        verdict = inv.check(this.state(m, step, inv));
      } catch (err) {
        if (err instanceof InvariantReadError) throw err;
        throw new InvariantError(inv.name, step, err);
      }
      if (verdict === undefined || verdict === true) continue;
      const message = verdict === false ? `${inv.name} does not hold` : `${inv.name}: ${verdict}`;
      failures.push({ step, tid, invariant: inv.name, message });
    }
    return failures;
  }

  private state(m: Machine, step: number, inv: Invariant): InvariantState {
    const declared = inv.reads === undefined ? null : new Set(inv.reads);
    const index = this.globalIndex;
    const globals = new Proxy({} as Record<string, JsValue | undefined>, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        if (declared !== null && !declared.has(name))
          throw new InvariantReadError(inv.name, `the global '${name}'`, 'its reads');
        const g = index.get(name);
        const v = g === undefined ? undefined : m.globals[g];
        return v === undefined ? undefined : toJsValue(v);
      },
      has: (_target, name) => typeof name === 'string' && index.has(name),
      ownKeys: () => (declared === null ? [...index.keys()] : [...declared]),
      getOwnPropertyDescriptor: (_target, name) =>
        typeof name === 'string' && (declared === null ? index.has(name) : declared.has(name))
          ? { enumerable: true, configurable: true, value: undefined }
          : undefined,
    });
    const fns = new Set(inv.functions ?? []);
    const lines = inv.lines === true;
    const threads = m.threads.map((t): ThreadPosition => {
      const needLines = (what: string): void => {
        if (!lines) throw new InvariantReadError(inv.name, `a thread's ${what}`, 'lines: true');
      };
      return {
        tid: t.tid,
        name: t.name,
        finished: t.finished,
        inside: (fn: string) => {
          if (!fns.has(fn))
            throw new InvariantReadError(inv.name, `whether a thread is inside ${fn}()`, 'its functions');
          return !t.finished && t.frames.some((f) => f.code.name === fn);
        },
        get function() {
          needLines('function');
          return t.finished ? null : (t.frame?.code.name ?? null);
        },
        get line() {
          needLines('line');
          const next = m.nextOp(t.tid);
          return next === null ? 0 : next.code.spans[next.pc * 4]!;
        },
      };
    });
    return { step, globals, threads };
  }
}
