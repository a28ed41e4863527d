/**
 * Reading a YAML or JSON credentials file (clouds.yaml, secure.yaml, a Rally spec) with positions,
 * so that a wrong or missing key is reported as `file:line:col`. PyYAML's safe_load reads these
 * files in OpenStack's tools: YAML 1.1 (yes/no are booleans), duplicate keys allowed (last wins).
 * JSON is read by the same parser (JSON is YAML).
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { InputError } from '../common/errors.js';
import type { SourceLocation } from '../common/errors.js';

export type KeyPath = ReadonlyArray<string | number>;

export interface ConfigDocument {
  file: string;
  /** the parsed data (plain JS values) */
  data: unknown;
  /** position of the key at `path`, or of its nearest ancestor that exists */
  locate(path: KeyPath): SourceLocation;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
    throw new InputError(`cannot read credentials file: ${why}`, { file });
  }
}

/** Parses `text` (the content of `file`); syntax errors become InputError at their position. */
export function parseConfigText(file: string, text: string): ConfigDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const message = first.message.split('\n')[0] ?? first.message;
    throw new InputError(`not valid YAML/JSON: ${message.replace(/ at line \d+, column \d+:?$/, '')}`, {
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
  }
  const locate = (path: KeyPath): SourceLocation => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (doc.contents as Node | null)?.range?.[0];
    for (const segment of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair) {
          offset = (pair.key as Node).range?.[0] ?? offset;
          next = pair.value;
        }
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
        offset = (next as Node | undefined)?.range?.[0] ?? offset;
      }
      if (next === undefined) break;
      node = next;
    }
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return { file, data: doc.toJS({ maxAliasCount: 1000 }) as unknown, locate };
}

export function readConfigFile(file: string): ConfigDocument {
  return parseConfigText(file, readText(file));
}

/** An InputError at `path` in the document, e.g. "clouds.dev.auth: auth_url is missing". */
export function configError(doc: ConfigDocument, path: KeyPath, message: string, hints: string[] = []): InputError {
  return new InputError(message, doc.locate(path), path, hints);
}
