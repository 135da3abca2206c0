/**
 * Calls and attributes that the VM and the hardware runner share: binding arguments to
 * parameters, `obj.attr`, `except` matching, the argument rules of the builtins whose effect
 * belongs to the runner (print, sleep, random: effects.ts runs them), and the report of an
 * uncaught exception. Each raises CPython's TypeError/ValueError for bad arguments; none
 * touches a scheduler or a thread.
 */
import { BUILTIN_NAMES } from '../compile/ops.js';
import type { Args } from './builtins.js';
import { raise } from './exceptions.js';
import { exceptionLine, str } from './format.js';
import { lockOf } from './signatures.js';
import {
  PyBoundMethod,
  PyCondition,
  PyDict,
  PyEvent,
  PyExcClass,
  PyException,
  PyFloat,
  PyList,
  PyModule,
  PySemaphore,
  PyStream,
  PyThread,
  PyTuple,
  typeName,
  type PyFunction,
  type Value,
} from './values.js';

/**
 * Bind positional and keyword arguments to a function's parameters (CPython's rules and
 * TypeError messages). Returns the parameter values in order, defaults filled in; length =
 * the function's parameter count.
 */
export function bindArguments(fn: PyFunction, pos: Value[], kw: Map<string, Value> | null): Value[] {
  const code = fn.code;
  const params = code.localNames.slice(0, code.paramCount);
  const n = params.length;
  if (pos.length > n) {
    const required = n - fn.defaults.length;
    const takes = fn.defaults.length > 0 ? `from ${required} to ${n}` : `${n}`;
    const plural = n === 1 && fn.defaults.length === 0 ? 'argument' : 'arguments';
    raise(
      'TypeError',
      `${fn.name}() takes ${takes} positional ${plural} but ${pos.length} ${pos.length === 1 ? 'was' : 'were'} given`,
    );
  }
  const values: (Value | undefined)[] = new Array<Value | undefined>(n);
  for (let i = 0; i < pos.length; i++) values[i] = pos[i]!;
  if (kw !== null) {
    for (const [name, v] of kw) {
      const i = params.indexOf(name);
      if (i < 0) raise('TypeError', `${fn.name}() got an unexpected keyword argument '${name}'`);
      if (values[i] !== undefined)
        raise('TypeError', `${fn.name}() got multiple values for argument '${name}'`);
      values[i] = v;
    }
  }
  const firstDefault = n - fn.defaults.length;
  const missing: string[] = [];
  for (let i = 0; i < n; i++) {
    if (values[i] === undefined) {
      if (i >= firstDefault) values[i] = fn.defaults[i - firstDefault]!;
      else missing.push(params[i]!);
    }
  }
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`);
    const list =
      names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    raise(
      'TypeError',
      `${fn.name}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`,
    );
  }
  return values as Value[];
}

/** Methods that exist on a value, for `obj.method` taken without a call. */
const METHOD_NAMES = new Map<string, ((v: Value) => boolean)[]>([
  ['acquire', [(v) => lockOf(v) !== null]],
  ['release', [(v) => lockOf(v) !== null]],
  ['locked', [(v) => lockOf(v) !== null && !(v instanceof PySemaphore)]],
  ['notify', [(v) => v instanceof PyCondition]],
  ['notify_all', [(v) => v instanceof PyCondition]],
  ['wait', [(v) => v instanceof PyCondition || v instanceof PyEvent]],
  ['set', [(v) => v instanceof PyEvent]],
  ['is_set', [(v) => v instanceof PyEvent]],
  ['clear', [(v) => v instanceof PyEvent || v instanceof PyList || v instanceof PyDict]],
  ['start', [(v) => v instanceof PyThread]],
  ['join', [(v) => v instanceof PyThread]],
  ['is_alive', [(v) => v instanceof PyThread]],
  ['append', [(v) => v instanceof PyList]],
  ['pop', [(v) => v instanceof PyList || v instanceof PyDict]],
  ...['get', 'keys', 'values', 'items', 'setdefault', 'update'].map(
    (m) => [m, [(v: Value) => v instanceof PyDict]] as [string, ((v: Value) => boolean)[]],
  ),
  ...['extend', 'insert', 'remove', 'index', 'count'].map(
    (m) => [m, [(v: Value) => v instanceof PyList]] as [string, ((v: Value) => boolean)[]],
  ),
  ['copy', [(v) => v instanceof PyList || v instanceof PyDict]],
]);

/**
 * `v.name` for an attribute that is not called at once. `builtinValues[i]` is the value of
 * BUILTIN_NAMES[i] (module members such as `threading.Lock`). Raises AttributeError.
 */
export function loadAttr(v: Value, name: string, builtinValues: readonly Value[]): Value {
  if (v instanceof PyThread) {
    if (name === 'name') return v.name;
    if (name === 'daemon') return v.daemon;
    if (name === 'ident') return v.state === 'initial' ? null : v.tid;
  }
  if (v instanceof PyModule) {
    const full = `${v.name}.${name}`;
    const i = (BUILTIN_NAMES as readonly string[]).indexOf(full);
    if (i >= 0) return builtinValues[i]!;
    raise('AttributeError', `module '${v.name}' has no attribute '${name}'`);
  }
  if (v instanceof PyException && name === 'args') return new PyTuple(v.args);
  const methods = METHOD_NAMES.get(name);
  if (methods !== undefined && methods.some((check) => check(v))) return new PyBoundMethod(v, name);
  raise('AttributeError', `'${typeName(v)}' object has no attribute '${name}'`);
}

/** Whether `except cls:` catches `exc` (cls a class or a tuple of classes); TypeError otherwise. */
export function excMatches(exc: PyException, cls: Value): boolean {
  const classes = cls instanceof PyTuple ? cls.items : [cls];
  for (const c of classes) {
    if (!(c instanceof PyExcClass))
      raise('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
    if (exc.cls.isSubclassOf(c)) return true;
  }
  return false;
}

/** What `print(*a)` writes and where (sep, end and file keywords as CPython checks them). */
export function printed(a: Args): { stream: 'stdout' | 'stderr'; text: string } {
  let sep = ' ';
  let end = '\n';
  let stream: 'stdout' | 'stderr' = 'stdout';
  const text = (k: string, v: Value, dflt: string): string =>
    v === null
      ? dflt
      : typeof v === 'string'
        ? v
        : raise('TypeError', `${k} must be None or a string, not ${typeName(v)}`);
  if (a.kw !== null) {
    for (const [k, v] of a.kw) {
      if (k === 'sep') sep = text(k, v, ' ');
      else if (k === 'end') end = text(k, v, '\n');
      else if (k === 'file') {
        if (v instanceof PyStream) stream = v.name;
        else if (v !== null) raise('AttributeError', `'${typeName(v)}' object has no attribute 'write'`);
      } else if (k !== 'flush') raise('TypeError', `'${k}' is an invalid keyword argument for print()`);
    }
  }
  return { stream, text: a.pos.map((v) => str(v)).join(sep) + end };
}

/** The argument of `time.sleep(s)` in seconds, checked as CPython does. */
export function sleepSeconds(a: Args): number {
  if (a.kw !== null && a.kw.size > 0) raise('TypeError', 'sleep() takes no keyword arguments');
  if (a.pos.length !== 1) raise('TypeError', `sleep() takes exactly one argument (${a.pos.length} given)`);
  const v = a.pos[0]!;
  const secs = typeof v === 'number' || typeof v === 'boolean' ? Number(v) : v instanceof PyFloat ? v.v : NaN;
  if (Number.isNaN(secs)) {
    if (v instanceof PyFloat) raise('ValueError', 'Invalid value NaN (not a number)');
    raise('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`);
  }
  if (secs < 0) raise('ValueError', 'sleep length must be non-negative');
  return secs;
}

