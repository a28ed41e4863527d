/**
 * Python value semantics for the Jinja2 emulation: how Python prints, compares, tests the
 * truth of and does arithmetic on the values a Rally task template sees.
 *
 * Representation (plain JS values wherever Python and JS agree):
 *   None -> null, Jinja2 Undefined -> undefined, bool -> boolean, str -> string,
 *   int -> integral number (bigint beyond 2^53, Python ints are exact), float -> non-integral
 *   number or PyFloat (a float with an integral value, e.g. 1.0, which JS numbers cannot tell
 *   apart from the int 1),
 *   list -> Array, tuple -> PyTuple, range -> PyRange, dict -> plain object.
 *   Dicts that came from task args are marked JSON_REPR: Rally loads args with an OrderedDict
 *   whose repr is json.dumps(), so they print as JSON, while dict literals print as Python dicts.
 */

/** A Python float whose value is integral (1.0, -0.0, 1e16): keeps its float-ness through rendering. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return formatPyFloat(this.value);
  }
}

/** A Python tuple. Array methods that build new arrays return plain arrays (lists). */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  static fromItems<T>(items: Iterable<T>): PyTuple<T> {
    const tuple = new PyTuple<T>();
    for (const item of items) tuple.push(item);
    return tuple;
  }
}

/** The result of Jinja2's range(): iterates like a list, prints as range(a, b[, step]). */
export class PyRange extends Array<number> {
  start = 0;
  stop = 0;
  step = 1;
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  static of3(start: number, stop: number, step: number): PyRange {
    const range = new PyRange();
    range.start = start;
    range.stop = stop;
    range.step = step;
    for (let v = start; step > 0 ? v < stop : v > stop; v += step) range.push(v);
    return range;
  }
}

/** Marks a dict that prints as JSON (Rally's OrderedDict for task args). Non-enumerable. */
export const JSON_REPR: unique symbol = Symbol('rally-gate.jsonRepr');

/** An error Python/Jinja2 would raise while rendering (TypeError, ZeroDivisionError, UndefinedError...). */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

export type PyDict = Record<string, unknown>;

export function markJsonRepr<T extends object>(dict: T): T {
  Object.defineProperty(dict, JSON_REPR, { value: true, enumerable: false });
  return dict;
}

export function isPyFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

export function isPyNumber(value: unknown): value is number | bigint | PyFloat | boolean {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value instanceof PyFloat;
}

export function isPyInt(value: unknown): boolean {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'boolean' || typeof value === 'bigint';
}

export function isDict(value: unknown): value is PyDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PyFloat);
}

/** The number inside any Python number (bools count as 0/1, like Python). */
export function numberValue(value: unknown): number {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  return value as number;
}

function bigValue(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  return BigInt(numberValue(value));
}

/** An exact int result: a number while it is exact, else a bigint. */
function exactInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** A float result: boxed when integral so that it still prints as "1.0". */
export function makeFloat(n: number): number | PyFloat {
  return Number.isInteger(n) || Object.is(n, -0) ? new PyFloat(n) : n;
}

/** Python's type() name, for error messages like Python's. */
export function pyTypeName(value: unknown): string {
  if (value === undefined) return 'Undefined';
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (isPyFloat(value)) return 'float';
  if (typeof value === 'number' || typeof value === 'bigint') return 'int';
  if (value instanceof PyTuple) return 'tuple';
  if (value instanceof PyRange) return 'range';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'function') return 'function';
  return 'dict';
}

// ---------------------------------------------------------------------------------------------
// Printing

/** repr() of a float, exactly as CPython 3 prints it (shortest round-trip digits). */
export function formatPyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  // toExponential() gives the shortest digits that round-trip, like Python's repr.
  const [mantissa = '', exponentText = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  // CPython switches to scientific notation when the decimal exponent is < -4 or >= 16.
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${body}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const pointAt = exponent + 1; // digits before the decimal point
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return `${sign}${digits}${'0'.repeat(pointAt - digits.length)}.0`;
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

function formatPyInt(n: number): string {
  // Python ints print every digit; JS switches to exponent notation at 1e21.
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

/** repr() of a str: single quotes unless the text has ' and no ", Python's escapes. */
export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) {
      // Not printable for Python's str.isprintable(): escape like repr() does.
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** str() of a value, as Jinja2 prints {{ value }}. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof String) return value.toString();
  if (value === undefined) return '';
  return pyRepr(value);
}

