/**
 * JSON schemas of the task file structure (Rally's TaskConfig schemas, rally/task/task_cfg.py)
 * and the ajv plumbing shared with plugin config validation: lazily compiled validators and
 * ajv errors turned into one-line problems for humans.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonValue } from '../common/json.js';
import type { TaskPath } from '../common/errors.js';
import { describeYamlType } from './yaml.js';

/** A problem found in a document: where (path inside it) and what. */
export interface Problem {
  path: Array<string | number>;
  message: string;
  /** the problem is the key itself (an unexpected property), not its value */
  atKey?: boolean;
}

const V1_HOOK = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    args: {},
    trigger: {
      type: 'object',
      properties: { name: { type: 'string' }, args: {} },
      required: ['name', 'args'],
      additionalProperties: false,
    },
  },
  required: ['name', 'args', 'trigger'],
  additionalProperties: false,
};

/** v1: {ScenarioName: [workload, ...]} */
export const TASK_V1_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        args: { type: 'object' },
        description: { type: 'string' },
        runner: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'] },
        context: { type: 'object' },
        sla: { type: 'object' },
        hooks: { type: 'array', items: V1_HOOK },
      },
      additionalProperties: false,
    },
  },
};

/** `scenario`, `runner`, a hook's `trigger`: one key (the plugin name) mapping to its config. */
const SINGLE_ENTITY = {
  type: 'object',
  description: 'An object with a single property.',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: { type: 'object' },
};

const V2_HOOK = {
  type: 'object',
  properties: {
    action: { type: 'object', minProperties: 1, maxProperties: 1 },
    trigger: SINGLE_ENTITY,
    description: { type: 'string' },
  },
  required: ['action', 'trigger'],
  additionalProperties: false,
};

const TAGS = { type: 'array', items: { type: 'string', maxLength: 255 } };

const WORKLOAD_PROPERTIES = {
  scenario: SINGLE_ENTITY,
  description: { type: 'string' },
  runner: SINGLE_ENTITY,
  sla: { type: 'object' },
  hooks: { type: 'array', items: V2_HOOK },
  contexts: { type: 'object' },
};

/** v2 subtask with one workload inline (no `workloads` key). */
export const SUBTASK_SIMPLE_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 128 },
    group: { type: 'string' },
    tags: TAGS,
    ...WORKLOAD_PROPERTIES,
  },
  required: ['title', 'scenario'],
  additionalProperties: false,
};

/** v2 subtask with a list of workloads. */
export const SUBTASK_COMPLEX_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    group: { type: 'string' },
    description: { type: 'string' },
    tags: TAGS,
    run_in_parallel: { type: 'boolean' },
    workloads: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: WORKLOAD_PROPERTIES,
        required: ['scenario'],
        additionalProperties: false,
      },
    },
  },
  required: ['title', 'workloads'],
  additionalProperties: false,
};

/** v2 top level (Rally checks these keys by hand; the same rules as a schema). */
export const TASK_V2_SCHEMA = {
  type: 'object',
  properties: {
    version: {},
    // Rally: "Title should not be longer then 254 char" but it tests len > 255
    title: { type: 'string', maxLength: 255 },
    // Rally does not check it; rally-gate wants a string, as the result formats have
    description: { type: 'string' },
    tags: TAGS,
    subtasks: { type: 'array' },
  },
  required: ['title', 'version', 'subtasks'],
  additionalProperties: false,
};

// ---------------------------------------------------------------------------------------------
// ajv

let sharedAjv: Ajv | undefined;

function ajv(): Ajv {
  // strict: false because plugin schemas are written for Rally's draft-04 jsonschema
  sharedAjv ??= new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false });
  return sharedAjv;
}

const compiledStructure = new Map<object, ValidateFunction>();

/** Compiles one of the task structure schemas above, once. */
export function structureValidator(schema: object): ValidateFunction {
  let validate = compiledStructure.get(schema);
  if (!validate) {
    validate = ajv().compile(schema);
    compiledStructure.set(schema, validate);
  }
  return validate;
}

/** Rally's plugin schemas are draft-04: boolean exclusiveMinimum/Maximum and a $schema ajv 8 lacks. */
function upgradeDraft4(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(upgradeDraft4);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === 'id') continue;
    out[key] = upgradeDraft4(value);
  }
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[exclusive] === 'boolean') {
      if (out[exclusive] === true && typeof out[bound] === 'number') {
        out[exclusive] = out[bound];
        delete out[bound];
      } else delete out[exclusive];
    }
  }
  return out;
}

