/**
 * Python's `repr`, `str` and format-spec rendering for VM values, matching CPython 3.11 output.
 *
 * Float repr follows Python's rule (shortest round-trip digits, exponent form when the exponent
 * is < -4 or >= 16), which differs from JS's `Number#toString` (exponent from 1e21).
 *
 * Format specs follow CPython's Python/formatter_unicode.c (spec parsing, padding, grouping,
 * error messages) and Python/pystrtod.c (float to text), with float digits computed exactly
 * from the double's binary value rather than by JS's toFixed/toPrecision.
 */
import { strTooLong } from './arith.js';
import { PyRaise, raise } from './exceptions.js';
import {
  MAX_STR_LENGTH,
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

/** Longest value repr that reports (final globals, outcomes) keep, in characters. */
export const REPORT_REPR_CHARS = 10_000;

/** Nesting past which repr raises RecursionError (CPython's recursion limit). */
const MAX_REPR_DEPTH = 1000;

/** A repr in progress: output chunks, their total length, the containers being printed. */
class ReprWriter {
  readonly chunks: string[] = [];
  length = 0;
  depth = 0;
  readonly seen = new Set<object>();
  constructor(readonly limit: number) {}

  put(s: string): void {
    this.chunks.push(s);
    this.length += s.length;
    if (this.length > this.limit) throw TRUNCATED;
  }
}

/** Thrown inside a ReprWriter when it passes its limit; caught by reprCapped. */
const TRUNCATED = Symbol('truncated');

/**
 * Python's `repr(v)`. Self-containing lists and dicts print as `[...]` / `{...}`; nesting
 * deeper than 1000 raises RecursionError, as in CPython.
 */
export function repr(v: Value): string {
  const w = new ReprWriter(Infinity);
  writeRepr(v, w);
  return w.chunks.join('');
}

/**
 * `repr(v)` cut to at most `maxChars` characters (then ending in `…`), for reports: it stops
 * building once past the limit, so a list of 100 million items costs no more than a short
 * one, and a too-deep value prints as far as it goes instead of raising.
 */
export function reprCapped(v: Value, maxChars: number): string {
  const w = new ReprWriter(maxChars);
  try {
    writeRepr(v, w);
    return w.chunks.join('');
  } catch (e) {
    if (e !== TRUNCATED && !(e instanceof PyRaise)) throw e;
    return `${w.chunks.join('').slice(0, maxChars - 1)}…`;
  }
}

function writeRepr(v: Value, w: ReprWriter): void {
  const container =
    v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PyDictView;
  if (!container) {
    w.put(reprScalar(v));
    return;
  }
  if (w.depth >= MAX_REPR_DEPTH)
    raise('RecursionError', 'maximum recursion depth exceeded while getting the repr of an object');
  w.depth++;
  if (v instanceof PyList) {
    if (w.seen.has(v)) w.put('[...]');
    else {
      w.seen.add(v);
      writeItems('[', v.items, ']', w);
      w.seen.delete(v);
    }
  } else if (v instanceof PyTuple) writeItems('(', v.items, v.items.length === 1 ? ',)' : ')', w);
  else if (v instanceof PyDict) {
    if (w.seen.has(v)) w.put('{...}');
    else {
      w.seen.add(v);
      writeEntries('{', v, '}', w);
      w.seen.delete(v);
    }
  } else {
    const view = v as PyDictView;
    w.put(`${typeName(view)}(`);
    if (view.mode === 'items') writeEntries('[', view.dict, ']', w, true);
    else
      writeItems(
        '[',
        [...view.dict.map.values()].map(([k, x]) => (view.mode === 'keys' ? k : x)),
        ']',
        w,
      );
    w.put(')');
  }
  w.depth--;
}

function writeItems(open: string, items: readonly Value[], close: string, w: ReprWriter): void {
  w.put(open);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) w.put(', ');
    writeRepr(items[i]!, w);
  }
  w.put(close);
}

/** `{k: v, ...}`, or `[(k, v), ...]` for an items view (`pairs`). */
function writeEntries(open: string, d: PyDict, close: string, w: ReprWriter, pairs = false): void {
  w.put(open);
  let first = true;
  for (const [k, x] of d.map.values()) {
    if (!first) w.put(', ');
    first = false;
    if (pairs) w.put('(');
    writeRepr(k, w);
    w.put(pairs ? ', ' : ': ');
    writeRepr(x, w);
    if (pairs) w.put(')');
  }
  w.put(close);
}

