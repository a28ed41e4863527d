/**
 * A typed view of the parts of nunjucks 3.2.4 that the Jinja2 emulation builds on: its lexer,
 * parser, AST node classes and compiler. @types/nunjucks only covers the public render API.
 */
import nunjucks from 'nunjucks';

export interface NjNode {
  readonly typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  [field: string]: unknown;
}

export interface NjNodeList extends NjNode {
  children: NjNode[];
}

export interface NjNodeClass {
  new (lineno: number, colno: number, ...fields: unknown[]): NjNode;
  extend(name: string, props: { fields: string[] }): NjNodeClass;
}

export interface NjToken {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

export interface NjParser {
  tokens: unknown;
  extensions: unknown[];
  peekToken(): NjToken | null;
  nextToken(withWhitespace?: boolean): NjToken | null;
  pushToken(tok: NjToken | null): void;
  skip(type: string): boolean;
  fail(message: string, lineno?: number, colno?: number): never;
  parseExpression(): NjNode;
  parsePrimary(noPostfix?: boolean): NjNode;
  parseAggregate(): NjNode | null;
  parseAsRoot(): NjNodeList;
}

export interface NjParserClass {
  new (tokens: unknown): NjParser;
  prototype: NjParser;
}

export interface NjFrame {
  parent: NjFrame | null;
}

export interface NjCompiler {
  buffer: string;
  codebuf: string[];
  compile(node: NjNode, frame?: NjFrame): void;
  getCode(): string;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _compileMacro(node: NjNode, frame?: NjFrame): string;
  compileCapture(node: NjNode, frame: NjFrame): void;
  compileLiteral(node: NjNode, frame: NjFrame): void;
  fail(message: string, lineno?: number, colno?: number): never;
}

export interface NjCompilerClass {
  new (templateName: string, throwOnUndefined: boolean): NjCompiler;
  prototype: NjCompiler;
}

/** nunjucks' TemplateError: lineno/colno are 1-based when set by the parser. */
export interface NjTemplateError extends Error {
  lineno?: number;
  colno?: number;
  cause?: unknown;
}

interface NunjucksInternals {
  lexer: {
    lex(src: string, opts?: object): unknown;
    TOKEN_FLOAT: string;
    TOKEN_SYMBOL: string;
    TOKEN_LEFT_PAREN: string;
    TOKEN_RIGHT_PAREN: string;
    TOKEN_LEFT_BRACKET: string;
    TOKEN_RIGHT_BRACKET: string;
    TOKEN_LEFT_CURLY: string;
    TOKEN_RIGHT_CURLY: string;
    TOKEN_COMMA: string;
    TOKEN_COLON: string;
  };
  parser: { Parser: NjParserClass };
  compiler: { Compiler: NjCompilerClass };
  nodes: Record<string, NjNodeClass>;
  Environment: typeof nunjucks.Environment;
  Template: typeof nunjucks.Template;
  Loader: new () => object;
}

export const nj = nunjucks as unknown as NunjucksInternals;

export function nodeClass(name: string): NjNodeClass {
  const cls = nj.nodes[name];
  if (!cls) throw new Error(`nunjucks has no node type ${name}`);
  return cls;
}

export function isNode(value: unknown): value is NjNode {
  return typeof value === 'object' && value !== null && 'typename' in value;
}

/** Is this a node of that type? (Not a type guard: callers usually hold an NjNode already.) */
export function isType(value: unknown, typename: string): boolean {
  return isNode(value) && value.typename === typename;
}
