/**
 * What compiled templates call at render time (`env.rg.*`): Jinja2's operators, attribute and
 * item lookup with Python's str/list/dict methods, plus Jinja2's filters, tests and globals
 * (and Rally's min/max/round/ceil) with Python semantics.
 */
import {
  PyError,
  PyFloat,
  PyRange,
  PyTuple,
  isDict,
  isPyFloat,
  isPyInt,
  isPyNumber,
  makeFloat,
  numberValue,
  pyAdd,
  pyCompare,
  pyEquals,
  pyFloorDiv,
  pyJsonDumps,
  pyMod,
  pyMul,
  pyNeg,
  pyPercentFormat,
  pyPos,
  pyPow,
  pyRepr,
  pyStr,
  pySub,
  pyTrueDiv,
  pyTruthy,
  pyTypeName,
  roundHalfEven,
  toPyFloat,
  toPyInt,
  type PyDict,
} from './py.js';

type Fn = (...args: unknown[]) => unknown;

/** nunjucks passes keyword arguments as a trailing object marked __keywords. */
interface CallArgs {
  positional: unknown[];
  keywords: Record<string, unknown>;
}

function splitArgs(args: unknown[]): CallArgs {
  const last = args[args.length - 1];
  if (isDict(last) && (last as { __keywords?: boolean }).__keywords === true) {
    const { __keywords: _marker, ...keywords } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: args, keywords: {} };
}

/** Python-style parameter binding: positional, then keyword, then default. */
function bind(call: CallArgs, names: string[], defaults: Record<string, unknown>, fname: string): Record<string, unknown> {
  const bound: Record<string, unknown> = { ...defaults };
  if (call.positional.length > names.length) {
    throw new PyError('TypeError', `${fname}() takes at most ${names.length} arguments (${call.positional.length} given)`);
  }
  call.positional.forEach((value, i) => {
    bound[names[i] as string] = value;
  });
  for (const [key, value] of Object.entries(call.keywords)) {
    if (!names.includes(key)) throw new PyError('TypeError', `${fname}() got an unexpected keyword argument '${key}'`);
    bound[key] = value;
  }
  return bound;
}

// ---------------------------------------------------------------------------------------------
// Iteration and lookup

/** What `for x in value` iterates over, as an array. */
export function pyIterate(value: unknown): unknown[] {
  if (value === undefined) return []; // iterating Undefined yields nothing in Jinja2
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isDict(value)) return Object.keys(value);
  throw new PyError('TypeError', `'${pyTypeName(value)}' object is not iterable`);
}

function pyLen(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isDict(value)) return Object.keys(value).length;
  if (value === undefined) return 0;
  throw new PyError('TypeError', `object of type '${pyTypeName(value)}' has no len()`);
}