/** repr of a value that holds no other values worth limiting (and of exceptions, bound methods, conditions). */
function reprScalar(v: Value): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return strRepr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v instanceof PyRange) {
    return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  }
  if (v instanceof PyException) {
    const args = v.args.map((a) => repr(a));
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
  if (v instanceof PyCondition) return `<Condition(${repr(v.lock)}, ${v.waiters.length})>`;
  if (v instanceof PyEvent) return `<threading.Event: ${v.flag ? 'set' : 'unset'}>`;
  if (v instanceof PyThread) {
    const state = v.state === 'initial' ? 'initial' : v.state === 'started' ? `started ${v.tid}` : 'stopped';
    return `<Thread(${v.name}, ${state}${v.daemon ? ' daemon' : ''})>`;
  }
  if (v instanceof PyStream) return `<_io.TextIOWrapper name='<${v.name}>' mode='w' encoding='utf-8'>`;
  if (v instanceof PyBoundMethod) return `<bound method ${v.name} of ${repr(v.self)}>`;
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

// ---------------------------------------------------------------------------------------------
// Decimal digits of a double

/** A decimal digit string and where its point goes: the value is 0.DIGITS × 10^decpt. */
interface Digits {
  digits: string;
  decpt: number;
}

/** Zero, the way _Py_dg_dtoa returns it. */
const ZERO_DIGITS: Digits = { digits: '0', decpt: 1 };

/** The exact decimal expansion of a finite double x > 0: m·2^e always terminates in base 10. */
function exactDigits(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // A subnormal has no implicit leading 1 and the exponent of the smallest normal.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exp = Math.max(biased, 1) - 1075;
  if (exp >= 0) {
    const digits = (mantissa << BigInt(exp)).toString();
    return { digits, decpt: digits.length };
  }
  // m / 2^k = m·5^k / 10^k.
  const digits = (mantissa * 5n ** BigInt(-exp)).toString();
  return { digits, decpt: digits.length + exp };
}

function stripTrailingZeros({ digits, decpt }: Digits): Digits {
  const kept = digits.replace(/0+$/, '');
  return kept === '' ? ZERO_DIGITS : { digits: kept, decpt };
}

/** The first `keep` digits of an exact expansion, rounded half to even on the digits dropped. */
function roundDigits(exact: Digits, keep: number): Digits {
  const { digits, decpt } = exact;
  if (keep >= digits.length) return stripTrailingZeros(exact);
  if (keep < 0) return ZERO_DIGITS;
  const head = digits.slice(0, keep);
  const first = digits[keep]!;
  // Exactly half only when the dropped digits are a 5 and then zeros: round to the even neighbour.
  const tie = first === '5' && !/[1-9]/.test(digits.slice(keep + 1));
  const up = first > '5' || (first === '5' && (!tie || /[13579]$/.test(head)));
  if (!up) return stripTrailingZeros({ digits: head, decpt });
  if (head === '') return { digits: '1', decpt: decpt + 1 };
  const bumped = (BigInt(head) + 1n).toString();
  // 99.96 → 100.0: a carry out of the first digit moves the point one place right.
  return stripTrailingZeros({ digits: bumped, decpt: decpt + bumped.length - head.length });
}

/**
 * The decimal digits of a finite |x|, correctly rounded the way CPython's float formatting gets
 * them (PyOS_double_to_string, which calls _Py_dg_dtoa): mode 'fixed' keeps `count` digits after
 * the point (dtoa mode 3, for 'f' and '%'), mode 'significant' keeps `count` ≥ 1 significant
 * digits (mode 2, for 'e' and 'g'). Rounding is half to even on the EXACT binary value, so a tie
 * only happens when the double lies exactly halfway: 2.675 (really 2.67499999…) gives 2.67, 0.125
 * gives 0.12. Any count works (JS's toFixed/toExponential/toPrecision stop at 100).
 *
 * Returns the digits without trailing zeros ('0' when the result is zero) and `decpt`: the
 * rounded value is 0.DIGITS × 10^decpt.
 */
function roundedDigits(x: number, mode: 'fixed' | 'significant', count: number): Digits {
  if (x === 0) return ZERO_DIGITS;
  const exact = exactDigits(Math.abs(x));
  return roundDigits(exact, mode === 'fixed' ? exact.decpt + count : count);
}

/** The shortest digits that read back as x (repr's digits): JS's algorithm picks the same ones. */
function shortestDigits(x: number): Digits {
  if (x === 0) return ZERO_DIGITS;
  const [mantissa, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mantissa.replace('.', ''), decpt: Number(exp) + 1 };
}

// ---------------------------------------------------------------------------------------------
// Float to text (PyOS_double_to_string)

/** What PyOS_double_to_string is asked for. */
interface FloatFormat {
  /** 'e', 'f', 'g', or 'r' for repr's shortest digits. */
  code: 'e' | 'f' | 'g' | 'r';
  precision: number;
  /** E, F, G: 'E' in the exponent, INF and NAN. */
  upper: boolean;
  /** '#': keep a trailing point, and 'g' keeps its trailing zeros. */
  alt: boolean;
  /** No presentation type (repr, or a spec without one): an integral result ends in '.0'. */
  addDot0: boolean;
  /** 'z': a result that rounds to zero drops its minus sign. */
  noNeg0: boolean;
}

/** The digits CPython's dtoa gives for each code, and the precision format_float_short then uses. */
function digitsFor(x: number, f: FloatFormat): [Digits, number] {
  switch (f.code) {
    case 'e':
      // p digits after the point are p + 1 significant digits.
      return [roundedDigits(x, 'significant', f.precision + 1), f.precision + 1];
    case 'f':
      return [roundedDigits(x, 'fixed', f.precision), f.precision];
    case 'g': {
      const precision = Math.max(f.precision, 1); // 0 significant digits makes no sense: 1
      return [roundedDigits(x, 'significant', precision), precision];
    }
    case 'r':
      return [shortestDigits(x), 0];
  }
}

/** The exponent suffix, at least two digits as C's "%+.02d". */
function exponentText(exp: number, upper: boolean): string {
  return `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * x as CPython's PyOS_double_to_string writes it (a port of format_float_short): '-' for a
 * negative value, digits with zero padding and a point, and an exponent where the code asks.
 */
function doubleToString(x: number, f: FloatFormat): string {
  if (Number.isNaN(x)) return f.upper ? 'NAN' : 'nan'; // CPython never signs a NaN
  if (!Number.isFinite(x)) return `${x < 0 ? '-' : ''}${f.upper ? 'INF' : 'inf'}`;
  const [rounded, precision] = digitsFor(x, f);
  const { digits } = rounded;
  let { decpt } = rounded;
  const negative = (x < 0 || Object.is(x, -0)) && !(f.noNeg0 && digits === '0');
  // The text is a slice [start, end) of the digits padded with zeros on both sides, with the
  // point after position decpt; first decide the exponent and where the slice ends.
  let useExp = false;
  let end = digits.length;
  if (f.code === 'e') {
    useExp = true;
    end = precision;
  } else if (f.code === 'f') {
    end = decpt + precision;
  } else if (f.code === 'g') {
    // Without a type the switch comes one digit earlier: 123.0 with '.2' is 1.2e+02, not 120.0.
    useExp = decpt <= -4 || decpt > (f.addDot0 ? precision - 1 : precision);
    if (f.alt) end = precision;
  } else {
    useExp = decpt <= -4 || decpt > 16;
  }
  const exp = decpt - 1;
  if (useExp) decpt = 1;
  const start = decpt <= 0 ? decpt - 1 : 0;
  end = Math.max(end, !useExp && f.addDot0 ? decpt + 1 : decpt);
  if (end - start + 8 > MAX_STR_LENGTH) strTooLong('formatted string');
  const padded = '0'.repeat(-start) + digits + '0'.repeat(Math.max(0, end - digits.length));
  let text = `${padded.slice(0, decpt - start)}.${padded.slice(decpt - start)}`;
  if (text.endsWith('.') && !f.alt) text = text.slice(0, -1);
  if (useExp) text += exponentText(exp, f.upper);
  return negative ? `-${text}` : text;
}

/** Python's repr of a float. */
export function floatRepr(x: number): string {
  return doubleToString(x, {
    code: 'r',
    precision: 0,
    upper: false,
    alt: false,
    addDot0: true,
    noNeg0: false,
  });
}

// ---------------------------------------------------------------------------------------------
// Format specs (the format spec mini-language, as CPython's Python/formatter_unicode.c)

/** A parsed format spec: CPython's InternalFormatSpec. */
interface FormatSpec {
  fill: string;
  /** '<', '>', '^' or '='. */
  align: string;
  /** '' when not given, else '+', '-' or ' '. */
  sign: string;
  /** 'z'. */
  noNeg0: boolean;
  /** '#'. */
  alt: boolean;
  /** -1 when not given. */
  width: number;
  /** '', ',' or '_'. */
  grouping: string;
  /** -1 when not given. */
  precision: number;
  /** The presentation type, or the value's default ('' for a float). */
  type: string;
}

const SSIZE_MAX = 2n ** 63n - 1n;
const INT_MAX = 2 ** 31 - 1;
/** Types that take ',' or '_' grouping in threes. */
const GROUPED_TYPES = new Set(['d', 'e', 'f', 'g', 'E', 'G', '%', 'F', '']);
/** Types that group by four, and only with '_'. */
const RADIX_TYPES = new Set(['b', 'o', 'x', 'X']);

function isAlign(c: string | undefined): boolean {
  return c === '<' || c === '>' || c === '^' || c === '=';
}

/** A presentation type as CPython quotes it in messages: itself if printable ASCII, else \x… */
function codeText(type: string): string {
  const cp = type.codePointAt(0)!;
  return cp > 32 && cp < 128 ? type : `\\x${cp.toString(16)}`;
}

function unknownCode(type: string, v: Value): never {
  raise('ValueError', `Unknown format code '${codeText(type)}' for object of type '${typeName(v)}'`);
}

/** The ASCII digits at `pos` (CPython's get_integer): their value (-1 if none) and the next position. */
function readInteger(chars: string[], pos: number): [number, number] {
  let end = pos;
  while (end < chars.length && chars[end]! >= '0' && chars[end]! <= '9') end++;
  const text = chars.slice(pos, end).join('');
  if (text.length > 18 && BigInt(text) > SSIZE_MAX)
    raise('ValueError', 'Too many decimal digits in format string');
  return [text === '' ? -1 : Number(text), end];
}

/**
 * Parse `[[fill]align][sign][z][#][0][width][grouping][.precision][type]` for a value whose type
 * defaults to `defaultType` and `defaultAlign` (parse_internal_render_format_spec, same errors).
 */
function parseSpec(spec: string, v: Value, defaultType: string, defaultAlign: string): FormatSpec {
  const chars = Array.from(spec); // code points: the fill may be any character
  const s: FormatSpec = {
    fill: ' ',
    align: defaultAlign,
    sign: '',
    noNeg0: false,
    alt: false,
    width: -1,
    grouping: '',
    precision: -1,
    type: defaultType,
  };
  let pos = 0;
  const fillGiven = isAlign(chars[1]);
  const alignGiven = fillGiven || isAlign(chars[0]);
  if (fillGiven) {
    s.fill = chars[0]!;
    s.align = chars[1]!;
    pos = 2;
  } else if (alignGiven) {
    s.align = chars[0]!;
    pos = 1;
  }
  if (chars[pos] === '+' || chars[pos] === '-' || chars[pos] === ' ') s.sign = chars[pos++]!;
  if (chars[pos] === 'z') [s.noNeg0, pos] = [true, pos + 1];
  if (chars[pos] === '#') [s.alt, pos] = [true, pos + 1];
  // A '0' before the width only sets the fill (and, for numbers without an alignment, pads after
  // the sign): '<08' left-aligns with zeros, as CPython 3.10+ does.
  if (!fillGiven && chars[pos] === '0') {
    s.fill = '0';
    if (!alignGiven && defaultAlign === '>') s.align = '=';
    pos++;
  }
  [s.width, pos] = readInteger(chars, pos);
  if (chars[pos] === ',') [s.grouping, pos] = [',', pos + 1];
  if (chars[pos] === '_') {
    if (s.grouping !== '') raise('ValueError', "Cannot specify both ',' and '_'.");
    [s.grouping, pos] = ['_', pos + 1];
  }
  if (chars[pos] === ',' && s.grouping === '_') raise('ValueError', "Cannot specify both ',' and '_'.");
  if (chars[pos] === '.') {
    const [precision, next] = readInteger(chars, pos + 1);
    if (precision < 0) raise('ValueError', 'Format specifier missing precision');
    [s.precision, pos] = [precision, next];
  }
  if (chars.length - pos > 1)
    raise('ValueError', `Invalid format specifier '${spec}' for object of type '${typeName(v)}'`);
  if (pos < chars.length) s.type = chars[pos]!;
  if (s.grouping !== '' && !GROUPED_TYPES.has(s.type) && !(s.grouping === '_' && RADIX_TYPES.has(s.type)))
    raise('ValueError', `Cannot specify '${s.grouping}' with '${codeText(s.type)}'.`);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Padding and number layout

/** Length in code points (what Python's len counts, and what widths are measured in). */
function codePoints(s: string): number {
  // A surrogate pair is one code point; only astral characters make the two counts differ.
  const pairs = s.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
  return pairs === null ? s.length : s.length - pairs.length;
}

/** `count` fill characters, refusing (like `"a" * 10**9`) a result longer than the str cap. */
function fillOf(fill: string, count: number, besides: string): string {
  if (count <= 0) return '';
  if (count * fill.length + besides.length > MAX_STR_LENGTH) strTooLong('formatted string');
  return fill.repeat(count);
}

/** `content` (of `length` code points) padded to the spec's width by '<', '>' or '^'. */
function aligned(content: string, length: number, s: FormatSpec): string {
  const padding = s.width - length;
  if (padding <= 0) return content;
  if (s.align === '>') return fillOf(s.fill, padding, content) + content;
  if (s.align === '^') {
    const left = Math.floor(padding / 2);
    return fillOf(s.fill, left, content) + content + fillOf(s.fill, padding - left, content);
  }
  return content + fillOf(s.fill, padding, content);
}

/**
 * Digits with a separator every `size` digits from the right, zero-padded on the left until
 * the grouped text is `minWidth` long (CPython's _PyUnicode_InsertThousandsGrouping): zero
 * padding gets separators too, `format(1234567, '012,')` is '0,001,234,567'.
 */
function groupDigits(digits: string, sep: string, size: number, minWidth: number): string {
  if (minWidth > MAX_STR_LENGTH) strTooLong('formatted string');
  const groupedLength = (n: number): number => (sep === '' ? n : n + Math.floor((n - 1) / size));
  // The fewest digit positions reaching minWidth; the estimate is a lower bound, a few steps off.
  let count = Math.max(digits.length, Math.floor((minWidth * size) / (size + 1)));
  while (groupedLength(count) < minWidth) count++;
  const padded = '0'.repeat(count - digits.length) + digits;
  if (sep === '') return padded;
  const groups: string[] = [];
  for (let end = padded.length; end > 0; end -= size) groups.push(padded.slice(Math.max(0, end - size), end));
  return groups.reverse().join(sep);
}

/** A number split as format lays it out: sign, '0x'-style prefix, integer digits, the rest. */
interface NumberParts {
  negative: boolean;
  prefix: string;
  /** The integer digits, which grouping applies to ('' for inf, nan and 'c'). */
  digits: string;
  /** Everything after them: point and fraction, exponent, '%', or the character of 'c'. */
  rest: string;
}

/**
 * The padded text of a number (CPython's calc_number_widths and fill_number): sign from the
 * spec, and for '=' the padding between sign/prefix and digits.
 */
function layoutNumber(parts: NumberParts, s: FormatSpec): string {
  const sign = parts.negative ? '-' : s.sign === '+' || s.sign === ' ' ? s.sign : '';
  const head = sign + parts.prefix;
  const others = codePoints(head + parts.rest);
  // Zero fill with '=' pads inside the digits, so grouping puts separators into the zeros.
  const minWidth = s.fill === '0' && s.align === '=' ? s.width - others : 0;
  const size = RADIX_TYPES.has(s.type) ? 4 : 3;
  const grouped = parts.digits === '' ? '' : groupDigits(parts.digits, s.grouping, size, minWidth);
  const content = head + grouped + parts.rest;
  if (s.align !== '=') return aligned(content, others + grouped.length, s);
  return head + fillOf(s.fill, s.width - others - grouped.length, content) + grouped + parts.rest;
}

// ---------------------------------------------------------------------------------------------
// format() by type

/** float.__format__ (format_float_internal); also int with a float presentation type. */
function formatFloat(x: number, s: FormatSpec): string {
  if (s.precision > INT_MAX) raise('ValueError', 'precision too big');
  // No type: repr without a precision, else like 'g' that keeps a '.0' on integral results.
  const addDot0 = s.type === '';
  let type = addDot0 ? 'r' : s.type === 'n' ? 'g' : s.type;
  const percent = type === '%';
  if (percent) [type, x] = ['f', x * 100];
  let precision = s.precision;
  if (precision < 0) precision = addDot0 ? 0 : 6;
  else if (type === 'r') type = 'g';
  const code = type.toLowerCase() as FloatFormat['code'];
  const upper = type !== code;
  const text = doubleToString(x, { code, precision, upper, alt: s.alt, addDot0, noNeg0: s.noNeg0 });
  const negative = text.startsWith('-');
  const body = (negative ? text.slice(1) : text) + (percent ? '%' : '');
  const intLength = /^\d*/.exec(body)![0].length;
  return layoutNumber(
    { negative, prefix: '', digits: body.slice(0, intLength), rest: body.slice(intLength) },
    s,
  );
}

/** Presentation types of float ('' is none). */
const FLOAT_TYPES = new Set(['', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%']);
/** Presentation types that format an int as float(v) ('n' stays an int type). */
const INT_AS_FLOAT_TYPES = new Set(['e', 'E', 'f', 'F', 'g', 'G', '%']);

const RADIX: Record<string, number> = { b: 2, o: 8, x: 16, X: 16, d: 10, n: 10 };

/** int.__format__ (format_long_internal); bool formats as its int. */
function formatInt(v: number | boolean, spec: string): string {
  const s = parseSpec(spec, v, 'd', '>');
  // A Python int has no negative zero; a JS -0 that slipped through prints as 0.
  const n = v === 0 ? 0 : Number(v);
  if (INT_AS_FLOAT_TYPES.has(s.type)) return formatFloat(n, s);
  if (s.type !== 'c' && RADIX[s.type] === undefined) unknownCode(s.type, v);
  if (s.precision >= 0) raise('ValueError', 'Precision not allowed in integer format specifier');
  if (s.noNeg0) raise('ValueError', 'Negative zero coercion (z) not allowed in integer format specifier');
  if (s.type === 'c') {
    if (s.sign !== '') raise('ValueError', "Sign not allowed with integer format specifier 'c'");
    if (s.alt) raise('ValueError', "Alternate form (#) not allowed with integer format specifier 'c'");
    if (n < 0 || n > 0x10ffff) raise('OverflowError', '%c arg not in range(0x110000)');
    return layoutNumber({ negative: false, prefix: '', digits: '', rest: String.fromCodePoint(n) }, s);
  }
  const radix = RADIX[s.type]!;
  const digits = Math.abs(n).toString(radix);
  const prefix = s.alt && radix !== 10 ? `0${s.type}` : '';
  return s.type === 'X'
    ? layoutNumber(
        { negative: n < 0, prefix: prefix.toUpperCase(), digits: digits.toUpperCase(), rest: '' },
        s,
      )
    : layoutNumber({ negative: n < 0, prefix, digits, rest: '' }, s);
}

/** str.__format__ (format_string_internal). */
function formatStr(v: string, spec: string): string {
  const s = parseSpec(spec, v, 's', '<');
  if (s.type !== 's') unknownCode(s.type, v);
  if (s.sign !== '')
    raise('ValueError', `${s.sign === ' ' ? 'Space' : 'Sign'} not allowed in string format specifier`);
  if (s.noNeg0) raise('ValueError', 'Negative zero coercion (z) not allowed in string format specifier');
  if (s.alt) raise('ValueError', 'Alternate form (#) not allowed in string format specifier');
  if (s.align === '=') raise('ValueError', "'=' alignment not allowed in string format specifier");
  let text = v;
  if (s.precision >= 0 && codePoints(v) > s.precision) text = Array.from(v).slice(0, s.precision).join('');
  return aligned(text, codePoints(text), s);
}

/**
 * Format `v` with a format spec (`format(v, spec)`, an f-string field) as CPython 3.11 does:
 * the full mini-language for int, bool, float and str, with CPython's ValueErrors. Every other
 * type has object.__format__, which refuses any non-empty spec with a TypeError.
 */
export function formatValue(v: Value, spec: string): string {
  if (spec === '') return str(v);
  if (typeof v === 'number' || typeof v === 'boolean') return formatInt(v, spec);
  if (v instanceof PyFloat) {
    const s = parseSpec(spec, v, '', '>');
    if (!FLOAT_TYPES.has(s.type)) unknownCode(s.type, v);
    return formatFloat(v.v, s);
  }
  if (typeof v === 'string') return formatStr(v, spec);
  raise('TypeError', `unsupported format string passed to ${typeName(v)}.__format__`);
}
