/**
 * Task arguments, as `rally task start/validate` builds them (rally/cli/commands/task.py):
 * `--task-args-file` (a YAML/JSON mapping) first, then `--task-args` on top (its keys win).
 * `--task-args` that is not YAML, or is a plain string, is read as `k1=v1,k2=v2` (values stay
 * strings). Anything that does not end up as a mapping is rejected.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../common/errors.js';
import type { JsonObject } from '../common/json.js';
import { isDict, markJsonRepr, PyFloat } from './jinja/py.js';
import { lineColumn } from './jinja/sourcemap.js';
import { describeYamlType, parseYaml, YamlError, yamlToJson, type YamlValue } from './yaml.js';

export interface TaskArgsOptions {
  /** the value of --task-args */
  taskArgs?: string;
  /** the path given to --task-args-file */
  taskArgsFile?: string;
}

export interface TaskArgs {
  /** merged args as JSON (what LoadedTask.args holds) */
  json: JsonObject;
  /** the same args as the template sees them: Python values, mappings printing as JSON like Rally's OrderedDict */
  template: Record<string, unknown>;
}

type YamlMapping = { [key: string]: YamlValue };

function isMapping(value: YamlValue): value is YamlMapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof PyFloat);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function readArgsFile(file: string): YamlMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`cannot read the --task-args-file: ${reason}`, { file });
  }
  let value: YamlValue;
  try {
    value = parseYaml(text).value;
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw new InputError(`--task-args-file has to be YAML or JSON: ${error.message}`, { file, ...lineColumn(lineStarts(text), error.offset) });
  }
  if (!isMapping(value)) {
    throw new InputError(
      `--task-args-file must hold a mapping of argument names to values (e.g. "flavor: m1.tiny"), got ${describeYamlType(value)}`,
      { file, line: 1, column: 1 },
    );
  }
  return value;
}

/** `k1=v1,k2=v2`, exactly as Rally splits it; undefined when some item has no '='. */
function parseKeyValuePairs(raw: string): YamlMapping | undefined {
  const out: YamlMapping = {};
  for (const item of raw.split(',')) {
    const at = item.indexOf('=');
    if (at < 0) return undefined;
    Object.defineProperty(out, item.slice(0, at), { value: item.slice(at + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function parseRawArgs(raw: string): YamlMapping {
  const source = { file: '--task-args' };
  let value: YamlValue | undefined;
  let yamlProblem: string | undefined;
  let problemOffset = 0;
  try {
    value = parseYaml(raw).value;
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    yamlProblem = error.message;
    problemOffset = error.offset;
  }
  if (value === undefined || typeof value === 'string') {
    const pairs = parseKeyValuePairs(raw);
    if (pairs) return pairs;
    const detail = yamlProblem ?? `the string '${raw}' doesn't look like a mapping`;
    throw new InputError(
      `--task-args has to be a YAML or JSON mapping (e.g. '{"times": 10}') or k1=v1,k2=v2: ${detail}`,
      yamlProblem ? { ...source, ...lineColumn(lineStarts(raw), problemOffset) } : source,
    );
  }
  if (!isMapping(value)) {
    throw new InputError(
      `--task-args must be a mapping of argument names to values (e.g. '{"times": 10}'), got ${describeYamlType(value)}`,
      source,
    );
  }
  return value;
}

/** How a YAML value looks to the template: Rally's OrderedDict mappings print as JSON. */
function toTemplateValue(value: YamlValue): unknown {
  if (Array.isArray(value)) return value.map(toTemplateValue);
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: toTemplateValue(v), enumerable: true, writable: true, configurable: true });
    }
    return markJsonRepr(out);
  }
  return value;
}

/** Builds the task args from --task-args-file and --task-args. Throws InputError. */
export function loadTaskArgs(options: TaskArgsOptions = {}): TaskArgs {
  const merged: YamlMapping = {};
  const sources: YamlMapping[] = [];
  if (options.taskArgsFile) sources.push(readArgsFile(options.taskArgsFile));
  if (options.taskArgs) sources.push(parseRawArgs(options.taskArgs));
  for (const source of sources) {
    for (const [k, v] of Object.entries(source)) {
      Object.defineProperty(merged, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  const template = toTemplateValue(merged);
  return {
    json: yamlToJson(merged) as JsonObject,
    template: isDict(template) ? { ...template } : {},
  };
}
