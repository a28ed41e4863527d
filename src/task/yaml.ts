/**
 * Reads YAML (and JSON) exactly as Rally does: PyYAML's SafeLoader (YAML 1.1 scalars) with
 * Rally's mapping constructor that rejects duplicate keys (rally/cli/yamlutils.py).
 *
 * The `yaml` package parses the structure with its failsafe schema (every scalar a string);
 * plain scalars are then resolved here with PyYAML's implicit resolvers, so that e.g. `yes` is
 * true, `1e3` stays a string (a PyYAML float needs a dot), `0777` is octal and `1:30` is 90.
 * Positions of every node are kept so that any path in the document maps to a line and column.
 *
 * Known differences from PyYAML: timestamps (2001-12-14) stay strings (PyYAML builds a date that
 * Rally could not store as JSON anyway); !!binary and !!set are rejected for the same reason.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node as YamlNode, type Pair, type Scalar } from 'yaml';
import { PyFloat, formatPyFloat, makeFloat } from './jinja/py.js';
import type { JsonValue } from '../common/json.js';

/** A parsed value: JSON plus PyFloat for floats with an integral value (1.0), which JSON numbers lose. */
export type YamlValue = null | boolean | number | string | PyFloat | YamlValue[] | { [key: string]: YamlValue };

export interface YamlNodePosition {
  /** offset of the mapping key, for values inside a mapping */
  keyOffset?: number;
  /** offset of the value itself */
  valueOffset: number;
  /** the value is a scalar (errors about it point at the value, not at its key) */
  scalar: boolean;
}

export interface ParsedYaml {
  value: YamlValue;
  /** position of each node by path (see pathKey) */
  positions: Map<string, YamlNodePosition>;
}

/** A YAML error at an offset of the parsed text. */
export class YamlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'YamlError';
  }
}

export type DocumentPath = ReadonlyArray<string | number>;

export function pathKey(path: DocumentPath): string {
  return JSON.stringify(path);
}

// ---------------------------------------------------------------------------------------------
// PyYAML's implicit resolvers (yaml/resolver.py) and constructors (yaml/constructor.py)

const BOOL_PATTERN = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_PATTERN =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_PATTERN =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL_PATTERN = /^(?:~|null|Null|NULL|)$/;
const MERGE_PATTERN = /^<<$/;
const VALUE_PATTERN = /^=$/;

const TAG_PREFIX = 'tag:yaml.org,2002:';

function sexagesimal(text: string): number {
  let value = 0;
  for (const part of text.split(':')) value = value * 60 + Number(part);
  return value;
}

/** construct_yaml_int; undefined when Python's int() would raise. */
function constructInt(text: string): number | undefined {
  let value = text.replace(/_/g, '');
  let sign = 1;
  if (value.startsWith('-')) sign = -1;
  if (value.startsWith('-') || value.startsWith('+')) value = value.slice(1);
  let result: number;
  if (value === '0') return 0;
  if (value.startsWith('0b')) result = parseInt(value.slice(2), 2);
  else if (value.startsWith('0x')) result = parseInt(value.slice(2), 16);
  else if (value.startsWith('0') && /^[0-7]+$/.test(value)) result = parseInt(value, 8);
  else if (value.includes(':')) result = sexagesimal(value);
  else if (/^\d+$/.test(value)) result = Number(value);
  else return undefined;
  return Number.isNaN(result) ? undefined : sign * result;
}

/** construct_yaml_float; undefined when Python's float() would raise. */
function constructFloat(text: string): number | PyFloat | undefined {
  let value = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (value.startsWith('-')) sign = -1;
  if (value.startsWith('-') || value.startsWith('+')) value = value.slice(1);
  if (value === '.inf') return sign * Infinity;
  if (value === '.nan') return NaN;
  let result: number;
  if (value.includes(':')) result = sexagesimal(value);
  else if (/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(value)) result = Number(value);
  else return undefined;
  return makeFloat(sign * result);
}