const compiledPluginSchemas = new WeakMap<object, ValidateFunction>();

/** Compiles a plugin's config schema once (cached per schema object). */
export function pluginSchemaValidator(schema: Record<string, unknown>): ValidateFunction {
  let validate = compiledPluginSchemas.get(schema);
  if (!validate) {
    validate = ajv().compile(upgradeDraft4(schema) as object);
    compiledPluginSchemas.set(schema, validate);
  }
  return validate;
}

// ---------------------------------------------------------------------------------------------
// Messages

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}

/** Up to `limit` known names closest to `name` (case-insensitive), nearest first. */
export function closestNames(name: string, known: Iterable<string>, limit = 3): string[] {
  const target = name.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(target.length / 3));
  return [...new Set(known)]
    .map((candidate) => ({ candidate, distance: editDistance(target, candidate.toLowerCase()) }))
    .filter(({ distance, candidate }) => distance <= maxDistance || candidate.toLowerCase().includes(target))
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

export function didYouMean(name: string, known: Iterable<string>): string {
  const close = closestNames(name, known);
  if (close.length === 0) return '';
  return ` (did you mean ${close.map((c) => `'${c}'`).join(', ')}?)`;
}

function decodePointer(pointer: string, data: unknown): Array<string | number> {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      path.push(Number(part));
      current = current[Number(part)];
    } else {
      path.push(part);
      current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
    }
  }
  return path;
}

function valueAt(data: unknown, path: Array<string | number>): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What a single-key mapping is expected to hold, by the key that holds it. */
function singleEntityWhat(path: Array<string | number>): string {
  const last = path[path.length - 1];
  if (last === 'scenario') return 'the scenario name, mapping to its args';
  if (last === 'runner') return 'the runner type, mapping to its config';
  if (last === 'trigger') return 'the trigger name, mapping to its config';
  if (last === 'action') return 'the hook action name, mapping to its config';
  return 'the plugin name';
}

function describeBranch(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'anything';
  const s = schema as Record<string, unknown>;
  if (s.type === 'object' && s.properties) return `a mapping with ${Object.keys(s.properties as object).join(', ')}`;
  if (s.type) return typeWords(s.type);
  if (s.enum) return `one of ${(s.enum as unknown[]).map(short).join(', ')}`;
  return 'a value of another form';
}

