/**
 * Task loading, exactly as Rally 3.3.0 loads task files (anchors.md §1.1):
 * task args -> Jinja2 rendering -> YAML -> TaskConfig normalisation to v2 -> plugin validation.
 */
import { readFile } from 'node:fs/promises';
import { InputError, InputErrors } from '../common/errors.js';
import { loadTaskArgs, type TaskArgsOptions } from './args.js';
import { TaskLocator, withRenderedNote } from './locate.js';
import { normalizeTask, TaskStructureError, type NormalizedTask } from './normalize.js';
import { hasJinjaSyntax, prepareJinjaSource } from './jinja/source.js';
import { dataMarker, stripMarkers } from './jinja/sourcemap.js';
import type { RenderedTask } from './render.js';
import type { LoadedTask } from './types.js';
import { parseYaml, YamlError, type ParsedYaml } from './yaml.js';

export { validateTask, type TaskValidation, type UnimplementedPlugin } from './validate.js';
export type { TaskArgsOptions } from './args.js';

async function readTaskFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InputError(`cannot read the task file: ${reason}`, { file });
  }
}

/**
 * Renders the task template. A file without any Jinja2 syntax renders as itself (newlines
 * normalised, one trailing newline dropped, as Jinja2 does), without loading the template engine.
 */
async function render(file: string, templateText: string, args: Record<string, unknown>): Promise<RenderedTask> {
  if (!hasJinjaSyntax(templateText)) {
    const source = prepareJinjaSource(templateText);
    return stripMarkers(dataMarker(0, 0) + source, [{ file, source }]);
  }
  const { renderTaskTemplate } = await import('./render.js');
  return renderTaskTemplate(templateText, { file, args });
}

/**
 * Loads, renders, parses and normalises a task file.
 * Throws InputError (or InputErrors with several findings) for bad args, templates, YAML or
 * task structure; plugin configs are checked separately by validateTask().
 */
export async function loadTask(file: string, options: TaskArgsOptions = {}): Promise<LoadedTask> {
  const args = loadTaskArgs(options);
  const templateText = await readTaskFile(file);
  const rendered = await render(file, templateText, args.template);
  const locator = new TaskLocator(file, rendered.text, rendered.map);

  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(rendered.text);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    const at = locator.locateOffset(error.offset);
    throw new InputError(withRenderedNote(error.message, at), at.location);
  }

  let normalized: NormalizedTask;
  try {
    normalized = normalizeTask(parsed.value);
  } catch (error) {
    if (!(error instanceof TaskStructureError)) throw error;
    locator.setDocument(parsed.positions, []);
    const errors = error.problems.map((problem) => {
      const at = locator.locateDocument(problem.path, { key: problem.atKey === true });
      return new InputError(withRenderedNote(problem.message, at), at.location, problem.path);
    });
    throw errors.length === 1 ? (errors[0] as InputError) : new InputErrors(errors);
  }

  locator.setDocument(parsed.positions, normalized.rules);
  return {
    file,
    config: normalized.config,
    args: args.json,
    renderedText: rendered.text,
    locate: (path, options) => locator.locate(path, options).location,
    renderedNote: (path) => locator.locate(path).renderedNote,
  };
}

/** The normalised task as pretty JSON (`rally-gate task validate --print-normalized`). */
export function formatNormalized(task: LoadedTask): string {
  return JSON.stringify(task.config, null, 2);
}