/** How PyYAML resolves a plain (unquoted, untagged) scalar. */
function resolvePlain(text: string, offset: number): YamlValue {
  if (NULL_PATTERN.test(text)) return null;
  if (BOOL_PATTERN.test(text)) return ['yes', 'true', 'on'].includes(text.toLowerCase());
  if (INT_PATTERN.test(text)) return constructInt(text) ?? text;
  if (FLOAT_PATTERN.test(text)) return constructFloat(text) ?? text;
  if (MERGE_PATTERN.test(text)) {
    // Rally's loader has no merge support: PyYAML fails to construct the merge tag
    throw new YamlError("YAML merge keys ('<<') are not supported by Rally's task loader; write the keys out", offset);
  }
  if (VALUE_PATTERN.test(text)) {
    throw new YamlError("a bare '=' is not a valid value for Rally's YAML loader; quote it: '='", offset);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Building values from the document

/** Python's equality of mapping keys: 1, 1.0 and true are the same key (NaN equals nothing). */
function keyIdentity(key: YamlValue): string | null {
  if (key === null) return 'none';
  if (typeof key === 'boolean') return `n:${key ? 1 : 0}`;
  if (typeof key === 'number' || key instanceof PyFloat) {
    const n = Number(key);
    return Number.isNaN(n) ? null : `n:${n === 0 ? 0 : n}`;
  }
  return `s:${String(key)}`;
}

/** The JSON key json.dumps() would write for a Python mapping key. */
function jsonKey(key: YamlValue): string {
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key instanceof PyFloat) return formatPyFloat(key.value);
  if (typeof key === 'number') return Number.isInteger(key) ? String(key) : formatPyFloat(key);
  return String(key);
}

function describeKey(key: YamlValue): string {
  return typeof key === 'string' ? key : jsonKey(key);
}

/** Sets an own property even for keys like "__proto__". */
function setOwn(target: Record<string, YamlValue>, key: string, value: YamlValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const MAX_NODES = 1_000_000; // guards against alias bombs

class ValueBuilder {
  readonly positions = new Map<string, YamlNodePosition>();
  private readonly inProgress = new Set<YamlNode>();
  private nodeCount = 0;

  constructor(private readonly doc: Document) {}

  build(node: YamlNode | null, path: DocumentPath, keyOffset: number | undefined, fallbackOffset: number): YamlValue {
    if (++this.nodeCount > MAX_NODES) throw new YamlError('the document expands to too many nodes (alias loop?)', fallbackOffset);
    const valueOffset = node?.range?.[0] ?? fallbackOffset;
    if (node === null) {
      this.positions.set(pathKey(path), { keyOffset, valueOffset, scalar: true });
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new YamlError(`unknown alias *${node.source}`, valueOffset);
      if (this.inProgress.has(target as YamlNode)) {
        throw new YamlError(`the alias *${node.source} refers to a node that contains it (recursive data is not JSON)`, valueOffset);
      }
      const value = this.build(target as YamlNode, path, keyOffset, valueOffset);
      const position = this.positions.get(pathKey(path));
      if (position) position.valueOffset = valueOffset;
      return value;
    }
    this.positions.set(pathKey(path), { keyOffset, valueOffset, scalar: isScalar(node) });
    if (isScalar(node)) return this.scalar(node, valueOffset);
    this.inProgress.add(node);
    try {
      if (isMap(node)) return this.mapping(node.items as Pair[], node.tag, path, valueOffset);
      if (isSeq(node)) return this.sequence(node.items as Array<YamlNode | null>, node.tag, path, valueOffset);
    } finally {
      this.inProgress.delete(node);
    }
    throw new YamlError('unsupported YAML node', valueOffset);
  }

  private scalar(node: Scalar, offset: number): YamlValue {
    const text = String(node.value ?? '');
    const tag = node.tag;
    if (!tag) return node.type === 'PLAIN' || node.type === undefined ? resolvePlain(text, offset) : text;
    if (tag === '!') return resolvePlain(text, offset); // PyYAML resolves `! 12` like a plain 12
    switch (tag) {
      case `${TAG_PREFIX}str`:
        return text;
      case `${TAG_PREFIX}null`:
        return null;
      case `${TAG_PREFIX}bool`: {
        const lower = text.toLowerCase();
        if (['yes', 'true', 'on'].includes(lower)) return true;
        if (['no', 'false', 'off'].includes(lower)) return false;
        throw new YamlError(`'${text}' is not a YAML boolean (use true/false)`, offset);
      }
      case `${TAG_PREFIX}int`: {
        const value = constructInt(text);
        if (value === undefined) throw new YamlError(`'${text}' is not an integer`, offset);
        return value;
      }
      case `${TAG_PREFIX}float`: {
        const value = constructFloat(text) ?? constructInt(text);
        if (value === undefined) throw new YamlError(`'${text}' is not a number`, offset);
        return typeof value === 'number' && Number.isInteger(value) ? makeFloat(value) : value;
      }
      case `${TAG_PREFIX}timestamp`:
        return text;
      default:
        throw unsupportedTag(tag, offset);
    }
  }

  private mapping(pairs: Pair[], tag: string | undefined, path: DocumentPath, offset: number): YamlValue {
    if (tag && tag !== `${TAG_PREFIX}map`) {
      if (tag === `${TAG_PREFIX}set`) throw new YamlError('!!set is not supported: a set cannot be stored as JSON', offset);
      throw tag.startsWith(TAG_PREFIX) && ['str', 'int', 'float', 'bool', 'null'].includes(tag.slice(TAG_PREFIX.length))
        ? new YamlError(`expected a scalar node for ${tagName(tag)}, but found a mapping`, offset)
        : unsupportedTag(tag, offset);
    }
    const result: Record<string, YamlValue> = {};
    const seen = new Map<string, string>();
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const keyOffset = keyNode?.range?.[0] ?? offset;
      const keyValue = this.key(keyNode, keyOffset);
      const identity = keyIdentity(keyValue);
      if (identity !== null && seen.has(identity)) {
        // Rally's loader: "the key (x) is redefined"
        const written = keyNode && isScalar(keyNode) ? String(keyNode.value) : describeKey(keyValue);
        throw new YamlError(`duplicate key '${written}': the key is defined twice in the same mapping`, keyOffset);
      }
      const key = jsonKey(keyValue);
      if (identity !== null) seen.set(identity, key);
      const valueNode = pair.value as YamlNode | null;
      setOwn(result, key, this.build(valueNode, [...path, key], keyOffset, keyNode?.range?.[1] ?? keyOffset));
    }
    return result;
  }

  private key(node: YamlNode | null, offset: number): YamlValue {
    const target = node && isAlias(node) ? (node.resolve(this.doc) as YamlNode | undefined) ?? null : node;
    if (target === null) return null;
    if (!isScalar(target)) throw new YamlError('a mapping key must be a plain value, not a list or mapping (Python cannot hash it)', offset);
    return this.scalar(target, offset);
  }

  private sequence(items: Array<YamlNode | null>, tag: string | undefined, path: DocumentPath, offset: number): YamlValue {
    const pairsTag = tag === `${TAG_PREFIX}omap` || tag === `${TAG_PREFIX}pairs`;
    if (tag && tag !== `${TAG_PREFIX}seq` && !pairsTag) {
      throw tag.startsWith(TAG_PREFIX) && ['str', 'int', 'float', 'bool', 'null'].includes(tag.slice(TAG_PREFIX.length))
        ? new YamlError(`expected a scalar node for ${tagName(tag)}, but found a sequence`, offset)
        : unsupportedTag(tag, offset);
    }
    const result = items.map((item, i) => this.build(item, [...path, i], undefined, offset));
    if (!pairsTag) return result;
    // !!omap / !!pairs: PyYAML builds a list of (key, value) tuples
    return result.map((entry, i) => {
      const entries = entry !== null && typeof entry === 'object' && !Array.isArray(entry) && !(entry instanceof PyFloat) ? Object.entries(entry) : [];
      if (entries.length !== 1) throw new YamlError(`${tagName(tag as string)} expects a list of single-key mappings`, items[i]?.range?.[0] ?? offset);
      const [k, v] = entries[0] as [string, YamlValue];
      return [k, v];
    });
  }
}

function tagName(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? `!!${tag.slice(TAG_PREFIX.length)}` : tag;
}

function unsupportedTag(tag: string, offset: number): YamlError {
  return new YamlError(`could not determine a constructor for the tag '${tagName(tag)}' (Rally's safe loader knows only standard YAML tags)`, offset);
}

// ---------------------------------------------------------------------------------------------

const FRIENDLY_MESSAGES: Record<string, string> = {
  TAB_AS_INDENT: 'a tab character is used for indentation; YAML allows only spaces there',
  MULTIPLE_DOCS: "more than one YAML document ('---'); a task file holds exactly one",
  BLOCK_AS_IMPLICIT_KEY: "a ': ' inside an unquoted value starts a nested mapping; quote the value or put the mapping on its own lines",
  MULTILINE_IMPLICIT_KEY: 'a mapping key must be on a single line (check the indentation of this line and the one before)',
};

/**
 * PyYAML's scanner accepts a tab only inside quoted strings, comments and block scalar text;
 * anywhere else (even inside a plain value) it "cannot start any token". The `yaml` package is
 * more lenient, so find the first such tab here.
 */
function firstForbiddenTab(text: string, doc: Document): number | undefined {
  if (!text.includes('\t')) return undefined;
  const quoted: Array<[number, number]> = [];
  const blocks: Array<[number, number]> = [];
  visit(doc, {
    Scalar(_key, node) {
      if (!node.range) return;
      if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') quoted.push([node.range[0], node.range[1]]);
      else if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') blocks.push([node.range[0], node.range[1]]);
    },
  });
  const inside = (ranges: Array<[number, number]>, offset: number): boolean => ranges.some(([a, b]) => offset >= a && offset < b);
  for (let offset = text.indexOf('\t'); offset >= 0; offset = text.indexOf('\t', offset + 1)) {
    if (inside(quoted, offset)) continue;
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset);
    // block scalar text: fine after the (space) indentation of its line
    if (inside(blocks, offset) && before.startsWith(' ')) continue;
    // a comment: '#' at the line start or after whitespace, outside quoted strings
    let inComment = false;
    for (let i = before.indexOf('#'); i >= 0; i = before.indexOf('#', i + 1)) {
      const at = lineStart + i;
      if ((i === 0 || /[ \t]/.test(before[i - 1] as string)) && !inside(quoted, at) && !inside(blocks, at)) {
        inComment = true;
        break;
      }
    }
    if (!inComment) return offset;
  }
  return undefined;
}

