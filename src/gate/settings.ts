/**
 * The gate's settings: one YAML file in the repository (default rally-jobs/gate.yaml), validated
 * with ajv; every error names file:line:col and the path of the bad value. Rally's task files are
 * left as they are: everything the gate needs beyond them lives here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { InputError, InputErrors, type TaskPath } from '../common/errors.js';
import type { JsonObject, JsonValue } from '../common/json.js';
import { parseYaml, pathKey, YamlError, yamlToJson, type ParsedYaml } from '../task/yaml.js';
import { loadVerificationSettings } from '../verify/settings.js';
import type { VerificationSettings } from '../verify/types.js';

export const DEFAULT_SETTINGS_FILE = 'rally-jobs/gate.yaml';

/** Which workloads (or actions) a rule applies to; every given key must match. */
export interface WorkloadMatch {
  /** subtask title */
  subtask?: string;
  /** scenario name, e.g. KeystoneBasic.create_user */
  scenario?: string;
  /** workload hash (Rally's trends md5), or its first 8+ characters */
  workload?: string;
}

export interface Thresholds {
  /** a median slower by at least this many percent is a practical regression */
  regressionPercent: number;
  /** confidence of intervals; 1 - confidence is the family-wise error rate (Holm) */
  confidence: number;
  /** fewer successful iterations than this on either side: not enough data */
  minSamples: number;
  /** fewer baseline runs than this: not enough data */
  minBaselineRuns: number;
  /** the least between-run noise assumed, in percent of a run's level */
  betweenRunNoisePercent: number;
  /** a failure rate up by more than this many percentage points is a new-failures verdict */
  failureRateIncreasePercent: number;
  /** a change of the median smaller than this many milliseconds is never a practical change */
  minChangeMs: number;
  /** do not judge this workload or action at all */
  ignore: boolean;
}

export interface ThresholdOverride {
  match: WorkloadMatch;
  thresholds: Partial<Thresholds>;
  /** per atomic action name */
  actions: Record<string, Partial<Thresholds>>;
}

export interface Waiver {
  match: WorkloadMatch;
  /** only this atomic action (else the whole workload and its actions) */
  action?: string;
  reason: string;
  /** YYYY-MM-DD; the waiver no longer applies after that day (UTC) */
  expires?: string;
  /** where it is written, for messages */
  line?: number;
}

export interface GateTaskEntry {
  /** path relative to the working directory */
  file: string;
  /** --task-args equivalent (YAML/JSON text) */
  args?: string;
  /** --task-args-file equivalent */
  argsFile?: string;
}

export type StoreSettings =
  | { type: 'directory'; path: string }
  | { type: 'git'; remote: string; branch: string; path: string }
  | { type: 'url'; url: string };

export interface GateSettings {
  file: string;
  tasks: GateTaskEntry[];
  store?: StoreSettings;
  /** how many trusted runs form a baseline */
  baselineRuns: number;
  trusted: { branches: string[]; events: string[] };
  defaults: Thresholds;
  overrides: ThresholdOverride[];
  waivers: Waiver[];
  /** extra facts for the cloud fingerprint */
  fingerprint: Record<string, string>;
  /** how the p-values of one gate run are adjusted for their number */
  correction: 'holm' | 'benjamini-hochberg';
  /** the `verify:` section: verify the cloud with Tempest before the tasks run (docs/verify.md) */
  verification?: VerificationSettings;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  regressionPercent: 15,
  confidence: 0.95,
  minSamples: 10,
  minBaselineRuns: 1,
  betweenRunNoisePercent: 2,
  failureRateIncreasePercent: 0,
  minChangeMs: 1,
  ignore: false,
};

const thresholdProperties = {
  regression: { type: 'number', exclusiveMinimum: 0, description: 'percent' },
  confidence: { type: 'number', exclusiveMinimum: 0.5, exclusiveMaximum: 1 },
  min_samples: { type: 'integer', minimum: 2 },
  min_baseline_runs: { type: 'integer', minimum: 1 },
  between_run_noise: { type: 'number', minimum: 0, maximum: 100 },
  failure_rate_increase: { type: 'number', minimum: 0, maximum: 100 },
  min_change_ms: { type: 'number', minimum: 0 },
  ignore: { type: 'boolean' },
} as const;

const matchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { subtask: { type: 'string' }, scenario: { type: 'string' }, workload: { type: 'string', pattern: '^[0-9a-f]{8,32}$' } },
} as const;

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
    version: { const: 1 },
    tasks: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            additionalProperties: false,
            required: ['file'],
            properties: { file: { type: 'string', minLength: 1 }, args: { type: ['object', 'string'] }, args_file: { type: 'string', minLength: 1 } },
          },
        ],
      },
    },
    baseline: {
      type: 'object',
      additionalProperties: false,
      properties: {
        store: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: {
            directory: { type: 'string', minLength: 1 },
            url: { type: 'string', pattern: '^https?://' },
            git: {
              type: 'object',
              additionalProperties: false,
              required: ['remote'],
              properties: { remote: { type: 'string', minLength: 1 }, branch: { type: 'string', minLength: 1 }, path: { type: 'string' } },
            },
          },
        },
        runs: { type: 'integer', minimum: 1, maximum: 100 },
        trusted_branches: { type: 'array', items: { type: 'string', minLength: 1 } },
        trusted_events: { type: 'array', items: { type: 'string', minLength: 1 } },
        fingerprint: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: { ...thresholdProperties, correction: { enum: ['holm', 'benjamini-hochberg'] } },
    },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['match'],
        properties: {
          match: matchSchema,
          ...thresholdProperties,
          actions: { type: 'object', additionalProperties: { type: 'object', additionalProperties: false, properties: thresholdProperties } },
        },
      },
    },
    // Tempest before the benchmarks; its keys are checked by src/verify/settings.ts on the same file.
    verify: { type: 'object' },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['match', 'reason'],
        properties: {
          match: matchSchema,
          action: { type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 1 },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(SCHEMA);

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function locate(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (starts[low] as number) + 1 };
}

class SettingsSource {
  private readonly starts: number[];
  constructor(
    readonly file: string,
    text: string,
    readonly parsed: ParsedYaml,
  ) {
    this.starts = lineStarts(text);
  }
  /** line/col of a path (or its nearest located ancestor) */
  where(path: TaskPath, key = false): { file: string; line?: number; column?: number } {
    for (let n = path.length; n >= 0; n--) {
      const position = this.parsed.positions.get(pathKey(path.slice(0, n)));
      if (position) {
        const offset = key && n === path.length && position.keyOffset !== undefined ? position.keyOffset : position.valueOffset;
        return { file: this.file, ...locate(this.starts, offset) };
      }
    }
    return { file: this.file };
  }
  error(message: string, path: TaskPath, key = false): InputError {
    return new InputError(message, this.where(path, key), path);
  }
}

function ajvMessage(error: ErrorObject): { message: string; extraKey?: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { message: `unexpected key "${String(params['additionalProperty'])}"`, extraKey: String(params['additionalProperty']) };
    case 'required':
      return { message: `missing required key "${String(params['missingProperty'])}"` };
    case 'const':
      return { message: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'pattern':
      return { message: `does not have the expected form (${String(params['pattern'])})` };
    default:
      return { message: error.message ?? 'is invalid' };
  }
}