/** repr() of a value (how it looks inside a printed list or dict). */
export function pyRepr(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return reprString(value);
  if (value instanceof PyFloat) return formatPyFloat(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? formatPyInt(value) : formatPyFloat(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof String) return reprString(value.toString());
  if (value instanceof PyRange) {
    const step = value.step === 1 ? '' : `, ${value.step}`;
    return `range(${value.start}, ${value.stop}${step})`;
  }
  if (value instanceof PyTuple) {
    const items = value.map((item) => pyRepr(item));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => pyRepr(item)).join(', ')}]`;
  if (typeof value === 'function') return `<function ${value.name || 'lambda'}>`;
  if (isDict(value)) {
    if ((value as { [JSON_REPR]?: boolean })[JSON_REPR]) return pyJsonDumps(value);
    const entries = Object.entries(value).map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** json.dumps() with Python's defaults: ", " and ": " separators, ASCII only, NaN/Infinity allowed. */
export function pyJsonDumps(value: unknown, options: { sortKeys?: boolean } = {}): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof PyFloat || typeof value === 'number') {
    const n = numberValue(value);
    if (Number.isNaN(n)) return 'NaN';
    if (n === Infinity) return 'Infinity';
    if (n === -Infinity) return '-Infinity';
    return pyRepr(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => pyJsonDumps(item, options)).join(', ')}]`;
  if (isDict(value)) {
    const keys = Object.keys(value);
    if (options.sortKeys) keys.sort(comparePyStrings);
    return `{${keys.map((k) => `${jsonString(k)}: ${pyJsonDumps(value[k], options)}`).join(', ')}}`;
  }
  throw new PyError('TypeError', `Object of type ${pyTypeName(value)} is not JSON serializable`);
}

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** Python compares str by code point; JS `<` compares UTF-16 units (differs only for astral chars). */
export function comparePyStrings(a: string, b: string): number {
  const ai = [...a];
  const bi = [...b];
  for (let i = 0; i < Math.min(ai.length, bi.length); i++) {
    const d = (ai[i]?.codePointAt(0) ?? 0) - (bi[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return ai.length - bi.length;
}

// ---------------------------------------------------------------------------------------------
// Truth, equality, ordering

export function pyTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'number') return value !== 0; // NaN is true in Python
  if (typeof value === 'bigint') return value !== 0n;
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return isPyInt(a) && isPyInt(b) ? bigValue(a) === bigValue(b) : false;
  if (isPyNumber(a) && isPyNumber(b)) return numberValue(a) === numberValue(b);
  if (a === undefined || b === undefined) return a === b; // Undefined == Undefined
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    // a list never equals a tuple
    if (a instanceof PyTuple !== b instanceof PyTuple) return false;
    return a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b;
}

/** Python's a < b (and friends via the sign), TypeError for unorderable types. */
export function pyCompare(a: unknown, b: unknown, op: string): number {
  if (isPyNumber(a) && isPyNumber(b)) {
    const x = numberValue(a);
    const y = numberValue(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') return comparePyStrings(a, b);
  if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new PyError(
    'TypeError',
    `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

function undefinedOperand(): PyError {
  return new PyError('UndefinedError', 'an undefined value was used in an arithmetic expression');
}

function operandError(op: string, a: unknown, b: unknown): PyError {
  if (a === undefined || b === undefined) return undefinedOperand();
  return new PyError(
    'TypeError',
    `unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

/**
 * Result of a numeric binary operation: float if either operand is a float; for ints the exact
 * result (bigint arithmetic) once it leaves the range where doubles are exact.
 */
function numeric(a: unknown, b: unknown, result: number, exact?: (x: bigint, y: bigint) => bigint): number | bigint | PyFloat {
  if (isPyFloat(a) || isPyFloat(b)) return makeFloat(result);
  const needsExact = typeof a === 'bigint' || typeof b === 'bigint' || !Number.isSafeInteger(result);
  return exact && needsExact && Number.isFinite(result) ? exactInt(exact(bigValue(a), bigValue(b))) : result;
}

function bigFloorDiv(x: bigint, y: bigint): bigint {
  const q = x / y;
  return (x % y !== 0n && (x < 0n) !== (y < 0n)) ? q - 1n : q;
}

function sameSequenceKind(a: unknown[], b: unknown[]): boolean {
  return a instanceof PyTuple === b instanceof PyTuple && !(a instanceof PyRange) && !(b instanceof PyRange);
}

export function pyAdd(a: unknown, b: unknown): unknown {
  if (isPyNumber(a) && isPyNumber(b)) return numeric(a, b, numberValue(a) + numberValue(b), (x, y) => x + y);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b) && sameSequenceKind(a, b)) {
    return a instanceof PyTuple ? PyTuple.fromItems([...a, ...b]) : [...a, ...b];
  }
  throw typeof a === 'string' && b !== undefined && a !== undefined
    ? new PyError('TypeError', `can only concatenate str (not "${pyTypeName(b)}") to str`)
    : operandError('+', a, b);
}

export function pySub(a: unknown, b: unknown): unknown {
  if (isPyNumber(a) && isPyNumber(b)) return numeric(a, b, numberValue(a) - numberValue(b), (x, y) => x - y);
  throw operandError('-', a, b);
}

function repeat(sequence: string | unknown[], times: unknown): unknown {
  const n = Math.max(0, numberValue(times));
  if (typeof sequence === 'string') return sequence.repeat(n);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...sequence);
  return sequence instanceof PyTuple ? PyTuple.fromItems(out) : out;
}

export function pyMul(a: unknown, b: unknown): unknown {
  if (isPyNumber(a) && isPyNumber(b)) return numeric(a, b, numberValue(a) * numberValue(b), (x, y) => x * y);
  if ((typeof a === 'string' || Array.isArray(a)) && isPyInt(b)) return repeat(a, b);
  if ((typeof b === 'string' || Array.isArray(b)) && isPyInt(a)) return repeat(b, a);
  throw operandError('*', a, b);
}

function checkDivisor(b: unknown, what: string): void {
  if (numberValue(b) === 0) throw new PyError('ZeroDivisionError', what);
}

export function pyTrueDiv(a: unknown, b: unknown): unknown {
  if (isPyNumber(a) && isPyNumber(b)) {
    checkDivisor(b, isPyFloat(a) || isPyFloat(b) ? 'float division by zero' : 'division by zero');
    return makeFloat(numberValue(a) / numberValue(b));
  }
  throw operandError('/', a, b);
}

export function pyFloorDiv(a: unknown, b: unknown): unknown {
  if (isPyNumber(a) && isPyNumber(b)) {
    checkDivisor(b, isPyFloat(a) || isPyFloat(b) ? 'float floor division by zero' : 'integer division or modulo by zero');
    return numeric(a, b, Math.floor(numberValue(a) / numberValue(b)), bigFloorDiv);
  }
  throw operandError('//', a, b);
}

export function pyMod(a: unknown, b: unknown): unknown {
  if (typeof a === 'string') return pyPercentFormat(a, b);
  if (isPyNumber(a) && isPyNumber(b)) {
    checkDivisor(b, isPyFloat(a) || isPyFloat(b) ? 'float modulo' : 'integer division or modulo by zero');
    const x = numberValue(a);
    const y = numberValue(b);
    // Python's modulo takes the sign of the divisor
    return numeric(a, b, ((x % y) + y) % y, (p, q) => ((p % q) + q) % q);
  }
  throw operandError('%', a, b);
}

export function pyPow(a: unknown, b: unknown): unknown {
  if (isPyNumber(a) && isPyNumber(b)) {
    const result = Math.pow(numberValue(a), numberValue(b));
    // int ** negative int is a float in Python
    if (isPyFloat(a) || isPyFloat(b) || numberValue(b) < 0) return makeFloat(result);
    return numeric(a, b, result, (x, y) => x ** y);
  }
  throw operandError('** or pow()', a, b);
}

export function pyNeg(a: unknown): unknown {
  if (typeof a === 'bigint') return exactInt(-a);
  if (isPyNumber(a)) return isPyFloat(a) ? makeFloat(-numberValue(a)) : 0 - numberValue(a);
  if (a === undefined) throw undefinedOperand();
  throw new PyError('TypeError', `bad operand type for unary -: '${pyTypeName(a)}'`);
}

export function pyPos(a: unknown): unknown {
  if (isPyNumber(a)) return typeof a === 'boolean' ? numberValue(a) : a;
  if (a === undefined) throw undefinedOperand();
  throw new PyError('TypeError', `bad operand type for unary +: '${pyTypeName(a)}'`);
}

// ---------------------------------------------------------------------------------------------
// "%" string formatting (printf style), the common conversions

export function pyPercentFormat(format: string, args: unknown): string {
  const isMapping = isDict(args);
  const values = args instanceof PyTuple ? [...args] : [args];
  let next = 0;
  const take = (): unknown => {
    if (next >= values.length) throw new PyError('TypeError', 'not enough arguments for format string');
    return values[next++];
  };
  const out = format.replace(
    /%(\(([^)]*)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g,
    (_m, _k, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const value = key !== undefined && isMapping ? (args as PyDict)[key] : take();
      let text: string;
      switch (conv) {
        case 's':
          text = pyStr(value);
          break;
        case 'r':
        case 'a':
          text = pyRepr(value);
          break;
        case 'd':
        case 'i':
        case 'u':
          text = String(Math.trunc(numberValue(value)));
          break;
        case 'f':
        case 'F':
          text = numberValue(value).toFixed(precision === undefined ? 6 : Number(precision));
          break;
        case 'e':
        case 'E':
          text = pyExponent(numberValue(value), precision === undefined ? 6 : Number(precision));
          if (conv === 'E') text = text.toUpperCase();
          break;
        case 'g':
        case 'G':
          text = String(Number(numberValue(value).toPrecision(precision === undefined ? 6 : Number(precision) || 1)));
          break;
        case 'x':
        case 'X':
          text = Math.trunc(numberValue(value)).toString(16);
          if (conv === 'X') text = text.toUpperCase();
          break;
        case 'o':
          text = Math.trunc(numberValue(value)).toString(8);
          break;
        case 'c':
          text = typeof value === 'string' ? value : String.fromCodePoint(numberValue(value));
          break;
        default:
          text = pyStr(value);
      }
      if (flags.includes('+') && /^[0-9]/.test(text) && 'dioufFeEgG'.includes(conv)) text = `+${text}`;
      const w = width === undefined || width === '*' ? 0 : Number(width);
      if (text.length < w) {
        if (flags.includes('-')) text = text.padEnd(w);
        else if (flags.includes('0') && 'dioufFeEgGxX'.includes(conv)) {
          const sign = /^[-+]/.test(text) ? (text[0] as string) : '';
          text = sign + text.slice(sign.length).padStart(w - sign.length, '0');
        } else text = text.padStart(w);
      }
      return text;
    },
  );
  if (!isMapping && next < values.length) {
    throw new PyError('TypeError', 'not all arguments converted during string formatting');
  }
  return out;
}

function pyExponent(n: number, digits: number): string {
  const [mantissa, exponent = '0'] = n.toExponential(digits).split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Python's round() (round half to even) and int()/float() conversions

export function roundHalfEven(n: number, ndigits = 0): number {
  const factor = Math.pow(10, ndigits);
  const scaled = n * factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let rounded: number;
  if (diff > 0.5) rounded = floor + 1;
  else if (diff < 0.5) rounded = floor;
  else rounded = floor % 2 === 0 ? floor : floor + 1;
  return ndigits === 0 ? rounded : rounded / factor;
}

/** int(value) as Python does it for numbers and numeric strings; undefined when it would raise. */
export function toPyInt(value: unknown, base = 10): number | undefined {
  if (isPyNumber(value)) {
    const n = numberValue(value);
    return Number.isFinite(n) ? Math.trunc(n) : undefined;
  }
  if (typeof value === 'string') {
    const text = value.trim().replace(/_/g, '');
    if (base === 10 && /^[-+]?\d+$/.test(text)) return Number(text);
    if (base !== 10) {
      const parsed = parseInt(text, base);
      return Number.isNaN(parsed) ? undefined : parsed;
    }
  }
  return undefined;
}

/** float(value) as Python does it; undefined when it would raise. */
export function toPyFloat(value: unknown): number | undefined {
  if (isPyNumber(value)) return numberValue(value);
  if (typeof value === 'string') {
    const text = value.trim().replace(/_/g, '').toLowerCase();
    if (/^[-+]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^[-+]?nan$/.test(text)) return NaN;
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(text)) return Number(text);
  }
  return undefined;
}