function pyContains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      throw new PyError('TypeError', `'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((element) => pyEquals(element, item));
  if (isDict(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  if (container === undefined) return false;
  throw new PyError('TypeError', `argument of type '${pyTypeName(container)}' is not iterable`);
}

function strMethods(s: string): Record<string, Fn> {
  const stripChars = (chars: unknown): string =>
    chars === undefined || chars === null ? ' \t\n\r\x0b\x0c' : pyStr(chars);
  const lstrip = (chars?: unknown): string => {
    const set = stripChars(chars);
    let i = 0;
    while (i < s.length && set.includes(s[i] as string)) i++;
    return s.slice(i);
  };
  const rstrip = (chars?: unknown): string => {
    const set = stripChars(chars);
    let i = s.length;
    while (i > 0 && set.includes(s[i - 1] as string)) i--;
    return s.slice(0, i);
  };
  const split = (sep?: unknown, maxsplit?: unknown): string[] => {
    const limit = maxsplit === undefined ? -1 : numberValue(maxsplit);
    if (sep === undefined || sep === null) {
      const words = s.trim().split(/\s+/).filter((w) => w !== '');
      if (limit < 0 || words.length <= limit) return words;
      // keep the remainder joined as Python does
      const out: string[] = [];
      let rest = s.replace(/^\s+/, '');
      for (let i = 0; i < limit; i++) {
        const m = /\s+/.exec(rest);
        if (!m) break;
        out.push(rest.slice(0, m.index));
        rest = rest.slice(m.index + m[0].length);
      }
      if (rest !== '') out.push(rest);
      return out;
    }
    const separator = pyStr(sep);
    if (separator === '') throw new PyError('ValueError', 'empty separator');
    const parts = s.split(separator);
    if (limit < 0 || parts.length <= limit + 1) return parts;
    return [...parts.slice(0, limit), parts.slice(limit).join(separator)];
  };
  return {
    upper: () => s.toUpperCase(),
    lower: () => s.toLowerCase(),
    casefold: () => s.toLowerCase(),
    strip: (chars?: unknown) => {
      const left = lstrip(chars);
      const set = stripChars(chars);
      let i = left.length;
      while (i > 0 && set.includes(left[i - 1] as string)) i--;
      return left.slice(0, i);
    },
    lstrip,
    rstrip,
    split,
    splitlines: () => s.split(/\r\n|\r|\n/).filter((line, i, all) => i < all.length - 1 || line !== ''),
    replace: (old: unknown, replacement: unknown, count?: unknown) => {
      const from = pyStr(old);
      const to = pyStr(replacement);
      const max = count === undefined ? Infinity : numberValue(count);
      if (max < 0) return s.split(from).join(to);
      let out = '';
      let rest = s;
      let done = 0;
      while (done < max) {
        const at = rest.indexOf(from);
        if (at < 0) break;
        out += rest.slice(0, at) + to;
        rest = rest.slice(at + from.length);
        done++;
        if (from === '') {
          out += rest.slice(0, 1);
          rest = rest.slice(1);
          if (rest === '') break;
        }
      }
      return out + rest;
    },
    startswith: (prefix: unknown) =>
      prefix instanceof PyTuple ? prefix.some((p) => s.startsWith(pyStr(p))) : s.startsWith(pyStr(prefix)),
    endswith: (suffix: unknown) =>
      suffix instanceof PyTuple ? suffix.some((p) => s.endsWith(pyStr(p))) : s.endsWith(pyStr(suffix)),
    join: (items: unknown) => pyIterate(items).map((item) => checkedStr(item, 'sequence item')).join(s),
    format: (...args: unknown[]) => strFormat(s, splitArgs(args)),
    title: () => titleCase(s),
    capitalize: () => (s === '' ? s : (s[0] as string).toUpperCase() + s.slice(1).toLowerCase()),
    swapcase: () => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
    count: (sub: unknown) => {
      const needle = pyStr(sub);
      return needle === '' ? [...s].length + 1 : s.split(needle).length - 1;
    },
    find: (sub: unknown) => s.indexOf(pyStr(sub)),
    rfind: (sub: unknown) => s.lastIndexOf(pyStr(sub)),
    index: (sub: unknown) => {
      const at = s.indexOf(pyStr(sub));
      if (at < 0) throw new PyError('ValueError', 'substring not found');
      return at;
    },
    isdigit: () => /^\d+$/.test(s),
    isnumeric: () => /^\d+$/.test(s),
    isdecimal: () => /^\d+$/.test(s),
    isalpha: () => /^\p{L}+$/u.test(s),
    isalnum: () => /^[\p{L}\d]+$/u.test(s),
    isspace: () => /^\s+$/.test(s),
    isupper: () => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
    islower: () => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
    zfill: (width: unknown) => {
      const sign = /^[-+]/.test(s) ? (s[0] as string) : '';
      return sign + s.slice(sign.length).padStart(numberValue(width) - sign.length, '0');
    },
    center: (width: unknown, fill?: unknown) => center(s, numberValue(width), fill === undefined ? ' ' : pyStr(fill)),
    ljust: (width: unknown, fill?: unknown) => s.padEnd(numberValue(width), fill === undefined ? ' ' : pyStr(fill)),
    rjust: (width: unknown, fill?: unknown) => s.padStart(numberValue(width), fill === undefined ? ' ' : pyStr(fill)),
    partition: (sep: unknown) => {
      const separator = pyStr(sep);
      const at = s.indexOf(separator);
      return at < 0 ? PyTuple.fromItems([s, '', '']) : PyTuple.fromItems([s.slice(0, at), separator, s.slice(at + separator.length)]);
    },
    rpartition: (sep: unknown) => {
      const separator = pyStr(sep);
      const at = s.lastIndexOf(separator);
      return at < 0 ? PyTuple.fromItems(['', '', s]) : PyTuple.fromItems([s.slice(0, at), separator, s.slice(at + separator.length)]);
    },
  };
}

function checkedStr(item: unknown, what: string): string {
  if (typeof item !== 'string') throw new PyError('TypeError', `${what}: expected str instance, ${pyTypeName(item)} found`);
  return item;
}

function center(s: string, width: number, fill: string): string {
  const total = width - s.length;
  if (total <= 0) return s;
  // CPython puts the extra fill character on the left when the string length is odd
  const left = Math.floor(total / 2) + (total & width & 1);
  return fill.repeat(left) + s + fill.repeat(total - left);
}

function titleCase(s: string): string {
  return s.replace(/[\p{L}\p{N}']+/gu, (word) => (word[0] as string).toUpperCase() + word.slice(1).toLowerCase());
}

/** str.format() with positional/keyword fields and the common format specs. */
function strFormat(template: string, call: CallArgs): string {
  let auto = 0;
  return template.replace(/\{\{|\}\}|\{([^{}:!]*)(![rsa])?(?::([^{}]*))?\}/g, (match, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    let value: unknown;
    const name = field ?? '';
    if (name === '') value = call.positional[auto++];
    else if (/^\d+$/.test(name)) value = call.positional[Number(name)];
    else value = call.keywords[name];
    if (conversion === '!r' || conversion === '!a') value = pyRepr(value);
    return formatWithSpec(value, spec ?? '');
  });
}

function formatWithSpec(value: unknown, spec: string): string {
  const m = /^(?:(.)?([<>^=]))?([-+ ])?(0)?(\d+)?(,)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m || spec === '') return pyStr(value);
  const [, fill = ' ', align, sign, zero, width, , precision, type] = m;
  let text: string;
  const n = isPyNumber(value) ? numberValue(value) : NaN;
  switch (type) {
    case 'f':
    case 'F':
      text = n.toFixed(precision === undefined ? 6 : Number(precision));
      break;
    case '%':
      text = `${(n * 100).toFixed(precision === undefined ? 6 : Number(precision))}%`;
      break;
    case 'd':
      text = String(Math.trunc(n));
      break;
    case 'x':
      text = Math.trunc(n).toString(16);
      break;
    case 'e':
      text = n.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([-+])(\d)$/, 'e$10$2');
      break;
    default:
      text = precision !== undefined && typeof value === 'string' ? value.slice(0, Number(precision)) : pyStr(value);
  }
  if (sign === '+' && isPyNumber(value) && n >= 0) text = `+${text}`;
  const w = width === undefined ? 0 : Number(width);
  if (text.length >= w) return text;
  const padChar = zero && !align ? '0' : fill;
  const effectiveAlign = align ?? (zero ? '=' : isPyNumber(value) ? '>' : '<');
  const pad = w - text.length;
  if (effectiveAlign === '<') return text + padChar.repeat(pad);
  if (effectiveAlign === '^') return padChar.repeat(Math.floor(pad / 2)) + text + padChar.repeat(pad - Math.floor(pad / 2));
  if (effectiveAlign === '=' && /^[-+]/.test(text)) return (text[0] as string) + padChar.repeat(pad) + text.slice(1);
  return padChar.repeat(pad) + text;
}

function listMethods(list: unknown[]): Record<string, Fn> {
  const methods: Record<string, Fn> = {
    count: (item: unknown) => list.filter((element) => pyEquals(element, item)).length,
    index: (item: unknown) => {
      const at = list.findIndex((element) => pyEquals(element, item));
      if (at < 0) throw new PyError('ValueError', `${pyRepr(item)} is not in list`);
      return at;
    },
  };
  if (list instanceof PyTuple || list instanceof PyRange) return methods;
  return {
    ...methods,
    append: (item: unknown) => {
      list.push(item);
      return null;
    },
    extend: (items: unknown) => {
      list.push(...pyIterate(items));
      return null;
    },
    insert: (index: unknown, item: unknown) => {
      list.splice(numberValue(index), 0, item);
      return null;
    },
    pop: (index?: unknown) => {
      if (list.length === 0) throw new PyError('IndexError', 'pop from empty list');
      const at = index === undefined ? list.length - 1 : normaliseIndex(numberValue(index), list.length);
      return list.splice(at, 1)[0];
    },
    remove: (item: unknown) => {
      const at = list.findIndex((element) => pyEquals(element, item));
      if (at < 0) throw new PyError('ValueError', 'list.remove(x): x not in list');
      list.splice(at, 1);
      return null;
    },
    reverse: () => {
      list.reverse();
      return null;
    },
    copy: () => [...list],
  };
}

function dictMethods(dict: PyDict): Record<string, Fn> {
  return {
    items: () => Object.entries(dict).map(([k, v]) => PyTuple.fromItems([k, v])),
    keys: () => Object.keys(dict),
    values: () => Object.values(dict),
    get: (key: unknown, fallback: unknown = null) =>
      typeof key === 'string' && Object.hasOwn(dict, key) ? dict[key] : fallback,
    copy: () => ({ ...dict }),
    update: (...args: unknown[]) => {
      const call = splitArgs(args);
      for (const source of call.positional) if (isDict(source)) Object.assign(dict, source);
      Object.assign(dict, call.keywords);
      return null;
    },
    pop: (key: unknown, ...fallback: unknown[]) => {
      const name = pyStr(key);
      if (Object.hasOwn(dict, name)) {
        const value = dict[name];
        delete dict[name];
        return value;
      }
      if (fallback.length > 0) return fallback[0];
      throw new PyError('KeyError', pyRepr(key));
    },
    setdefault: (key: unknown, fallback: unknown = null) => {
      const name = pyStr(key);
      if (!Object.hasOwn(dict, name)) dict[name] = fallback;
      return dict[name];
    },
  };
}

function normaliseIndex(index: number, length: number): number {
  return index < 0 ? index + length : index;
}

/**
 * `obj.name` / `obj[key]`: Jinja2 tries the item, then the attribute (methods); a miss is
 * Undefined. Looking anything up on Undefined raises, as in Jinja2.
 */
function pyGetattr(target: unknown, key: unknown, description: string): unknown {
  if (target === undefined) throw new PyError('UndefinedError', `'${description}' is undefined`);
  if (target === null) return undefined;
  if (typeof target === 'string') {
    if (isPyInt(key)) return [...target][normaliseIndex(numberValue(key), [...target].length)];
    return typeof key === 'string' ? strMethods(target)[key] : undefined;
  }
  if (Array.isArray(target)) {
    if (isPyInt(key)) return target[normaliseIndex(numberValue(key), target.length)];
    return typeof key === 'string' ? listMethods(target)[key] : undefined;
  }
  if (isDict(target)) {
    const name = typeof key === 'string' ? key : pyStr(key);
    if (Object.hasOwn(target, name)) return target[name];
    return typeof key === 'string' ? dictMethods(target)[key] : undefined;
  }
  return undefined;
}

/** Python's seq[start:stop:step] for lists, tuples and strings. */
function pySlice(target: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (target === undefined) throw new PyError('UndefinedError', 'a slice of an undefined value');
  const isString = typeof target === 'string';
  if (!isString && !Array.isArray(target)) throw new PyError('TypeError', `'${pyTypeName(target)}' object is not subscriptable`);
  const items: unknown[] = isString ? [...target] : (target as unknown[]);
  const length = items.length;
  const by = step === null || step === undefined ? 1 : numberValue(step);
  if (by === 0) throw new PyError('ValueError', 'slice step cannot be zero');
  const clamp = (value: unknown, fallback: number, low: number, high: number): number => {
    if (value === null || value === undefined) return fallback;
    let n = numberValue(value);
    if (n < 0) n += length;
    return Math.min(Math.max(n, low), high);
  };
  const from = by > 0 ? clamp(start, 0, 0, length) : clamp(start, length - 1, -1, length - 1);
  const to = by > 0 ? clamp(stop, length, 0, length) : clamp(stop, -1, -1, length - 1);
  const out: unknown[] = [];
  for (let i = from; by > 0 ? i < to : i > to; i += by) out.push(items[i]);
  if (isString) return out.join('');
  return target instanceof PyTuple ? PyTuple.fromItems(out) : out;
}

// ---------------------------------------------------------------------------------------------
// Globals (Jinja2's and Rally's)

function pyRange(...args: unknown[]): PyRange {
  const ints = args.map((a) => {
    if (!isPyInt(a)) throw new PyError('TypeError', `'${pyTypeName(a)}' object cannot be interpreted as an integer`);
    return numberValue(a);
  });
  const [start, stop, step] =
    ints.length === 1 ? [0, ints[0] as number, 1] : [ints[0] as number, ints[1] as number, ints[2] ?? 1];
  if (ints.length === 0 || ints.length > 3) throw new PyError('TypeError', `range expected at most 3 arguments, got ${ints.length}`);
  if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
  // Jinja2's sandbox-safe range refuses ranges longer than 100000 items
  if (Math.ceil((stop - start) / step) > 100000) {
    throw new PyError('OverflowError', 'Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
  }
  return PyRange.of3(start, stop, step);
}

function exactlyArgs(name: string, args: unknown[], count: number): void {
  if (args.length !== count) {
    throw new PyError('TypeError', `template_${name}() takes ${count} positional argument${count > 1 ? 's' : ''} but ${args.length} were given`);
  }
}

function requireNumber(value: unknown, fname: string): number {
  if (!isPyNumber(value)) throw new PyError('TypeError', `${fname}() argument must be a number, not '${pyTypeName(value)}'`);
  return numberValue(value);
}

export const jinjaGlobals: Record<string, Fn> = {
  range: pyRange,
  dict: (...args: unknown[]) => {
    const call = splitArgs(args);
    const out: PyDict = {};
    for (const source of call.positional) if (isDict(source)) Object.assign(out, source);
    return Object.assign(out, call.keywords);
  },
  // Rally's template functions (rally/api.py create_template_functions): exactly these arities
  min: (...args: unknown[]) => {
    exactlyArgs('min', args, 2);
    return pyCompare(args[1], args[0], '<') < 0 ? args[1] : args[0];
  },
  max: (...args: unknown[]) => {
    exactlyArgs('max', args, 2);
    return pyCompare(args[1], args[0], '>') > 0 ? args[1] : args[0];
  },
  round: (...args: unknown[]) => {
    exactlyArgs('round', args, 1);
    return roundHalfEven(requireNumber(args[0], 'round'));
  },
  ceil: (...args: unknown[]) => {
    exactlyArgs('ceil', args, 1);
    return Math.ceil(requireNumber(args[0], 'ceil'));
  },
};

/** Names Jinja2's Environment.globals has (Rally subtracts them in its missing-argument check). */
export const JINJA_GLOBAL_NAMES = ['range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace', 'min', 'max', 'round', 'ceil'];

// ---------------------------------------------------------------------------------------------
// Filters (Jinja2 3.1 semantics for the ones tasks use)

function caseKey(value: unknown, caseSensitive: boolean): unknown {
  return !caseSensitive && typeof value === 'string' ? value.toLowerCase() : value;
}

function attributeGetter(attribute: unknown): (item: unknown) => unknown {
  if (attribute === undefined || attribute === null) return (item) => item;
  const parts = typeof attribute === 'string' ? attribute.split('.') : [attribute];
  return (item) =>
    parts.reduce<unknown>((value, part) => {
      const key = typeof part === 'string' && /^\d+$/.test(part) ? Number(part) : part;
      return value === undefined ? undefined : pyGetattr(value, key, String(part));
    }, item);
}

/** Python's stable sorted(); reverse keeps equal items in their original order, like Python. */
function sortValues(values: unknown[], reverse: boolean, caseSensitive: boolean, attribute: unknown): unknown[] {
  const get = attributeGetter(attribute);
  const direction = reverse ? -1 : 1;
  return [...values].sort((a, b) => direction * pyCompare(caseKey(get(a), caseSensitive), caseKey(get(b), caseSensitive), '<'));
}

function filter(names: string[], defaults: Record<string, unknown>, body: (bound: Record<string, unknown>) => unknown, fname: string): Fn {
  return (...args: unknown[]) => body(bind(splitArgs(args), names, defaults, fname));
}

function doRound(value: unknown, precision: number, method: string): unknown {
  if (method === 'common') {
    // Python's round(x, n): an int stays an int, a float stays a float
    if (isPyInt(value)) return numberValue(value);
    return makeFloat(roundHalfEven(numberValue(value), precision));
  }
  if (method !== 'ceil' && method !== 'floor') throw new PyError('FilterArgumentError', 'method must be common, ceil or floor');
  const factor = Math.pow(10, precision);
  const fn = method === 'ceil' ? Math.ceil : Math.floor;
  return makeFloat(fn(numberValue(value) * factor) / factor);
}

function htmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

function indent(s: string, width: unknown, first: boolean, blank: boolean): string {
  const prefix = typeof width === 'string' ? width : ' '.repeat(numberValue(width));
  const newline = '\n';
  let text = s + newline; // Jinja2 adds a newline so the last line is handled like the others
  if (blank) text = text.split(newline).map((line) => prefix + line).join(newline);
  else {
    const lines = text.split(newline);
    const head = lines.shift() ?? '';
    text = [head, ...lines.map((line) => (line ? prefix + line : line))].join(newline);
  }
  text = text.slice(0, -newline.length);
  return first ? prefix + text : text;
}

export const jinjaFilters: Record<string, Fn> = {
  default: filter(['value', 'default_value', 'boolean'], { default_value: '', boolean: false }, (a) =>
    a.value === undefined || (pyTruthy(a.boolean) && !pyTruthy(a.value)) ? a.default_value : a.value, 'do_default'),
  int: filter(['value', 'default', 'base'], { default: 0, base: 10 }, (a) => {
    const base = numberValue(a.base);
    if (typeof a.value === 'string') {
      const asInt = toPyInt(a.value, base);
      if (asInt !== undefined) return asInt;
      const asFloat = base === 10 ? toPyFloat(a.value) : undefined;
      return asFloat !== undefined && Number.isFinite(asFloat) ? Math.trunc(asFloat) : a.default;
    }
    return toPyInt(a.value) ?? a.default;
  }, 'do_int'),
  float: filter(['value', 'default'], { default: new PyFloat(0) }, (a) => {
    const parsed = toPyFloat(a.value);
    return parsed === undefined ? a.default : makeFloat(parsed);
  }, 'do_float'),
  round: filter(['value', 'precision', 'method'], { precision: 0, method: 'common' }, (a) =>
    doRound(a.value, numberValue(a.precision), pyStr(a.method)), 'do_round'),
  abs: (value: unknown) => {
    if (!isPyNumber(value)) throw new PyError('TypeError', `bad operand type for abs(): '${pyTypeName(value)}'`);
    return isPyFloat(value) ? makeFloat(Math.abs(numberValue(value))) : Math.abs(numberValue(value));
  },
  string: (value: unknown) => pyStr(value),
  length: (value: unknown) => pyLen(value),
  count: (value: unknown) => pyLen(value),
  list: (value: unknown) => [...pyIterate(value)],
  first: (value: unknown) => pyIterate(value)[0],
  last: (value: unknown) => {
    const items = pyIterate(value);
    return items[items.length - 1];
  },
  lower: (value: unknown) => pyStr(value).toLowerCase(),
  upper: (value: unknown) => pyStr(value).toUpperCase(),
  capitalize: (value: unknown) => {
    const s = pyStr(value);
    return s === '' ? s : (s[0] as string).toUpperCase() + s.slice(1).toLowerCase();
  },
  title: (value: unknown) => titleCase(pyStr(value)),
  trim: filter(['value', 'chars'], { chars: undefined }, (a) => (strMethods(pyStr(a.value)).strip as Fn)(a.chars), 'do_trim'),
  replace: filter(['s', 'old', 'new', 'count'], { count: undefined }, (a) =>
    (strMethods(pyStr(a.s)).replace as Fn)(a.old, a.new, a.count === undefined || a.count === null ? undefined : a.count), 'do_replace'),
  join: filter(['value', 'd', 'attribute'], { d: '', attribute: undefined }, (a) => {
    const get = attributeGetter(a.attribute);
    return pyIterate(a.value).map((item) => pyStr(get(item))).join(pyStr(a.d));
  }, 'do_join'),
  sum: filter(['iterable', 'attribute', 'start'], { attribute: undefined, start: 0 }, (a) => {
    const get = attributeGetter(a.attribute);
    return pyIterate(a.iterable).reduce((total, item) => pyAdd(total, get(item)), a.start);
  }, 'do_sum'),
  min: filter(['value', 'case_sensitive', 'attribute'], { case_sensitive: false, attribute: undefined }, (a) =>
    sortValues(pyIterate(a.value), false, pyTruthy(a.case_sensitive), a.attribute)[0], 'do_min'),
  max: filter(['value', 'case_sensitive', 'attribute'], { case_sensitive: false, attribute: undefined }, (a) =>
    sortValues(pyIterate(a.value), true, pyTruthy(a.case_sensitive), a.attribute)[0], 'do_max'),
  sort: filter(['value', 'reverse', 'case_sensitive', 'attribute'], { reverse: false, case_sensitive: false, attribute: undefined }, (a) =>
    sortValues(pyIterate(a.value), pyTruthy(a.reverse), pyTruthy(a.case_sensitive), a.attribute), 'do_sort'),
  unique: filter(['value', 'case_sensitive', 'attribute'], { case_sensitive: false, attribute: undefined }, (a) => {
    const get = attributeGetter(a.attribute);
    const seen: unknown[] = [];
    const out: unknown[] = [];
    for (const item of pyIterate(a.value)) {
      const key = caseKey(get(item), pyTruthy(a.case_sensitive));
      if (!seen.some((s) => pyEquals(s, key))) {
        seen.push(key);
        out.push(item);
      }
    }
    return out;
  }, 'do_unique'),
  reverse: (value: unknown) => (typeof value === 'string' ? [...value].reverse().join('') : [...pyIterate(value)].reverse()),
  items: (value: unknown) => (value === undefined ? [] : (dictMethods(value as PyDict).items as Fn)()),
  dictsort: filter(['value', 'case_sensitive', 'by', 'reverse'], { case_sensitive: false, by: 'key', reverse: false }, (a) => {
    const pos = a.by === 'value' ? 1 : 0;
    const items = Object.entries(a.value as PyDict).map(([k, v]) => PyTuple.fromItems([k, v]));
    return sortValues(items, pyTruthy(a.reverse), pyTruthy(a.case_sensitive), pos);
  }, 'do_dictsort'),
  tojson: filter(['value', 'indent'], { indent: undefined }, (a) =>
    // Jinja2's htmlsafe_json_dumps: sorted keys, HTML-sensitive characters escaped
    pyJsonDumps(a.value, { sortKeys: true })
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/'/g, '\\u0027'), 'do_tojson'),
  indent: filter(['s', 'width', 'first', 'blank'], { width: 4, first: false, blank: false }, (a) =>
    indent(pyStr(a.s), a.width, pyTruthy(a.first), pyTruthy(a.blank)), 'do_indent'),
  center: filter(['value', 'width'], { width: 80 }, (a) => center(pyStr(a.value), numberValue(a.width), ' '), 'do_center'),
  format: (value: unknown, ...args: unknown[]) => {
    const call = splitArgs(args);
    if (Object.keys(call.keywords).length > 0) return pyPercentFormat(pyStr(value), call.keywords);
    return pyPercentFormat(pyStr(value), PyTuple.fromItems(call.positional));
  },
  escape: (value: unknown) => htmlEscape(pyStr(value)),
  e: (value: unknown) => htmlEscape(pyStr(value)),
  safe: (value: unknown) => value,
  wordcount: (value: unknown) => (pyStr(value).match(/\w+/gu) ?? []).length,
  batch: filter(['value', 'linecount', 'fill_with'], { fill_with: undefined }, (a) => {
    const size = numberValue(a.linecount);
    const out: unknown[][] = [];
    for (const item of pyIterate(a.value)) {
      const last = out[out.length - 1];
      if (last && last.length < size) last.push(item);
      else out.push([item]);
    }
    const last = out[out.length - 1];
    if (last && a.fill_with !== undefined) while (last.length < size) last.push(a.fill_with);
    return out;
  }, 'do_batch'),
  map: (value: unknown, ...args: unknown[]) => {
    const call = splitArgs(args);
    const items = pyIterate(value);
    if (call.keywords.attribute !== undefined) {
      const get = attributeGetter(call.keywords.attribute);
      return items.map((item) => {
        const got = get(item);
        return got === undefined && 'default' in call.keywords ? call.keywords.default : got;
      });
    }
    const [name, ...rest] = call.positional;
    const fn = jinjaFilters[pyStr(name)];
    if (!fn) throw new PyError('TemplateRuntimeError', `No filter named '${pyStr(name)}'.`);
    return items.map((item) => fn(item, ...rest));
  },
  select: (value: unknown, ...args: unknown[]) => selectOrReject(value, args, true, false),
  reject: (value: unknown, ...args: unknown[]) => selectOrReject(value, args, false, false),
  selectattr: (value: unknown, ...args: unknown[]) => selectOrReject(value, args, true, true),
  rejectattr: (value: unknown, ...args: unknown[]) => selectOrReject(value, args, false, true),
  attr: (value: unknown, name: unknown) => pyGetattr(value, name, pyStr(name)),
};
jinjaFilters.d = jinjaFilters.default as Fn;

function selectOrReject(value: unknown, args: unknown[], keep: boolean, byAttribute: boolean): unknown[] {
  const call = splitArgs(args);
  const [attribute, testName, ...testArgs] = byAttribute ? call.positional : [undefined, ...call.positional];
  const get = attributeGetter(attribute);
  const test = testName === undefined ? pyTruthy : (item: unknown) => {
    const fn = jinjaTests[pyStr(testName)];
    if (!fn) throw new PyError('TemplateRuntimeError', `No test named '${pyStr(testName)}'.`);
    return fn(item, ...testArgs) === true;
  };
  return pyIterate(value).filter((item) => test(get(item)) === keep);
}

// ---------------------------------------------------------------------------------------------
// Tests (`x is defined`, ...)

const compareTest = (op: string) => (a: unknown, b: unknown) => pyBinaryCompare(op, a, b);

export const jinjaTests: Record<string, (...args: unknown[]) => boolean> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  null: (v) => v === null, // what nunjucks compiles `is none` to
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => isPyFloat(v),
  number: (v) => isPyNumber(v),
  string: (v) => typeof v === 'string',
  mapping: (v) => isDict(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  callable: (v) => typeof v === 'function',
  odd: (v) => numberValue(v) % 2 !== 0,
  even: (v) => numberValue(v) % 2 === 0,
  divisibleby: (v, n) => numberValue(v) % numberValue(n) === 0,
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  sameas: (a, b) => a === b,
  in: (a, b) => pyContains(b, a),
  eq: compareTest('=='),
  equalto: compareTest('=='),
  ne: compareTest('!='),
  lt: compareTest('<'),
  lessthan: compareTest('<'),
  le: compareTest('<='),
  gt: compareTest('>'),
  greaterthan: compareTest('>'),
  ge: compareTest('>='),
  escaped: () => false,
};

function pyBinaryCompare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return pyEquals(a, b);
    case '!=':
    case '!==':
      return !pyEquals(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    default:
      throw new PyError('TemplateSyntaxError', `unknown comparison operator ${op}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The object compiled templates call as env.rg

export interface PyRuntime {
  str(value: unknown): string;
  truthy(value: unknown): boolean;
  not(value: unknown): boolean;
  or(left: unknown, right: () => unknown): unknown;
  and(left: unknown, right: () => unknown): unknown;
  add(a: unknown, b: unknown): unknown;
  sub(a: unknown, b: unknown): unknown;
  mul(a: unknown, b: unknown): unknown;
  div(a: unknown, b: unknown): unknown;
  floordiv(a: unknown, b: unknown): unknown;
  mod(a: unknown, b: unknown): unknown;
  pow(a: unknown, b: unknown): unknown;
  neg(a: unknown): unknown;
  pos(a: unknown): unknown;
  concat(a: unknown, b: unknown): string;
  compare(first: unknown, ...opsAndOperands: unknown[]): boolean;
  contains(container: unknown, item: unknown): boolean;
  iter(value: unknown): unknown[];
  tuple(...items: unknown[]): PyTuple;
  dict(...keysAndValues: unknown[]): PyDict;
  float(value: number): number | PyFloat;
  getattr(target: unknown, key: unknown, description: string): unknown;
  slice(target: unknown, start: unknown, stop: unknown, step: unknown): unknown;
}

export const pyRuntime: PyRuntime = {
  str: pyStr,
  truthy: pyTruthy,
  not: (value) => !pyTruthy(value),
  or: (left, right) => (pyTruthy(left) ? left : right()),
  and: (left, right) => (pyTruthy(left) ? right() : left),
  add: pyAdd,
  sub: pySub,
  mul: pyMul,
  div: pyTrueDiv,
  floordiv: pyFloorDiv,
  mod: pyMod,
  pow: pyPow,
  neg: pyNeg,
  pos: pyPos,
  concat: (a, b) => pyStr(a) + pyStr(b),
  compare: (first, ...rest) => {
    // Python chains comparisons: a < b < c means a < b and b < c
    let left = first;
    for (let i = 0; i < rest.length; i += 2) {
      const right = rest[i + 1];
      if (!pyBinaryCompare(rest[i] as string, left, right)) return false;
      left = right;
    }
    return true;
  },
  contains: pyContains,
  iter: pyIterate,
  tuple: (...items) => PyTuple.fromItems(items),
  dict: (...keysAndValues) => {
    const out: PyDict = {};
    for (let i = 0; i < keysAndValues.length; i += 2) {
      const key = keysAndValues[i];
      Object.defineProperty(out, typeof key === 'string' ? key : pyStr(key), {
        value: keysAndValues[i + 1],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  },
  float: (value) => makeFloat(value),
  getattr: pyGetattr,
  slice: pySlice,
};