function problemOf(error: ErrorObject, data: unknown): Problem {
  const path = decodePointer(error.instancePath, data);
  const value = valueAt(data, path);
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, message: `missing required property '${String(params.missingProperty)}'` };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties as object | undefined) ?? {});
      const hint = didYouMean(name, allowed);
      const list = allowed.length > 0 ? `; allowed here: ${allowed.join(', ')}` : '';
      return { path: [...path, name], message: `unexpected property '${name}'${hint}${list}`, atKey: true };
    }
    case 'type':
      return { path, message: `must be ${typeWords(params.type)}, got ${describeYamlType(value)}` };
    case 'minProperties':
    case 'maxProperties': {
      const keys = value && typeof value === 'object' ? Object.keys(value) : [];
      if (parent.minProperties === 1 && parent.maxProperties === 1) {
        const got = keys.length === 0 ? 'none' : `${keys.length}: ${keys.join(', ')}`;
        return { path, message: `must have exactly one key, ${singleEntityWhat(path)} (got ${got})` };
      }
      return { path, message: `must have ${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(params.limit)} keys` };
    }
    case 'maxLength':
      return { path, message: `must be at most ${String(params.limit)} characters long (it has ${String(value).length})` };
    case 'minLength':
      return { path, message: `must be at least ${String(params.limit)} characters long` };
    case 'minItems':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} items` };
    case 'maxItems':
      return { path, message: `must have at most ${String(params.limit)} items` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `must be ${String(params.comparison)} ${String(params.limit)} (got ${short(value)})` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${String(params.multipleOf)} (got ${short(value)})` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map(short).join(', ')} (got ${short(value)})` };
    case 'const':
      return { path, message: `must be ${short(params.allowedValue)} (got ${short(value)})` };
    case 'pattern':
      return { path, message: `must match the pattern ${String(params.pattern)} (got ${short(value)})` };
    case 'uniqueItems':
      return { path, message: `must not repeat items (items ${String(params.j)} and ${String(params.i)} are equal)` };
    case 'anyOf':
    case 'oneOf': {
      if (error.keyword === 'oneOf' && Array.isArray(params.passingSchemas)) {
        return { path, message: 'matches more than one of the allowed forms; make it unambiguous' };
      }
      const branches = (error.schema as unknown[]).map(describeBranch);
      return { path, message: `must be ${[...new Set(branches)].join(', or ')} (got ${short(value)})` };
    }
    case 'not':
      return { path, message: 'this value is not allowed here' };
    case 'dependencies':
    case 'dependentRequired':
      return { path, message: `'${String(params.missingProperty)}' is required when '${String(params.property)}' is given` };
    default:
      return { path, message: error.message ?? `fails the ${error.keyword} rule` };
  }
}

/**
 * ajv errors as problems, one per place: the errors of the branches of a failed anyOf/oneOf
 * are folded into the one "must be A or B" problem.
 */
/** JSON schema type names a value has (an integer is also a number). */
function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/** The one branch of an anyOf/oneOf whose type fits the value, if exactly one does. */
function branchForValue(union: ErrorObject, data: unknown): number | undefined {
  const value = valueAt(data, decodePointer(union.instancePath, data));
  const fits = (union.schema as Array<{ type?: string | string[] }>).flatMap((branch, i) => {
    if (branch.type === undefined) return [];
    const types = Array.isArray(branch.type) ? branch.type : [branch.type];
    return types.some((t) => jsonTypes(value).includes(t)) ? [i] : [];
  });
  return fits.length === 1 ? fits[0] : undefined;
}

/** When several rules fail at one place, the most telling one: "> 0" says more than ">= 0". */
const KEYWORD_PRIORITY: Record<string, number> = { exclusiveMinimum: 1, exclusiveMaximum: 1, minimum: 2, maximum: 2 };

/**
 * ajv errors as problems, one per place. A failed anyOf/oneOf is reported through the branch
 * that fits the value's type when exactly one does ("must be > 0" for a negative number), else
 * as one "must be A, or B" problem.
 */
export function problemsFromAjv(errors: ErrorObject[] | null | undefined, data: JsonValue | unknown, prefix: TaskPath = []): Problem[] {
  if (!errors) return [];
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const chosen = new Map(unions.map((u) => [u, branchForValue(u, data)]));
  const kept = errors.filter((e) => {
    for (const union of unions) {
      if (union === e) {
        const branch = chosen.get(union);
        if (branch !== undefined && errors.some((x) => x.schemaPath.startsWith(`${union.schemaPath}/${branch}/`))) return false;
        continue;
      }
      if (!e.schemaPath.startsWith(`${union.schemaPath}/`)) continue;
      const branch = chosen.get(union);
      if (branch === undefined || !e.schemaPath.startsWith(`${union.schemaPath}/${branch}/`)) return false;
    }
    return true;
  });
  // the most telling rule first at each place, then one problem per place, in document order
  const ranked = [...kept].sort((a, b) => (KEYWORD_PRIORITY[a.keyword] ?? 0) - (KEYWORD_PRIORITY[b.keyword] ?? 0));
  const byPath = new Map<string, { problem: Problem; order: number; missing?: string[] }>();
  for (const error of ranked) {
    const problem = problemOf(error, data);
    problem.path = [...prefix, ...problem.path];
    const key = JSON.stringify(problem.path);
    const existing = byPath.get(key);
    if (existing?.missing && error.keyword === 'required') {
      // several required properties missing in one mapping: one problem naming them all
      existing.missing.push(String((error.params as { missingProperty: string }).missingProperty));
      existing.problem.message = `missing required properties ${existing.missing.map((m) => `'${m}'`).join(', ')}`;
    } else if (!existing) {
      const missing = error.keyword === 'required' ? [String((error.params as { missingProperty: string }).missingProperty)] : undefined;
      byPath.set(key, { problem, order: errors.indexOf(error), ...(missing ? { missing } : {}) });
    }
  }
  return [...byPath.values()].sort((a, b) => a.order - b.order).map((entry) => entry.problem);
}
