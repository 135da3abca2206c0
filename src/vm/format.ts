/**
 * Python's `repr`, `str` and format-spec rendering for VM values, matching CPython 3.11 output.
 *
 * Float repr follows Python's rule (shortest round-trip digits, exponent form when the exponent
 * is < -4 or >= 16), which differs from JS's `Number#toString` (exponent from 1e21).
 */
import { raise } from './exceptions.js';
import {
  PyBoundMethod,
  PyBuiltin,
  PyCondition,
  PyDict,
  PyDictView,
  PyEvent,
  PyException,
  PyExcClass,
  PyFloat,
  PyFunction,
  PyList,
  PyLock,
  PyModule,
  PyRange,
  PySemaphore,
  PyStream,
  PyThread,
  PyTuple,
  typeName,
  type Value,
} from './values.js';

/** Python's repr of a float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Shortest round-trip digits and decimal exponent, from JS's own algorithm.
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = exp < 0 ? `-${String(-exp).padStart(2, '0')}` : `+${String(exp).padStart(2, '0')}`;
    return `${sign}${m}e${e}`;
  }
  if (exp >= digits.length - 1) return `${sign}${digits}${'0'.repeat(exp - digits.length + 1)}.0`;
  if (exp >= 0) return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Python's repr of a str: single quotes unless the text has ' and no ". */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's `repr(v)`. Self-containing lists and dicts print as `[...]` / `{...}`. */
export function repr(v: Value, seen: Set<object> = new Set()): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return strRepr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v instanceof PyList) {
    if (seen.has(v)) return '[...]';
    seen.add(v);
    const s = `[${v.items.map((x) => repr(x, seen)).join(', ')}]`;
    seen.delete(v);
    return s;
  }
  if (v instanceof PyTuple) {
    if (v.items.length === 1) return `(${repr(v.items[0]!, seen)},)`;
    return `(${v.items.map((x) => repr(x, seen)).join(', ')})`;
  }
  if (v instanceof PyDict) {
    if (seen.has(v)) return '{...}';
    seen.add(v);
    const parts: string[] = [];
    for (const [k, val] of v.map.values()) parts.push(`${repr(k, seen)}: ${repr(val, seen)}`);
    seen.delete(v);
    return `{${parts.join(', ')}}`;
  }
  if (v instanceof PyDictView) {
    const name = typeName(v);
    const items: string[] = [];
    for (const [k, val] of v.dict.map.values()) {
      items.push(
        v.mode === 'keys'
          ? repr(k, seen)
          : v.mode === 'values'
            ? repr(val, seen)
            : `(${repr(k, seen)}, ${repr(val, seen)})`,
      );
    }
    return `${name}([${items.join(', ')}])`;
  }
  if (v instanceof PyRange) {
    return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  }
  if (v instanceof PyException) {
    const args = v.args.map((a) => repr(a, seen));
    return `${v.cls.name}(${args.join(', ')})`;
  }
  if (v instanceof PyExcClass) return `<class '${v.name}'>`;
  if (v instanceof PyFunction) return `<function ${v.name}>`;
  if (v instanceof PyBuiltin) {
    if (v.name === 'threading' || v.name === 'time' || v.name === 'random' || v.name === 'sys')
      return `<module '${v.name}'>`;
    return typeName(v) === 'type' ? `<class '${v.name}'>` : `<built-in function ${v.shortName}>`;
  }
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyLock) {
    const state = v.owner >= 0 ? 'locked' : 'unlocked';
    return v.reentrant
      ? `<${state} _thread.RLock object owner=${Math.max(v.owner, 0)} count=${v.count}>`
      : `<${state} _thread.lock object>`;
  }
  if (v instanceof PySemaphore) return `<threading.${typeName(v)}: value=${v.value}>`;
  if (v instanceof PyCondition) return `<Condition(${repr(v.lock, seen)}, ${v.waiters.length})>`;
  if (v instanceof PyEvent) return `<threading.Event: ${v.flag ? 'set' : 'unset'}>`;
  if (v instanceof PyThread) {
    const state = v.state === 'initial' ? 'initial' : v.state === 'started' ? `started ${v.tid}` : 'stopped';
    return `<Thread(${v.name}, ${state}${v.daemon ? ' daemon' : ''})>`;
  }
  if (v instanceof PyStream) return `<_io.TextIOWrapper name='<${v.name}>' mode='w' encoding='utf-8'>`;
  if (v instanceof PyBoundMethod) return `<bound method ${v.name} of ${repr(v.self, seen)}>`;
  return `<${typeName(v)} object>`;
}

