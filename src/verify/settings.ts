/**
 * Verification settings from YAML (rally-jobs/verify.example.yaml): a `verify:` mapping (so it can
 * sit in the gate's settings file) or the same keys at the top level. List files as Rally takes
 * them: skip and xfail lists are YAML/JSON mappings {test_id: reason} (or lists of ids), a load
 * list is one test id per line. Errors name the file, line and key (exit 2).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, type TaskPath } from '../common/errors.js';
import { parseYaml, pathKey, YamlError, yamlToJson, type ParsedYaml } from '../task/yaml.js';
import type { JsonValue } from '../common/json.js';
import type { TestReasons, VerificationSettings } from './types.js';

const KEYS = ['set', 'pattern', 'load_list', 'skip_list', 'xfail_list', 'concurrency', 'tempest', 'overrides', 'resource_prefix', 'create_resources', 'where'] as const;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read the ${what}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { file });
  }
}

/** 1-based line and column of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

class YamlSource {
  readonly parsed: ParsedYaml;
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    try {
      this.parsed = parseYaml(text);
    } catch (err) {
      if (err instanceof YamlError) throw new InputError(err.message, { file, ...lineColumn(text, err.offset) });
      throw err;
    }
  }
  error(message: string, path: TaskPath): InputError {
    for (let n = path.length; n >= 0; n--) {
      const position = this.parsed.positions.get(pathKey(path.slice(0, n)));
      if (position) return new InputError(message, { file: this.file, ...lineColumn(this.text, position.keyOffset ?? position.valueOffset) }, path);
    }
    return new InputError(message, { file: this.file }, path);
  }
}

function isMapping(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** {id: reason} from a mapping (null reason = "") or a list of ids. */
function reasons(source: YamlSource, value: JsonValue, path: TaskPath): TestReasons {
  const out: TestReasons = {};
  if (Array.isArray(value)) {
    value.forEach((id, i) => {
      if (typeof id !== 'string' || id === '') throw source.error('expected a test id (a string)', [...path, i]);
      out[id] = '';
    });
    return out;
  }
  if (!isMapping(value)) throw source.error('expected a mapping {test_id: reason} or a list of test ids', path);
  for (const [id, reason] of Object.entries(value)) {
    if (reason !== null && typeof reason !== 'string') throw source.error('the reason must be a string', [...path, id]);
    out[id] = reason ?? '';
  }
  return out;
}

/** A skip or xfail list file: YAML or JSON, {test_id: reason} or a list of ids. */
export function loadTestReasons(file: string, what: string): TestReasons {
  const source = new YamlSource(file, readText(file, what));
  const value = yamlToJson(source.parsed.value);
  if (value === null) return {};
  return reasons(source, value, []);
}

/** A load list file: one test id per line; blank lines and "#" comments are ignored. */
export function loadTestList(file: string): string[] {
  return readText(file, 'load list')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Reads verification settings; list paths inside are relative to the settings file. */
export function loadVerificationSettings(file: string): VerificationSettings {
  const source = new YamlSource(file, readText(file, 'verification settings'));
  const root = yamlToJson(source.parsed.value);
  if (!isMapping(root)) throw source.error('expected a mapping of verification settings (or a "verify:" mapping)', []);
  const nested = isMapping(root['verify']);
  const base: TaskPath = nested ? ['verify'] : [];
  const data = (nested ? root['verify'] : root) as { [key: string]: JsonValue };
  const here = dirname(file);
  const settings: VerificationSettings = {};
  for (const [key, value] of Object.entries(data)) {
    const path = [...base, key];
    const string = (): string => {
      if (typeof value !== 'string' || value === '') throw source.error('expected a non-empty string', path);
      return value;
    };
    switch (key as (typeof KEYS)[number]) {
      case 'set':
        settings.set = string();
        break;
      case 'pattern':
        settings.pattern = string();
        break;
      case 'tempest':
        settings.tempest = string();
        break;
      case 'resource_prefix':
        settings.resourcePrefix = string();
        break;
      case 'concurrency':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw source.error('expected a whole number >= 0', path);
        settings.concurrency = value;
        break;
      case 'create_resources':
        if (typeof value !== 'boolean') throw source.error('expected true or false', path);
        settings.createResources = value;
        break;
      case 'where':
        if (value !== 'local' && value !== 'controller') throw source.error('expected "local" (this machine) or "controller" (the deployment\'s controller over SSH)', path);
        settings.where = value;
        break;
      case 'load_list':
        if (typeof value === 'string') settings.loadList = loadTestList(resolve(here, value));
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) settings.loadList = value as string[];
        else throw source.error('expected a list of test ids or the path of a load list file', path);
        break;
      case 'skip_list':
      case 'xfail_list': {
        const list = typeof value === 'string' ? loadTestReasons(resolve(here, value), key.replace('_', ' ')) : reasons(source, value, path);
        if (key === 'skip_list') settings.skipList = list;
        else settings.xfailList = list;
        break;
      }
      case 'overrides': {
        if (!isMapping(value)) throw source.error('expected {section: {option: value}}', path);
        const overrides: Record<string, Record<string, string>> = {};
        for (const [section, options] of Object.entries(value)) {
          if (!isMapping(options)) throw source.error('expected {option: value}', [...path, section]);
          overrides[section] = {};
          for (const [option, optionValue] of Object.entries(options)) {
            if (optionValue === null || typeof optionValue === 'object') throw source.error('expected a scalar value', [...path, section, option]);
            overrides[section][option] = typeof optionValue === 'boolean' ? (optionValue ? 'true' : 'false') : String(optionValue);
          }
        }
        settings.overrides = overrides;
        break;
      }
      default:
        throw source.error(`unknown verification setting "${key}" (known: ${KEYS.join(', ')})`, path);
    }
  }
  return settings;
}