/** Parses YAML or JSON text as Rally's loader does. Throws YamlError. */
export function parseYaml(text: string): ParsedYaml {
  const doc = parseDocument(text, { version: '1.1', schema: 'failsafe', uniqueKeys: false, strict: true, prettyErrors: false });
  const error = doc.errors[0];
  const tab = firstForbiddenTab(text, doc);
  if (tab !== undefined && (!error || tab <= error.pos[0])) {
    throw new YamlError("a tab character is not allowed here: YAML (as Rally's PyYAML reads it) takes tabs only inside quoted strings and comments; use spaces", tab);
  }
  if (error) {
    const detail = error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
    const friendly = FRIENDLY_MESSAGES[error.code];
    throw new YamlError(friendly ?? `invalid YAML: ${detail}`, error.pos[0]);
  }
  const builder = new ValueBuilder(doc);
  const value = builder.build(doc.contents as YamlNode | null, [], undefined, 0);
  return { value, positions: builder.positions };
}

/** The JSON form of a parsed value (floats keep their value, not their float-ness). */
export function yamlToJson(value: YamlValue): JsonValue {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(yamlToJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: yamlToJson(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Type of a value in the words a task author uses. */
export function describeYamlType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number' || value instanceof PyFloat) return 'a number';
  if (typeof value === 'string') return 'a string';
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}