/** Python's `str(v)`. */
export function str(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyException) {
    if (v.args.length === 0) return '';
    if (v.args.length === 1) {
      // KeyError's str is the repr of its key, as in CPython.
      return v.cls.name === 'KeyError' ? repr(v.args[0]!) : str(v.args[0]!);
    }
    return repr(new PyTuple(v.args));
  }
  return repr(v);
}

/** The last line of a traceback: `TypeError: message` (or just the class name). */
export function exceptionLine(exc: PyException): string {
  const text = str(exc);
  return text === '' ? exc.cls.name : `${exc.cls.name}: ${text}`;
}

function groupThousands(digits: string, sep: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/**
 * For x > 0: when x·10^places is exactly halfway between two integers (decided on the exact
 * binary value, not on a rounded product), the integer below; otherwise null.
 */
function exactTieFloor(x: number, places: number): bigint | null {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) return null; // an integer: never a tie
  // x·10^p·2 = mantissa·5^p·2^(p+1) / 2^(−exp); a tie when that is an odd integer.
  const num = mantissa * 5n ** BigInt(places) * 2n ** BigInt(places + 1);
  const den = 1n << BigInt(-exp);
  if (num % den !== 0n) return null;
  const twice = num / den;
  return twice % 2n === 1n ? (twice - 1n) / 2n : null;
}

/**
 * x to `places` decimals, rounding half to even as Python does (JS's toFixed rounds exact ties
 * away from zero; both pick the nearest otherwise, on the exact binary value).
 */
function toFixedPython(x: number, places: number): string {
  const ax = Math.abs(x);
  if (ax >= 1e21) {
    // toFixed switches to exponent form here; such doubles are integers: print them exactly.
    const digits = BigInt(ax).toString() + (places > 0 ? `.${'0'.repeat(places)}` : '');
    return x < 0 ? `-${digits}` : digits;
  }
  const floor = places <= 20 ? exactTieFloor(ax, places) : null;
  if (floor === null) return x.toFixed(places);
  const k = floor % 2n === 0n ? floor : floor + 1n;
  const digits = k.toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return x < 0 ? `-${text}` : text;
}

const SPEC = /^(?:(.)?([<>^=]))?([+\- ])?(0)?(\d+)?([,_])?(?:\.(\d+))?([bdeEfFgGnosxX%])?$/;

/**
 * Format `v` with a format spec (`format(v, spec)`), the mini-language subset the lesson uses:
 * fill/align, sign, width, `,` and `_` grouping, `.N` precision, types d f % e g s.
 * Raises ValueError as CPython does for a spec that does not apply to the value.
 */
