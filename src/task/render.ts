/**
 * Renders a task template the way Rally does (rally/api.py _TaskAPI.render_template): Jinja2
 * with a file loader rooted at the task's directory, globals min/max/round/ceil, undefined
 * values rendering empty, and Rally's missing-argument check before rendering.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, type SourceLocation } from '../common/errors.js';
import { compileJinja, parseJinja, prepareJinjaSource, type CompiledTemplate } from './jinja/compile.js';
import { isNode, isType, nj, type NjNode, type NjNodeList, type NjTemplateError } from './jinja/nunjucks-internals.js';
import { PyError } from './jinja/py.js';
import { JINJA_GLOBAL_NAMES, jinjaFilters, jinjaGlobals, jinjaTests, pyRuntime } from './jinja/runtime.js';
import { RenderedSourceMap, stripMarkers, type TemplateFile } from './jinja/sourcemap.js';
import { findUndeclaredVariables } from './jinja/undeclared.js';
import { didYouMean } from './schema.js';

/** dir(builtins) of Python 3.11: Rally never asks for these as task arguments. */
const PYTHON_BUILTINS = new Set(
  `ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError
  BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError
  ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup
  False FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError
  ImportWarning IndentationError IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError
  MemoryError ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError
  OverflowError PendingDeprecationWarning PermissionError ProcessLookupError RecursionError ReferenceError
  ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError
  SystemExit TabError TimeoutError True TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError
  UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__
  __doc__ __import__ __loader__ __name__ __package__ __spec__ abs aiter all anext any ascii bin bool breakpoint
  bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir divmod enumerate eval
  exec exit filter float format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass
  iter len license list locals map max memoryview min next object oct open ord pow print property quit range repr
  reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip`.split(/\s+/),
);

export interface RenderOptions {
  /** the task file path as the user gave it (used in messages and for the template directory) */
  file: string;
  /** task args as the template sees them (see args.ts) */
  args: Record<string, unknown>;
}

export interface RenderedTask {
  text: string;
  /** maps offsets of `text` back to template files, lines and columns */
  map: RenderedSourceMap;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rally's is_really_missing(): names that have a default in the template are not required. */
function isReallyMissing(name: string, template: string): boolean {
  const n = escapeRegExp(name);
  // "{% set x = x or ... %}" (Rally joins the name into r"{%\s*set\s+", r"\s*=\s*", r"[^\w]+")
  if (new RegExp(`\\{%\\s*set\\s+${n}\\s*=\\s*${n}[^\\p{L}\\p{N}_]+`, 'u').test(template)) return false;
  if (new RegExp(`${n}\\s*\\|\\s*default\\(`, 'u').test(template)) return false;
  return true;
}

/** The first place a variable is used, for pointing at it. */
function firstUse(root: NjNode, name: string): { line: number; column: number } | undefined {
  const uses = allNodes(root).filter((node) => isType(node, 'Symbol') && node.value === name);
  uses.sort((a, b) => a.lineno - b.lineno || a.colno - b.colno);
  const first = uses[0];
  return first ? { line: first.lineno + 1, column: first.colno + 1 } : undefined;
}

const BLOCK_TAG = /\{%-?\s*(\w+)([^%]*?)-?%\}|\{#[\s\S]*?#\}/g;
const OPENING_TAGS = new Set(['for', 'if', 'macro', 'call', 'filter', 'block', 'raw', 'set', 'with', 'autoescape', 'switch']);

/** For "unexpected end of file": the block that is never closed. */
function unclosedBlock(source: string): { tag: string; line: number; column: number } | undefined {
  const stack: Array<{ tag: string; offset: number }> = [];
  for (const match of source.matchAll(BLOCK_TAG)) {
    const tag = match[1];
    if (!tag) continue; // comment
    if (tag === 'set' && (match[2] ?? '').includes('=')) continue; // {% set x = 1 %} has no end tag
    if (stack[stack.length - 1]?.tag === 'raw' && tag !== 'endraw') continue;
    if (OPENING_TAGS.has(tag)) stack.push({ tag, offset: match.index as number });
    else if (tag.startsWith('end') && stack[stack.length - 1]?.tag === tag.slice(3)) stack.pop();
  }
  const open = stack[stack.length - 1];
  if (!open) return undefined;
  const before = source.slice(0, open.offset);
  const line = before.split('\n').length;
  return { tag: open.tag, line, column: open.offset - before.lastIndexOf('\n') };
}

function syntaxError(error: NjTemplateError, file: string, source: string): InputError {
  const message = error.message.replace(/^\([^)]*\)( \[Line \d+(, Column \d+)?\])?\s*/, '').trim();
  if (/unexpected end of file|expected block end/.test(message) || error.lineno === undefined) {
    const open = unclosedBlock(source);
    if (open) {
      return new InputError(
        `template syntax error: the {% ${open.tag} %} block is never closed (expected {% end${open.tag} %})`,
        { file, line: open.line, column: open.column },
      );
    }
  }
  const where = error.lineno === undefined ? { file } : { file, line: error.lineno, column: error.colno };
  return new InputError(`template syntax error: ${message}`, where);
}

/** Finds our own errors inside nunjucks' wrappers. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    if (current instanceof InputError || current instanceof PyError) return current;
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (!cause) return current;
    current = cause;
  }
  return current;
}

/** Parses a template and reports Jinja syntax errors as InputError. */
function parseTemplate(source: string, file: string): NjNodeList {
  try {
    return parseJinja(source);
  } catch (error) {
    if (error instanceof Error && 'lineno' in error) throw syntaxError(error as NjTemplateError, file, source);
    if (error instanceof Error) throw new InputError(`template syntax error: ${error.message}`, { file });
    throw error;
  }
}

/**
 * nunjucks loader for {% include %}, like Jinja2's FileSystemLoader(template_dir): names are
 * relative to the task file's directory (not to the including template), '..' is refused.
 */
class TaskDirectoryLoader extends nj.Loader {
  cache: Record<string, unknown> = {};
  /** where each literal template name is first included, for errors about it */
  private readonly includeSites = new Map<string, SourceLocation>();