/** The bounds of `random.randint(a, b)`, inclusive; ValueError on an empty range. */
export function randintBounds(a: Args): [number, number] {
  if (a.kw !== null && a.kw.size > 0) raise('TypeError', 'randint() takes no keyword arguments');
  if (a.pos.length !== 2) {
    raise(
      'TypeError',
      `Random.randint() ${a.pos.length < 2 ? `missing ${2 - a.pos.length} required positional argument${a.pos.length === 1 ? '' : 's'}: ${a.pos.length === 1 ? "'b'" : "'a' and 'b'"}` : `takes 3 positional arguments but ${a.pos.length + 1} were given`}`,
    );
  }
  const [lo, hi] = a.pos.map((v) =>
    typeof v === 'number' || typeof v === 'boolean'
      ? Number(v)
      : raise('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`),
  ) as [number, number];
  if (hi < lo) raise('ValueError', `empty range for randrange() (${lo}, ${hi + 1}, ${hi + 1 - lo})`);
  return [lo, hi];
}

/** The sequence of `random.choice(seq)`; the caller checks that it is not empty. */
export function choiceSequence(a: Args): Value {
  if (a.pos.length !== 1)
    raise('TypeError', `Random.choice() takes 2 positional arguments but ${a.pos.length + 1} were given`);
  return a.pos[0]!;
}

/**
 * CPython's report of an uncaught exception: `Exception in thread NAME:` (threading.excepthook;
 * `threadName` null for MainThread), the traceback with source lines, and the exception line.
 */
export function formatUncaught(source: string, exc: PyException, threadName: string | null): string {
  const lines: string[] = [];
  if (threadName !== null) lines.push(`Exception in thread ${threadName}:`);
  lines.push('Traceback (most recent call last):');
  const sourceLines = source.split(/\r\n|\r|\n/);
  for (const e of exc.traceback) {
    lines.push(`  File "${e.file}", line ${e.line}, in ${e.func}`);
    const text = sourceLines[e.line - 1]?.trim();
    if (text) lines.push(`    ${text}`);
  }
  lines.push(exceptionLine(exc));
  return `${lines.join('\n')}\n`;
}