export function formatValue(v: Value, spec: string): string {
  if (spec === '') return str(v);
  const m = SPEC.exec(spec);
  if (m === null) raise('ValueError', 'Invalid format specifier');
  const [, fill = ' ', align, sign = '-', zero, widthText, group, precText, type] = m;
  const width = widthText === undefined ? 0 : Number(widthText);
  const precision = precText === undefined ? -1 : Number(precText);
  let body: string;
  let isNumber = false;
  let negative = false;
  if (typeof v === 'number' || typeof v === 'boolean') {
    const n = Number(v);
    isNumber = true;
    if (type === undefined || type === 'd' || type === 'n') {
      if (precision >= 0 && (type === 'd' || type === undefined))
        raise('ValueError', 'Precision not allowed in integer format specifier');
      negative = n < 0;
      body = String(Math.abs(n));
      if (group !== undefined) body = groupThousands(body, group);
    } else if (
      type === 'f' ||
      type === 'F' ||
      type === '%' ||
      type === 'e' ||
      type === 'E' ||
      type === 'g' ||
      type === 'G'
    ) {
      return formatValue(new PyFloat(n), spec);
    } else if (type === 'x' || type === 'X' || type === 'o' || type === 'b') {
      negative = n < 0;
      body = Math.abs(n).toString(type === 'o' ? 8 : type === 'b' ? 2 : 16);
      if (type === 'X') body = body.toUpperCase();
    } else {
      raise('ValueError', `Unknown format code '${type}' for object of type '${typeName(v)}'`);
    }
  } else if (v instanceof PyFloat) {
    isNumber = true;
    const x = v.v;
    negative = x < 0 || Object.is(x, -0);
    const ax = Math.abs(x);
    if (type === 'd' || type === 'x' || type === 'X' || type === 'o' || type === 'b' || type === 's') {
      raise('ValueError', `Unknown format code '${type}' for object of type 'float'`);
    }
    if (!Number.isFinite(ax)) body = Number.isNaN(ax) ? 'nan' : 'inf';
    else if (type === 'f' || type === 'F') body = toFixedPython(ax, precision < 0 ? 6 : precision);
    else if (type === '%') body = `${toFixedPython(ax * 100, precision < 0 ? 6 : precision)}%`;
    else if (type === 'e' || type === 'E') {
      const t = ax.toExponential(precision < 0 ? 6 : precision).replace(/e([+-])(\d)$/, 'e$10$2');
      body = type === 'E' ? t.toUpperCase() : t;
    } else if (type === 'g' || type === 'G') {
      const p = precision < 0 ? 6 : Math.max(precision, 1);
      const exp = ax === 0 ? 0 : Math.floor(Math.log10(ax));
      if (exp < -4 || exp >= p) {
        body = ax
          .toExponential(p - 1)
          .replace(/\.?0+e/, 'e')
          .replace(/e([+-])(\d)$/, 'e$10$2');
      } else {
        body = toFixedPython(ax, Math.max(p - 1 - exp, 0)).replace(/\.?0+$/, '');
      }
      if (type === 'G') body = body.toUpperCase();
    } else {
      body = precision >= 0 ? String(Number(ax.toPrecision(precision))) : floatRepr(ax);
      if (precision >= 0 && !body.includes('.') && !body.includes('e')) body = floatRepr(Number(body));
    }
    if (group !== undefined) {
      const [intPart, frac] = body.split(/(?=[.%e])/, 2) as [string, string | undefined];
      if (/^\d+$/.test(intPart))
        body =
          groupThousands(intPart, group) +
          (frac === undefined ? body.slice(intPart.length) : body.slice(intPart.length));
    }
  } else if (typeof v === 'string') {
    if (type !== undefined && type !== 's')
      raise('ValueError', `Unknown format code '${type}' for object of type 'str'`);
    if (group !== undefined) raise('ValueError', `Cannot specify '${group}' with 's'.`);
    if (sign !== '-' && m[3] !== undefined)
      raise('ValueError', 'Sign not allowed in string format specifier');
    body = precision >= 0 ? v.slice(0, precision) : v;
  } else {
    if (type !== undefined || group !== undefined || precText !== undefined) {
      raise('TypeError', `unsupported format string passed to ${typeName(v)}.__format__`);
    }
    body = str(v);
  }
  let signText = '';
  if (isNumber) signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const content = signText + body;
  if (content.length >= width) return content;
  const padLength = width - content.length;
  const effectiveAlign = align ?? (zero !== undefined && isNumber ? '=' : isNumber ? '>' : '<');
  const padChar = align === undefined && zero !== undefined ? '0' : fill;
  const pad = padChar.repeat(padLength);
  if (effectiveAlign === '<') return content + pad;
  if (effectiveAlign === '>') return pad + content;
  if (effectiveAlign === '^') {
    const left = Math.floor(padLength / 2);
    return padChar.repeat(left) + content + padChar.repeat(padLength - left);
  }
  return signText + pad + body;
}
