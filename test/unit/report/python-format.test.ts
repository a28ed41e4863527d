/**
 * Python formatting, checked against cases produced by CPython (fixtures/generate-python-format-cases.py):
 * "%.1f", "%.2f", "%f", repr(round(x, 3)), repr(x), Rally's format_float_to_str, json.dumps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatFloatToStr,
  pyFixed,
  pyFloat,
  pyFloatRepr,
  pyJsonDumps,
  pyJsonDumpsInline,
  pyJsonString,
  pyRound,
  type PyJsonValue,
} from '../../../src/report/python-format.js';

interface Fixture {
  numbers: Array<{
    bits: string;
    fixed1: string;
    fixed2: string;
    fixed6: string;
    round3: string;
    repr: string;
    float_to_str: string;
  }>;
  strings: Array<{ text: string; json: string }>;
  document: { json: string; inline: string };
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/python-format-cases.json', import.meta.url), 'utf8'),
) as Fixture;

function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('number formatting matches CPython', () => {
  for (const c of fixture.numbers) {
    const x = fromBits(c.bits);
    it(`${c.repr}`, () => {
      expect(pyFixed(x, 1)).toBe(c.fixed1);
      expect(pyFixed(x, 2)).toBe(c.fixed2);
      expect(pyFixed(x, 6)).toBe(c.fixed6);
      expect(pyFloatRepr(pyRound(x, 3))).toBe(c.round3);
      expect(pyFloatRepr(x)).toBe(c.repr);
      expect(formatFloatToStr(x)).toBe(c.float_to_str);
    });
  }

  it('rounds exact ties to even where toFixed rounds them up', () => {
    expect(pyFixed(0.125, 2)).toBe('0.12');
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(pyFixed(12.25, 1)).toBe('12.2');
  });
});

describe('JSON matches json.dumps', () => {
  for (const s of fixture.strings) {
    it(`string ${JSON.stringify(s.text)}`, () => expect(pyJsonString(s.text)).toBe(s.json));
  }
  const document: PyJsonValue = { a: [1, pyFloat(2), { b: [] }, {}], c: 'x', d: null, e: true, f: 1e-7, skipped: undefined };
  it('indent=4 document', () => expect(pyJsonDumps(document)).toBe(fixture.document.json));
  it('one-line document', () => expect(pyJsonDumpsInline(document)).toBe(fixture.document.inline));
});
