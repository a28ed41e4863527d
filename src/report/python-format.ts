/**
 * Number and JSON formatting that reproduces Python's, byte for byte, because Rally's SLA details,
 * console tables and JSON reports are produced by Python and tools (and people) compare them as text:
 * `"%.2f" % x`, `round(x, 3)`, `repr(float)` and `json.dumps(..., indent=4)`.
 *
 * JavaScript differs in small but visible ways: `toFixed` rounds exact ties away from zero where
 * Python rounds them to even, `String(1.0)` is "1" where Python says "1.0", and `1e-05` / `0.00001`
 * switch notation at different exponents.
 */

const float64 = new Float64Array(1);
const float64Bits = new BigUint64Array(float64.buffer);

/** |x| as an exact binary fraction mantissa * 2^exponent (x finite). */
function exactBinary(x: number): { mantissa: bigint; exponent: number } {
  float64[0] = Math.abs(x);
  const bits = float64Bits[0] ?? 0n;
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 }; // subnormal or zero
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/**
 * Python's `"%.{digits}f" % x`: the exact binary value rounded half-to-even to `digits` decimals.
 * Also what `round(x, digits)` rounds to before turning it back into a float.
 */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const { mantissa, exponent } = exactBinary(x);
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * scale;
  } else {
    const numerator = mantissa * scale;
    const denominator = 1n << BigInt(-exponent);
    scaled = numerator / denominator;
    const twiceRemainder = (numerator % denominator) * 2n;
    if (twiceRemainder > denominator || (twiceRemainder === denominator && scaled % 2n === 1n)) scaled += 1n;
  }
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return (isNegative(x) ? '-' : '') + text;
}

/** Python's `round(x, digits)` for a float: correctly rounded, ties to even, back to the nearest double. */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  return Number(pyFixed(x, digits));
}

/** Python's `repr(float)` / `str(float)`: shortest round-trip digits, Python's notation rules. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return isNegative(x) ? '-0.0' : '0.0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    // Both languages print this range in plain decimal with the same shortest digits; Python adds ".0".
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  // toExponential() without digits gives the shortest round-trip digits, like Python's repr.
  const [mantissaText = '', exponentText = '0'] = magnitude.toExponential().split('e');
  const digits = mantissaText.replace('.', '');
  const exponent = Number(exponentText);
  const sign = x < 0 ? '-' : '';
  // Python switches to scientific notation when the decimal point would sit before -4 or after 16.
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) return `${sign}${digits.padEnd(integerDigits, '0')}.0`;
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}

/**
 * Rally's strutils.format_float_to_str: "%f" then trailing zeros of the fraction dropped
 * (keeping at least one digit), e.g. 154.8656151 -> "154.865615", 37 -> "37.0".
 */
export function formatFloatToStr(x: number): string {
  const text = pyFixed(x, 6);
  const dot = text.indexOf('.');
  if (dot < 0) return text; // nan / inf
  const fraction = text.slice(dot + 1).replace(/0+$/, '') || '0';
  return `${text.slice(0, dot)}.${fraction}`;
}

/** Python's "%i" / "%d" of a number: truncation toward zero. */
export function pyInt(x: number): string {
  return String(Math.trunc(x));
}

/**
 * A number that Python holds as a float. JSON output writes it as `1.0`, never `1`,
 * which matters: Rally's import checks `isinstance(duration, float)`.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** Values the Python-style JSON writer accepts: plain JSON data plus floats marked as such. */
export type PyJsonValue =
  | null
  | boolean
  | number
  | string
  | PyFloat
  | readonly PyJsonValue[]
  | { readonly [key: string]: PyJsonValue | undefined };

/** Python's json string encoding with the default ensure_ascii=True. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

export function pyJsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    switch (code) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      default:
        if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
        else out += text[i];
    }
  }
  return `${out}"`;
}

/** A JS number as Python's json writes it: integers as ints, everything else as a float. */
export function pyJsonNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && !Object.is(value, -0)) return String(BigInt(value));
  return pyFloatRepr(value);
}

/**
 * Python's `json.dumps(value, indent=indent)` (sort_keys=False, ensure_ascii=True).
 * `level` is the nesting depth the value starts at, so fragments can be spliced into a larger document.
 * Keys whose value is `undefined` are skipped (they do not exist in Python's dict).
 */
export function pyJsonDumps(value: PyJsonValue, indent = 4, level = 0): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return pyJsonNumber(value);
  if (typeof value === 'string') return pyJsonString(value);
  if (value instanceof PyFloat) {
    if (!Number.isFinite(value.value)) return pyJsonNumber(value.value);
    return pyFloatRepr(value.value);
  }
  const inner = '\n' + ' '.repeat(indent * (level + 1));
  const outer = '\n' + ' '.repeat(indent * level);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = (value as readonly PyJsonValue[]).map((item) => pyJsonDumps(item, indent, level + 1));
    return `[${inner}${items.join(',' + inner)}${outer}]`;
  }
  const entries = Object.entries(value as { [key: string]: PyJsonValue | undefined }).filter(
    (entry): entry is [string, PyJsonValue] => entry[1] !== undefined,
  );
  if (entries.length === 0) return '{}';
  const items = entries.map(([key, item]) => `${pyJsonString(key)}: ${pyJsonDumps(item, indent, level + 1)}`);
  return `{${inner}${items.join(',' + inner)}${outer}}`;
}

/** Python's compact one-line `json.dumps(value)` (separators ", " and ": "), as `sla-check --json` prints. */
export function pyJsonDumpsInline(value: PyJsonValue): string {
  if (value === null || typeof value !== 'object' || value instanceof PyFloat) return pyJsonDumps(value);
  if (Array.isArray(value)) return `[${(value as readonly PyJsonValue[]).map(pyJsonDumpsInline).join(', ')}]`;
  const entries = Object.entries(value as { [key: string]: PyJsonValue | undefined }).filter(
    (entry): entry is [string, PyJsonValue] => entry[1] !== undefined,
  );
  return `{${entries.map(([key, item]) => `${pyJsonString(key)}: ${pyJsonDumpsInline(item)}`).join(', ')}}`;
}