  constructor(
    private readonly directory: string,
    private readonly files: TemplateFile[],
  ) {
    super();
  }

  /** Parses and checks a template, remembering the places it includes other templates. */
  prepare(source: string, file: string): NjNodeList {
    const ast = parseTemplate(source, file);
    for (const node of allNodes(ast)) {
      const target = node.template as NjNode | undefined;
      if (isType(node, 'Include') && isType(target, 'Literal') && !this.includeSites.has(String(target?.value))) {
        this.includeSites.set(String(target?.value), { file, line: node.lineno + 1, column: node.colno + 1 });
      }
    }
    return ast;
  }

  /** nunjucks resolves './x' and '../x' against the including template; Jinja2 does not. */
  isRelative(): boolean {
    return false;
  }

  getSource(name: string): { src: { type: 'code'; obj: CompiledTemplate }; path: string; noCache: boolean } {
    const parts = name.split('/').filter((part) => part !== '' && part !== '.');
    const display = join(this.directory, ...parts);
    const site = this.includeSites.get(name) ?? { file: display };
    if (parts.includes('..')) {
      throw new InputError(`{% include "${name}" %}: '..' is not allowed in template names (Jinja2's FileSystemLoader refuses it)`, site);
    }
    const path = resolve(this.directory, ...parts);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new InputError(`{% include "${name}" %}: template file not found: ${display}`, site);
    }
    const source = prepareJinjaSource(readFileSync(path, 'utf8'));
    const fileIndex = this.files.push({ file: display, source }) - 1;
    const ast = this.prepare(source, display);
    checkFiltersAndTests(ast, display);
    const compiled = compileJinja(ast, display, { fileIndex, source });
    return { src: { type: 'code', obj: compiled }, path: display, noCache: true };
  }
}

/** Every node of a template AST. */
function allNodes(root: NjNode): NjNode[] {
  const out: NjNode[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isNode(node)) continue;
    out.push(node);
    for (const field of [...(node.fields ?? []), 'children', 'body']) {
      const value = node[field];
      if (Array.isArray(value)) stack.push(...value);
      else if (isNode(value)) stack.push(value);
    }
  }
  return out;
}

/** Jinja2's filters and tests (3.1); a few filters are not provided by rally-gate. */
const JINJA_FILTERS = new Set(
  `abs attr batch capitalize center count d default dictsort e escape filesizeformat first float forceescape format
  groupby indent int items join last length list lower map max min pprint random reject rejectattr replace reverse
  round safe select selectattr slice sort string striptags sum title tojson trim truncate unique upper urlencode
  urlize wordcount wordwrap xmlattr`.split(/\s+/),
);
const UNSUPPORTED_FILTERS = new Set(['filesizeformat', 'forceescape', 'pprint', 'wordwrap', 'xmlattr']);