function schemaErrors(source: SettingsSource, errors: readonly ErrorObject[]): InputError[] {
  // anyOf reports each branch's complaint; one line per location keeps the message readable.
  const seen = new Set<string>();
  const out: InputError[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf') continue;
    const path: (string | number)[] = error.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const { message, extraKey } = ajvMessage(error);
    const fullPath = extraKey === undefined ? path : [...path, extraKey];
    const id = `${pathKey(fullPath)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(source.error(message, fullPath, extraKey !== undefined));
  }
  return out;
}

function readThresholds(value: JsonObject | undefined): Partial<Thresholds> {
  if (!value) return {};
  const out: Partial<Thresholds> = {};
  if (typeof value['regression'] === 'number') out.regressionPercent = value['regression'];
  if (typeof value['confidence'] === 'number') out.confidence = value['confidence'];
  if (typeof value['min_samples'] === 'number') out.minSamples = value['min_samples'];
  if (typeof value['min_baseline_runs'] === 'number') out.minBaselineRuns = value['min_baseline_runs'];
  if (typeof value['between_run_noise'] === 'number') out.betweenRunNoisePercent = value['between_run_noise'];
  if (typeof value['failure_rate_increase'] === 'number') out.failureRateIncreasePercent = value['failure_rate_increase'];
  if (typeof value['min_change_ms'] === 'number') out.minChangeMs = value['min_change_ms'];
  if (typeof value['ignore'] === 'boolean') out.ignore = value['ignore'];
  return out;
}

function readMatch(value: JsonValue | undefined): WorkloadMatch {
  const m = (value ?? {}) as Record<string, string>;
  return {
    ...(m['subtask'] !== undefined ? { subtask: m['subtask'] } : {}),
    ...(m['scenario'] !== undefined ? { scenario: m['scenario'] } : {}),
    ...(m['workload'] !== undefined ? { workload: m['workload'] } : {}),
  };
}

/** Task files of a directory the gate runs by default: *.yaml/*.yml/*.json except settings and args files. */
export function defaultTaskFiles(directory: string, settingsFile?: string): string[] {
  if (!existsSync(directory)) return [];
  const skip = settingsFile === undefined ? undefined : resolve(settingsFile);
  return readdirSync(directory)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .filter((name) => !/(^|[_.-])args\.(ya?ml|json)$/.test(name) && !/^gate\.ya?ml$/.test(name))
    .map((name) => join(directory, name))
    .filter((file) => resolve(file) !== skip)
    .sort();
}

/** Settings used when the settings file does not exist: every default task, no store. */
export function defaultSettings(file: string): GateSettings {
  return {
    file,
    tasks: defaultTaskFiles(dirname(file), file).map((f) => ({ file: f })),
    baselineRuns: 5,
    trusted: { branches: ['main', 'master'], events: ['push', 'schedule'] },
    defaults: { ...DEFAULT_THRESHOLDS },
    overrides: [],
    waivers: [],
    fingerprint: {},
    correction: 'holm',
  };
}

/**
 * Loads and validates the settings. Relative paths in it (tasks, args files, a directory store)
 * are relative to the working directory, like the task paths Rally's CLI takes.
 */
export function loadSettings(file: string): GateSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read the gate settings: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { file });
  }
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    if (error instanceof YamlError) {
      throw new InputError(error.message, { file, ...locate(lineStarts(text), error.offset) });
    }
    throw error;
  }
  const source = new SettingsSource(file, text, parsed);
  const value = yamlToJson(parsed.value);
  if (!validateSchema(value)) throw new InputErrors(schemaErrors(source, validateSchema.errors ?? []));
  const root = value as JsonObject;
  const baseline = (root['baseline'] ?? {}) as JsonObject;
  const defaults = { ...DEFAULT_THRESHOLDS, ...readThresholds(root['thresholds'] as JsonObject | undefined) };

  const tasks: GateTaskEntry[] = [];
  if (root['tasks'] === undefined) {
    for (const f of defaultTaskFiles(dirname(file), file)) tasks.push({ file: f });
  } else {
    const problems: InputError[] = [];
    for (const [i, item] of (root['tasks'] as JsonValue[]).entries()) {
      const entry: GateTaskEntry =
        typeof item === 'string'
          ? { file: item }
          : {
              file: (item as JsonObject)['file'] as string,
              ...((item as JsonObject)['args'] !== undefined
                ? { args: typeof (item as JsonObject)['args'] === 'string' ? ((item as JsonObject)['args'] as string) : JSON.stringify((item as JsonObject)['args']) }
                : {}),
              ...((item as JsonObject)['args_file'] !== undefined ? { argsFile: (item as JsonObject)['args_file'] as string } : {}),
            };
      if (!existsSync(entry.file)) problems.push(source.error(`task file "${entry.file}" does not exist (paths are relative to ${process.cwd()})`, ['tasks', i]));
      if (entry.argsFile !== undefined && !existsSync(entry.argsFile)) problems.push(source.error(`args file "${entry.argsFile}" does not exist`, ['tasks', i, 'args_file']));
      tasks.push(entry);
    }
    if (problems.length > 0) throw new InputErrors(problems);
  }

  const overrides: ThresholdOverride[] = ((root['overrides'] ?? []) as JsonObject[]).map((o) => ({
    match: readMatch(o['match']),
    thresholds: readThresholds(o),
    actions: Object.fromEntries(Object.entries((o['actions'] ?? {}) as Record<string, JsonObject>).map(([name, t]) => [name, readThresholds(t)])),
  }));
  const waivers: Waiver[] = ((root['waivers'] ?? []) as JsonObject[]).map((w, i) => {
    const line = source.where(['waivers', i]).line;
    return {
      match: readMatch(w['match']),
      reason: w['reason'] as string,
      ...(w['action'] !== undefined ? { action: w['action'] as string } : {}),
      ...(w['expires'] !== undefined ? { expires: w['expires'] as string } : {}),
      ...(line !== undefined ? { line } : {}),
    };
  });
  for (const [i, w] of waivers.entries()) {
    if (w.expires !== undefined && Number.isNaN(Date.parse(`${w.expires}T00:00:00Z`))) {
      throw source.error(`"${w.expires}" is not a date`, ['waivers', i, 'expires']);
    }
  }

  return {
    file,
    tasks,
    ...(baseline['store'] !== undefined ? { store: readStore(baseline['store'] as JsonObject) } : {}),
    baselineRuns: (baseline['runs'] as number | undefined) ?? 5,
    trusted: {
      branches: (baseline['trusted_branches'] as string[] | undefined) ?? ['main', 'master'],
      events: (baseline['trusted_events'] as string[] | undefined) ?? ['push', 'schedule'],
    },
    defaults,
    overrides,
    waivers,
    fingerprint: Object.fromEntries(Object.entries((baseline['fingerprint'] ?? {}) as JsonObject).map(([k, v]) => [k, String(v)])),
    correction: ((root['thresholds'] as JsonObject | undefined)?.['correction'] as GateSettings['correction'] | undefined) ?? 'holm',
    ...(root['verify'] !== undefined ? { verification: loadVerificationSettings(file) } : {}),
  };
}

function readStore(store: JsonObject): StoreSettings {
  if (typeof store['directory'] === 'string') return { type: 'directory', path: store['directory'] };
  if (typeof store['url'] === 'string') return { type: 'url', url: store['url'] };
  const git = store['git'] as JsonObject;
  return { type: 'git', remote: git['remote'] as string, branch: (git['branch'] as string | undefined) ?? 'rally-gate-baselines', path: (git['path'] as string | undefined) ?? '' };
}

/** Does a rule's match select this workload? */
export function matchesWorkload(match: WorkloadMatch, workload: { subtask: string; scenario: string; hash: string }): boolean {
  if (match.subtask !== undefined && match.subtask !== workload.subtask) return false;
  if (match.scenario !== undefined && match.scenario !== workload.scenario) return false;
  if (match.workload !== undefined && !workload.hash.startsWith(match.workload)) return false;
  return true;
}

/** Thresholds of a workload (action undefined) or of one of its atomic actions: defaults, then overrides in file order. */
export function thresholdsFor(settings: GateSettings, workload: { subtask: string; scenario: string; hash: string }, action?: string): Thresholds {
  let result: Thresholds = { ...settings.defaults };
  for (const override of settings.overrides) {
    if (!matchesWorkload(override.match, workload)) continue;
    result = { ...result, ...override.thresholds };
    if (action !== undefined && override.actions[action]) result = { ...result, ...override.actions[action] };
  }
  return result;
}

/** Waivers in force on `today` (YYYY-MM-DD) and those that expired, for the report. */
export function activeWaivers(settings: GateSettings, today: string): { active: Waiver[]; expired: Waiver[] } {
  const active: Waiver[] = [];
  const expired: Waiver[] = [];
  for (const waiver of settings.waivers) (waiver.expires !== undefined && waiver.expires < today ? expired : active).push(waiver);
  return { active, expired };
}

/** The settings file's path as shown in reports (relative to the working directory). */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel.startsWith('..') ? file : rel;
}
