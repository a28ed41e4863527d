/**
 * From a path in the normalised task (or an offset in the rendered text) back to the task file:
 * normalised path -> document path (normalize.ts rules) -> node offset in the rendered text
 * (yaml.ts positions) -> template file, line and column (the render source map).
 */
import type { SourceLocation, TaskPath } from '../common/errors.js';
import { lineColumn, type RenderedSourceMap } from './jinja/sourcemap.js';
import type { PathRule } from './normalize.js';
import { pathKey, type DocumentPath, type YamlNodePosition } from './yaml.js';

export interface ResolvedLocation {
  location: SourceLocation;
  /** set when the rendered text has this at another place, e.g. "line 12 of the rendered task" */
  renderedNote?: string;
}

function startsWith(path: TaskPath, prefix: TaskPath): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => part === path[i]);
}

export class TaskLocator {
  private readonly renderedLineStarts: number[];
  private rules: PathRule[] = [];

  constructor(
    private readonly file: string,
    renderedText: string,
    private readonly map: RenderedSourceMap,
    private positions: Map<string, YamlNodePosition> = new Map(),
  ) {
    this.renderedLineStarts = [0];
    for (let i = 0; i < renderedText.length; i++) if (renderedText.charCodeAt(i) === 10) this.renderedLineStarts.push(i + 1);
  }

  setDocument(positions: Map<string, YamlNodePosition>, rules: PathRule[]): void {
    this.positions = positions;
    // exact rules first, then the longest prefix wins
    this.rules = [...rules].sort((a, b) => Number(Boolean(b.exact)) - Number(Boolean(a.exact)) || b.normalized.length - a.normalized.length);
  }

  /** The document path a normalised path comes from. */
  documentPath(path: TaskPath): DocumentPath {
    for (const rule of this.rules) {
      if (rule.exact ? rule.normalized.length === path.length && startsWith(path, rule.normalized) : startsWith(path, rule.normalized)) {
        return [...rule.document, ...path.slice(rule.normalized.length)];
      }
    }
    return path;
  }

  /** Offset of the node at a document path, or of its nearest ancestor that exists. */
  private offsetOf(documentPath: DocumentPath, preferKey: boolean): number {
    for (let length = documentPath.length; length >= 0; length--) {
      const position = this.positions.get(pathKey(documentPath.slice(0, length)));
      if (!position) continue;
      // point at a scalar itself; at a mapping or list, at its key
      if (preferKey && length === documentPath.length) return position.keyOffset ?? position.valueOffset;
      return position.scalar ? position.valueOffset : (position.keyOffset ?? position.valueOffset);
    }
    return 0;
  }

  /** Where an offset of the rendered text comes from in the template files. */
  locateOffset(offset: number): ResolvedLocation {
    const rendered = lineColumn(this.renderedLineStarts, offset);
    const source = this.map.sourceOf(offset);
    if (!source) return { location: { file: this.file, ...rendered } };
    const location: SourceLocation = { file: source.file, line: source.line, column: source.column };
    const same = source.file === this.file && source.line === rendered.line;
    return same ? { location } : { location, renderedNote: `line ${rendered.line} of the rendered task` };
  }

  /** `key`: locate the mapping key of the node rather than its value. */
  locateDocument(documentPath: DocumentPath, options: { key?: boolean } = {}): ResolvedLocation {
    return this.locateOffset(this.offsetOf(documentPath, options.key === true));
  }

  locate(path: TaskPath, options: { key?: boolean } = {}): ResolvedLocation {
    return this.locateDocument(this.documentPath(path), options);
  }
}

/** Appends the rendered-text note to a message: "… (line 12 of the rendered task)". */
export function withRenderedNote(message: string, resolved: ResolvedLocation): string {
  return resolved.renderedNote ? `${message} (${resolved.renderedNote})` : message;
}
