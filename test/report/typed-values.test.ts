/**
 * Final globals as typed values: `outcomeOf(...).values` (JS values: tuple → frozen array,
 * dict → Map) and `outcomeJson(...).globals` (JSON values), beside the reprs in `globals` /
 * `globalsRepr`, through the public API; and the bounds and key rules of the conversions.
 */
import { describe, expect, it } from 'vitest';
import {
  compileSource,
  outcomeJson,
  outcomeOf,
  runProgram,
  toJsonValue,
  toJsValue,
  type JsValue,
} from '../../src/index.js';
import { MAX_DEPTH, MAX_VALUE_SIZE } from '../../src/semantics/js-value.js';
import { OUTCOME_JSON_KEYS, VALUES_JSON, VALUES_PROGRAM, VALUES_REPRS, own } from './values-program.js';

/** Compile and run `source` round-robin through the public API. */
function runSource(source: string): ReturnType<typeof runProgram> {
  const { program, diagnostics } = compileSource(source, 'values.py');
  expect(diagnostics).toEqual([]);
  return runProgram(program!, { scheduler: 'round-robin' });
}

describe('outcomeOf: final globals as typed values', () => {
  const result = runSource(VALUES_PROGRAM);
  const outcome = outcomeOf(result);
  const reprs = VALUES_REPRS;

  it('keeps the reprs in `globals`, data globals only, in definition order, `__proto__` as its own key', () => {
    expect(outcome.globals).toEqual(reprs);
    expect(Object.keys(outcome.globals)).toEqual(Object.keys(reprs));
    expect(Object.getPrototypeOf(outcome.globals)).toBe(Object.prototype);
  });

  it('gives the same globals, same order, as typed JS values in `values`', () => {
    expect(Object.keys(outcome.values)).toEqual(Object.keys(reprs));
    const v = outcome.values;
    expect(v).toEqual(
      own<JsValue>([
        ['n', 43],
        ['neg', -7],
        ['big', 9007199254740991],
        ['f', 1.5],
        ['whole', 2],
        ['inf', Infinity],
        ['ninf', -Infinity],
        ['nan', NaN],
        ['s', 'héllo "q"'],
        ['yes', true],
        ['no', false],
        ['nothing', null],
        ['items', [1, 'a', null]],
        ['pair', [1, 'two']],
        ['empty', []],
        [
          'd',
          new Map<JsValue, JsValue>([
            ['k', 1],
            ['j', [2]],
          ]),
        ],
        [
          'di',
          new Map<JsValue, JsValue>([
            [1, 'one'],
            [2, 'two'],
          ]),
        ],
        [
          'nested',
          [
            [1, 2],
            [3, [4, [5]]],
          ],
        ],
        ['__proto__', 5],
      ]),
    );
    // A tuple is a frozen array, a list is not; a dict is a Map in insertion order.
    expect(Object.isFrozen(v.pair)).toBe(true);
    expect(Object.isFrozen(v.empty)).toBe(true);
    expect(Object.isFrozen(v.items)).toBe(false);
    expect(Object.isFrozen(((v.nested as JsValue[])[1] as JsValue[])[1])).toBe(false);
    expect(Object.isFrozen((((v.nested as JsValue[])[1] as JsValue[])[1] as JsValue[])[1])).toBe(true);
    expect([...(v.d as Map<JsValue, JsValue>).keys()]).toEqual(['k', 'j']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it('gives `outcomeJson` the JSON values in `globals` and the reprs in `globalsRepr`, right after it', () => {
    const json = JSON.parse(JSON.stringify(outcomeJson(result))) as Record<string, unknown>;
    expect(json.globals).toEqual(VALUES_JSON);
    expect(Object.keys(json.globals as object)).toEqual(Object.keys(reprs));
    expect(json.globalsRepr).toEqual(reprs);
    expect(Object.keys(json)).toEqual(OUTCOME_JSON_KEYS);
    // Everything but the globals is the outcome's own.
    const rest: Record<string, unknown> = { ...outcome };
    delete rest.globals;
    delete rest.values;
    expect(json).toMatchObject(JSON.parse(JSON.stringify(rest)) as object);
  });
});

describe('toJsValue and toJsonValue', () => {
  /** The final value of `x` in a program whose module body is `body`. */
  function valueOf(body: string): Parameters<typeof toJsValue>[0] {
    const { program, diagnostics } = compileSource(body, 'x.py');
    expect(diagnostics).toEqual([]);
    return runProgram(program!, { scheduler: 'round-robin' }).machine.finalGlobals().get('x')!;
  }

  it('gives a value with no JS counterpart as its Python type and repr', () => {
    const lock = valueOf('import threading\nx = threading.Lock()\n');
    expect(toJsValue(lock)).toEqual({ type: '_thread.lock', repr: '<unlocked _thread.lock object>' });
    expect(toJsonValue(lock)).toEqual({ type: '_thread.lock', repr: '<unlocked _thread.lock object>' });
  });

  it('gives a dict as an object only when no JSON reader could take it for another form or reorder it', () => {
    expect(toJsonValue(valueOf("x = {'b': 1, 'a': 2}\n"))).toEqual({ b: 1, a: 2 });
    // Decimal integer keys: a JS object would move them ahead of the others.
    expect(toJsonValue(valueOf("x = {'b': 1, '2': 2, '1': 3}\n"))).toEqual({
      dict: [
        ['b', 1],
        ['2', 2],
        ['1', 3],
      ],
    });
    // The keys of the other forms.
    expect(toJsonValue(valueOf("x = {'dict': [[1, 2]]}\n"))).toEqual({ dict: [['dict', [[1, 2]]]] });
    expect(toJsonValue(valueOf("x = {'repr': 'r', 'type': 't'}\n"))).toEqual({
      dict: [
        ['repr', 'r'],
        ['type', 't'],
      ],
    });
    expect(toJsonValue(valueOf("x = {'type': 't', 'repr': 'r', 'n': 1}\n"))).toEqual({
      type: 't',
      repr: 'r',
      n: 1,
    });
    expect(toJsonValue(valueOf("x = {'__proto__': 1}\n"))).toEqual(own([['__proto__', 1]]));
    expect(toJsonValue(valueOf('x = {(1, 2): [3], None: True, 1.5: 0}\n'))).toEqual({
      dict: [
        [[1, 2], [3]],
        [null, true],
        [1.5, 0],
      ],
    });
    expect(toJsValue(valueOf('x = {(1, 2): [3]}\n'))).toEqual(new Map([[[1, 2], [3]]]));
  });

  it(`gives a list that contains itself as far as ${MAX_DEPTH} levels down, then as its repr`, () => {
    const x = valueOf('x = [1]\nx.append(x)\n');
    let js = toJsValue(x);
    let json = toJsonValue(x);
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      expect((js as JsValue[])[0]).toBe(1);
      expect((json as unknown[])[0]).toBe(1);
      js = (js as JsValue[])[1]!;
      json = (json as never[])[1]!;
    }
    expect(js).toEqual({ type: 'list', repr: '[1, [...]]' });
    expect(json).toEqual({ type: 'list', repr: '[1, [...]]' });
  });

  it(`gives a value larger than ${MAX_VALUE_SIZE.toLocaleString('en-US')} (values and characters) whole as its capped repr`, () => {
    const fits = valueOf(`x = list(range(${MAX_VALUE_SIZE - 1}))\n`);
    expect((toJsValue(fits) as number[]).length).toBe(MAX_VALUE_SIZE - 1);
    expect((toJsonValue(fits) as number[]).at(-1)).toBe(MAX_VALUE_SIZE - 2);
    const big = valueOf(`x = list(range(${MAX_VALUE_SIZE}))\n`);
    for (const v of [toJsValue(big), toJsonValue(big)]) {
      const { type, repr } = v as { type: string; repr: string };
      expect(type).toBe('list');
      expect(repr.length).toBe(10_000);
      expect(repr.startsWith('[0, 1, 2, ')).toBe(true);
      expect(repr.endsWith('…')).toBe(true);
    }
    const text = valueOf(`x = ['a' * ${MAX_VALUE_SIZE}]\n`);
    expect(toJsonValue(text)).toEqual({ type: 'list', repr: `['${'a'.repeat(9_997)}…` });
  });
});