/** Like Jinja2, refuse unknown filters and tests when compiling, not halfway through rendering. */
function checkFiltersAndTests(ast: NjNode, file: string): void {
  for (const node of allNodes(ast)) {
    if (isType(node, 'Filter')) {
      const name = String((node.name as NjNode).value);
      const where = { file, line: node.lineno + 1, column: node.colno + 1 };
      if (!JINJA_FILTERS.has(name)) throw new InputError(`template error: no filter named '${name}'${didYouMean(name, JINJA_FILTERS)}`, where);
      if (UNSUPPORTED_FILTERS.has(name)) throw new InputError(`template error: the Jinja2 filter '${name}' is not supported by rally-gate`, where);
    } else if (isType(node, 'Is')) {
      const test = node.right as NjNode;
      const raw = isType(test, 'FunCall') ? (test.name as NjNode).value : test.value;
      const name = raw === null ? 'none' : String(raw); // `is none` arrives as the literal None
      if (!Object.hasOwn(jinjaTests, name)) {
        throw new InputError(`template error: no test named '${name}'${didYouMean(name, Object.keys(jinjaTests))}`, { file, line: node.lineno + 1, column: node.colno + 1 });
      }
    }
  }
}

function createEnvironment(loader: TaskDirectoryLoader): InstanceType<typeof nj.Environment> {
  // dev: keep the original error as the cause instead of a copy of its message
  const env = new nj.Environment(loader as never, { autoescape: false, throwOnUndefined: false, dev: true }) as InstanceType<typeof nj.Environment> & {
    addTest(name: string, fn: (...args: unknown[]) => boolean): void;
  };
  (env as unknown as { rg: typeof pyRuntime }).rg = pyRuntime;
  for (const [name, fn] of Object.entries(jinjaGlobals)) env.addGlobal(name, fn);
  for (const [name, fn] of Object.entries(jinjaFilters)) env.addFilter(name, fn);
  for (const [name, fn] of Object.entries(jinjaTests)) env.addTest(name, fn as (...args: unknown[]) => boolean);
  return env;
}

/** The position of a runtime error: nunjucks records the 0-based line of the last call it made. */
function renderErrorLocation(error: NjTemplateError, file: string): { file: string; line?: number; column?: number } {
  const match = /^\(([^)]*)\) \[Line (\d+)(?:, Column (\d+))?\]/.exec(error.message);
  if (!match) return { file };
  const where = match[1] && match[1] !== 'unknown path' ? match[1] : file;
  return { file: where, line: Number(match[2]) + 1, ...(match[3] ? { column: Number(match[3]) + 1 } : {}) };
}

/**
 * Renders the task template text (the content of `options.file`). Throws InputError for
 * template syntax errors, missing task arguments and errors raised while rendering.
 */
export function renderTaskTemplate(templateText: string, options: RenderOptions): RenderedTask {
  const { file, args } = options;
  const source = prepareJinjaSource(templateText);
  const files: TemplateFile[] = [{ file, source }];
  const loader = new TaskDirectoryLoader(dirname(file), files);
  const ast = loader.prepare(source, file);

  const missing = [...findUndeclaredVariables(ast)]
    .filter((name) => !Object.hasOwn(args, name) && !PYTHON_BUILTINS.has(name) && !JINJA_GLOBAL_NAMES.includes(name))
    .filter((name) => isReallyMissing(name, templateText))
    .sort();
  if (missing.length > 0) {
    const uses = missing.flatMap((name) => firstUse(ast, name) ?? []);
    const first = uses.sort((a, b) => a.line - b.line || a.column - b.column)[0];
    const message =
      missing.length > 1
        ? `Please specify next template task arguments: ${missing.join(', ')}`
        : `Please specify template task argument: ${missing[0]}`;
    throw new InputError(`${message} (give them with --task-args or --task-args-file)`, { file, ...first });
  }

  checkFiltersAndTests(ast, file); // Jinja2 finds these when compiling, after Rally's argument check
  const env = createEnvironment(loader);
  let marked: string;
  try {
    const compiled = compileJinja(ast, file, { fileIndex: 0, source });
    const template = new nj.Template({ type: 'code', obj: compiled } as never, env, file);
    marked = template.render({ ...args });
  } catch (error) {
    const cause = rootCause(error);
    if (cause instanceof InputError) throw cause;
    const where = renderErrorLocation(error as NjTemplateError, file);
    if (cause instanceof PyError) throw new InputError(`rendering the template failed: ${cause.pyType}: ${cause.message}`, where);
    const text = cause instanceof Error ? cause.message : String(cause);
    throw new InputError(`rendering the template failed: ${text.replace(/^\([^)]*\)( \[Line [^\]]*\])?\s*/, '').trim()}`, where);
  }
  const { text, map } = stripMarkers(marked, files);
  return { text, map };
}
