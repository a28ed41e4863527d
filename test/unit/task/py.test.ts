/** Python value semantics of the template runtime: printing, arithmetic, truth, equality. */
import { describe, expect, it } from 'vitest';
import {
  PyFloat,
  PyTuple,
  formatPyFloat,
  markJsonRepr,
  pyAdd,
  pyEquals,
  pyFloorDiv,
  pyMod,
  pyMul,
  pyPercentFormat,
  pyPow,
  pyRepr,
  pyStr,
  pyTrueDiv,
  pyTruthy,
  reprString,
  roundHalfEven,
} from '../../../src/task/jinja/py.js';
import { decodePythonEscapes } from '../../../src/task/jinja/compile.js';

describe('float repr like CPython', () => {
  it.each([
    [1, '1.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e16, '1e+16'],
    [1234567890123456, '1234567890123456.0'],
    [1.5e20, '1.5e+20'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [123.456, '123.456'],
    [1e100, '1e+100'],
  ])('%s -> %s', (value, text) => {
    expect(formatPyFloat(value)).toBe(text);
  });
});

describe('str() and repr()', () => {
  it('prints None, booleans, ints and floats like Python', () => {
    expect(pyStr(null)).toBe('None');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(undefined)).toBe('');
    expect(pyStr(new PyFloat(2))).toBe('2.0');
    expect(pyStr(2 ** 70)).toBe('1180591620717411303424');
    expect(pyStr(2n ** 70n)).toBe('1180591620717411303424');
  });

  it('prints lists, tuples and dicts as Python reprs', () => {
    expect(pyStr(['a', "it's", 'say "hi"', 1, new PyFloat(2), null])).toBe(`['a', "it's", 'say "hi"', 1, 2.0, None]`);
    expect(pyStr(PyTuple.fromItems(['a']))).toBe("('a',)");
    expect(pyStr(PyTuple.fromItems([]))).toBe('()');
    expect(pyStr({ a: 1, b: [true] })).toBe("{'a': 1, 'b': [True]}");
  });

  it('prints task-args mappings as JSON, as Rally`s OrderedDict repr does', () => {
    const args = markJsonRepr({ a: new PyFloat(1), b: [1, markJsonRepr({ c: 'é' })], d: null, e: true });
    expect(pyStr(args)).toBe('{"a": 1.0, "b": [1, {"c": "\\u00e9"}], "d": null, "e": true}');
    expect(pyStr([args])).toBe('[{"a": 1.0, "b": [1, {"c": "\\u00e9"}], "d": null, "e": true}]');
  });

  it('escapes strings like repr()', () => {
    expect(reprString('tab\there\n')).toBe("'tab\\there\\n'");
    expect(reprString('back\\slash')).toBe("'back\\\\slash'");
    expect(reprString('\u0001é')).toBe("'\\x01é'");
    expect(pyRepr("both ' and \"")).toBe(`'both \\' and "'`);
  });

  it('decodes Python string literal escapes', () => {
    expect(decodePythonEscapes('\\u00e9\\x41\\t\\101\\d\\\\')).toBe('éA\tA\\d\\');
  });
});

describe('arithmetic keeps int and float apart', () => {
  it('multiplies and divides like Python 3', () => {
    expect(pyStr(pyMul(2, 0.5))).toBe('1.0');
    expect(pyStr(pyTrueDiv(10, 2))).toBe('5.0');
    expect(pyStr(pyFloorDiv(7, 2))).toBe('3');
    expect(pyStr(pyFloorDiv(-7, 2))).toBe('-4');
    expect(pyStr(pyFloorDiv(new PyFloat(7), 2))).toBe('3.0');
    expect(pyStr(pyMod(-7, 3))).toBe('2');
    expect(pyStr(pyPow(2, -1))).toBe('0.5');
    expect(pyStr(pyPow(2, 62))).toBe('4611686018427387904');
    expect(pyStr(pyAdd(true, 1))).toBe('2');
  });

  it('raises what Python raises', () => {
    expect(() => pyTrueDiv(1, 0)).toThrow('division by zero');
    expect(() => pyAdd('a', 1)).toThrow('can only concatenate str (not "int") to str');
    expect(() => pyAdd(undefined, 1)).toThrow('undefined');
  });

  it('formats with %', () => {
    expect(pyPercentFormat('%s-%d-%.2f-%05.1f', PyTuple.fromItems(['a', 3.9, 2.5, 3.14159]))).toBe('a-3-2.50-003.1');
    expect(pyPercentFormat('%(x)s', { x: 1 })).toBe('1');
    expect(() => pyPercentFormat('abc', 5)).toThrow('not all arguments converted');
  });

  it('rounds half to even', () => {
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(3.5)).toBe(4);
    expect(roundHalfEven(-2.5)).toBe(-2);
  });
});

describe('truth and equality', () => {
  it('empty containers and 0.0 are false, NaN is true', () => {
    for (const value of [[], {}, '', 0, new PyFloat(0), null, undefined, false]) expect(pyTruthy(value)).toBe(false);
    for (const value of [[0], { a: 1 }, ' ', NaN, new PyFloat(1)]) expect(pyTruthy(value)).toBe(true);
  });

  it('compares like Python', () => {
    expect(pyEquals(1, new PyFloat(1))).toBe(true);
    expect(pyEquals(true, 1)).toBe(true);
    expect(pyEquals([1], PyTuple.fromItems([1]))).toBe(false);
    expect(pyEquals({ a: [1] }, { a: [new PyFloat(1)] })).toBe(true);
    expect(pyEquals('1', 1)).toBe(false);
  });
});
