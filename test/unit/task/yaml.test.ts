/**
 * YAML as Rally reads it (PyYAML SafeLoader, YAML 1.1 scalars, duplicate keys refused). The
 * table below is what PyYAML gives; the differential part re-checks it (and more) against
 * PyYAML itself when Debian's python3 with PyYAML and Rally is there.
 */
import { describe, expect, it } from 'vitest';
import { PyFloat, formatPyFloat } from '../../../src/task/jinja/py.js';
import { parseYaml, pathKey, YamlError, type YamlValue } from '../../../src/task/yaml.js';
import { referenceUnavailable, runRallyReference, SKIP_MESSAGE } from './rally-reference.js';

const value = (text: string): YamlValue => (parseYaml(`v: ${text}\n`).value as { v: YamlValue }).v;
const float = (n: number) => new PyFloat(n);

describe('PyYAML scalar resolution (YAML 1.1), where the yaml package would differ', () => {
  it.each<[string, YamlValue]>([
    ['yes', true],
    ['No', false],
    ['on', true],
    ['OFF', false],
    ['y', 'y'], // YAML 1.1 spec says bool, PyYAML says string
    ['n', 'n'],
    ['1e3', '1e3'], // a PyYAML float needs a dot
    ['1.0e5', '1.0e5'], // ... and a signed exponent
    ['1.0e+5', float(100000)],
    ['1.5', 1.5],
    ['3.0', float(3)],
    ['.5', 0.5],
    ['-.5', '-.5'],
    ['0777', 511], // octal
    ['0o17', '0o17'],
    ['08', '08'],
    ['0x1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['1:30', 90], // sexagesimal
    ['190:20:30.15', 685230.15],
    ['~', null],
    ['null', null],
    ['', null],
    ['!!null x', null],
    ['!!str 12', '12'],
    ['!!float 1', float(1)],
    ['! 12', 12],
    ['2001-12-14', '2001-12-14'], // PyYAML builds a date; kept as text (Rally cannot store a date as JSON either)
    ['"60 * 6"', '60 * 6'],
  ])('%s', (text, expected) => {
    const actual = value(text);
    if (expected instanceof PyFloat) {
      expect(actual).toBeInstanceOf(PyFloat);
      expect((actual as PyFloat).value).toBe(expected.value);
    } else expect(actual).toEqual(expected);
  });

  it('keeps keys as json.dumps would write them', () => {
    expect(parseYaml('1: a\n2.5: b\nfalse: c\nnull: d\n').value).toEqual({ '1': 'a', '2.5': 'b', false: 'c', null: 'd' });
    // 1 == True in Python: the same key twice
    expect(() => parseYaml('1: a\ntrue: b\n')).toThrow("duplicate key 'true'");
  });

  it('sets "__proto__" as a plain key', () => {
    const parsed = parseYaml('__proto__: {polluted: 1}\n').value as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('errors', () => {
  it.each([
    ['a: 1\na: 2\n', "duplicate key 'a'", 5],
    ['1: x\n1.0: y\n', "duplicate key '1.0'", 5],
    ['yes: 1\nTrue: 2\n', "duplicate key 'True'", 7],
    ['a:\n\tb: 1\n', 'a tab character is not allowed here', 3],
    ['a: x\ty\n', 'a tab character is not allowed here', 4],
    ['a: 1\n---\nb: 2\n', 'more than one YAML document', 5],
    ['a: &x {b: 1}\nc:\n  <<: *x\n', 'merge keys', 18],
    ['a: !foo x\n', "could not determine a constructor for the tag '!foo'", 8],
    ['? [1, 2]\n: x\n', 'a mapping key must be a plain value', 2],
    ['a: b: c\n', 'nested mapping', 3],
    ['a: &x [1, *x]\n', 'refers to a node that contains it', 10],
  ])('%j', (text, message, offset) => {
    let error: unknown;
    try {
      parseYaml(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YamlError);
    expect((error as YamlError).message).toContain(message);
    expect((error as YamlError).offset).toBe(offset);
  });

  it('accepts tabs inside quoted strings, comments and block text', () => {
    expect(parseYaml("a: 'x\ty'\nb: \"x\ty\"\n# c\twith tab\nc: |\n  x\ty\n").value).toEqual({ a: 'x\ty', b: 'x\ty', c: 'x\ty\n' });
  });
});

describe('positions', () => {
  it('keeps key and value offsets for every path', () => {
    const text = 'Dummy.dummy:\n  - runner:\n      type: constant\n      times: 10\n';
    const { positions } = parseYaml(text);
    const times = positions.get(pathKey(['Dummy.dummy', 0, 'runner', 'times']));
    expect(times).toMatchObject({ keyOffset: text.indexOf('times'), valueOffset: text.indexOf('10'), scalar: true });
    const runner = positions.get(pathKey(['Dummy.dummy', 0, 'runner']));
    expect(runner).toMatchObject({ keyOffset: text.indexOf('runner'), scalar: false });
  });
});

/** What JSON would lose, spelled out like rally_reference.py does. */
function typed(v: YamlValue): unknown {
  if (v instanceof PyFloat) return { $float: formatPyFloat(v.value) };
  if (typeof v === 'number') return Number.isInteger(v) ? v : { $float: formatPyFloat(v) };
  if (Array.isArray(v)) return v.map(typed);
  if (v !== null && typeof v === 'object') return { $map: Object.entries(v).map(([k, x]) => [k, typed(x)]) };
  return v;
}

const SCALARS = `yes Yes YES no NO on Off y n true True TRUE tRUE false null Null NULL ~ 1e3 1.0e5 1.0e+5 1e+3 1.5 .5 -.5 +.5 1. -1.
  1_000 1_000.5 0777 0o17 08 0x1F 0X1F 0b101 -0b101 +12 -0 0 00 1:30 190:20:30 190:20:30.15 1:70 .inf -.inf +.inf .Inf .NaN
  .nan nan inf 12:30:00 0.1 3.0 -3.0 1e400 123456789012345678901234567890 0.0000001 1.7976931348623157e+308 a#b 0.5e-3
  5e-3 1_0 0_1 +1_000 0x_1F 1.5_0`.split(/\s+/);
const DOCUMENTS = [
  'a: 1\nb:\n  - x\n  - {y: z}\n',
  '{"a": [1, 2.0, true, null], "b": "s"}',
  'a: &x {b: 1}\nc: *x\n',
  '- a\n-\n- c\n',
  'a:\n- 1\n- 2\n',
  'a: |\n  line1\n\n  line2\nb: c\n',
  '1: a\n2.5: b\nfalse: c\nnull: d\n',
  '? complex\n: value\n',
  'a: plain\n  continued\n',
  'a: !!omap [x: 1, y: 2]\n',
  'a: 1 # c\n# trailing\n',
  '%YAML 1.1\n---\na: 1\n',
  'a: [1, 2,]\n',
  'v: "\\u00e9\\x41\\t"\n',
  "v: 'it''s'\n",
  'v: >-\n  folded\n  text\n',
];
const FAILING = [
  'a: 1\na: 2\n',
  'yes: 1\nTrue: 2\n',
  'a:\n\tb: 1\n',
  'a: 1\t\n',
  '[1,\t2]\n',
  '\t# comment\na: 1\n',
  'a: |\n\tx\n',
  'a: 1\n---\nb: 2\n',
  'a: <<\n',
  'a: =\n',
  'a: !foo x\n',
  "a: 'unterminated\n",
  '- a\nb: 1\n',
  'a: [1, 2\n',
  '  a: 1\n b: 2\n',
  'a: *nope\n',
  'a: !!int abc\n',
];

describe.skipIf(referenceUnavailable !== undefined)(`same values as PyYAML with Rally's loader${referenceUnavailable ? ` (${SKIP_MESSAGE})` : ''}`, () => {
  const inputs = [...SCALARS.map((s) => `v: ${s}\n`), ...DOCUMENTS, ...FAILING];
  const reference = referenceUnavailable ? [] : runRallyReference(inputs.map((text) => ({ mode: 'yaml' as const, text })));
  inputs.forEach((text, i) => {
    it(JSON.stringify(text), () => {
      const expected = reference[i];
      let actual: unknown;
      try {
        actual = { value: typed(parseYaml(text).value) };
      } catch (error) {
        actual = { error: (error as Error).message };
      }
      if (expected?.error) expect(actual).toHaveProperty('error');
      else expect(actual).toEqual({ value: expected?.value });
    });
  });
});
