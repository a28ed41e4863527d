/**
 * Compiles a Jinja2 template with nunjucks' lexer, parser and code generator, changed where
 * nunjucks and Jinja2 differ for task files:
 *  - the parser knows Python tuples ("a", "b") / ("a",) / (), float literals, True/False/None;
 *  - an AST pass routes every operator, test of truth, lookup and printed value through the
 *    Python runtime (env.rg, see runtime.ts), so `{{ 2 * 0.5 }}` prints 1.0 and `[] or 5` is 5;
 *  - printed output carries invisible position markers (see sourcemap.ts) so that a line of the
 *    rendered task can be traced back to the template line that produced it.
 * The source is prepared like Jinja2's lexer does: newlines normalised to \n and one trailing
 * newline dropped (keep_trailing_newline=False).
 */
import { isType, nj, nodeClass, type NjFrame, type NjNode, type NjNodeList, type NjParser } from './nunjucks-internals.js';
import { dataMarker, expressionMarker } from './sourcemap.js';

export { prepareJinjaSource } from './source.js';

// ---------------------------------------------------------------------------------------------
// Parser

const lexer = nj.lexer;
const PYTHON_CONSTANTS: Record<string, boolean | null> = { True: true, False: false, None: null };

const Literal = nodeClass('Literal');
const Group = nodeClass('Group');
const FunCall = nodeClass('FunCall');

/** A call of a Python runtime helper: compiles to env.rg.<fn>(args...). */
const PyCall = FunCall.extend('PyCall', { fields: ['fn', 'args'] });
/** A lazily evaluated operand (right side of and/or): compiles to (() => (expr)). */
const PyThunk = FunCall.extend('PyThunk', { fields: ['expr'] });
/** target[start:stop:step], which nunjucks cannot parse; becomes a PyCall of `slice`. */
const PySlice = FunCall.extend('PySlice', { fields: ['target', 'start', 'stop', 'step'] });
const LookupVal = nodeClass('LookupVal');

class JinjaParser extends nj.parser.Parser {
  override parsePrimary(noPostfix?: boolean): NjNode {
    const tok = this.peekToken();
    if (tok && tok.type === lexer.TOKEN_SYMBOL && Object.hasOwn(PYTHON_CONSTANTS, tok.value)) {
      this.nextToken();
      const constant = new Literal(tok.lineno, tok.colno, PYTHON_CONSTANTS[tok.value]);
      return noPostfix ? constant : (this as unknown as { parsePostfix(n: NjNode): NjNode }).parsePostfix(constant);
    }
    const node = super.parsePrimary(noPostfix);
    if (tok && tok.type === lexer.TOKEN_FLOAT && isType(node, 'Literal')) node.isFloat = true;
    return node;
  }

  /** Calls, subscripts (with Python slices) and attributes after a primary expression. */
  parsePostfix(target: NjNode): NjNode {
    let node = target;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = new FunCall(tok.lineno, tok.colno, node, (this as unknown as { parseSignature(): NjNode }).parseSignature());
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        node = this.parseSubscript(node);
      } else if (tok.type === 'operator' && tok.value === '.') {
        this.nextToken();
        const name = this.nextToken();
        if (!name || name.type !== lexer.TOKEN_SYMBOL) this.fail(`expected a name after '.', got ${name?.value ?? 'the end'}`, name?.lineno, name?.colno);
        node = new LookupVal(tok.lineno, tok.colno, node, new Literal(name.lineno, name.colno, name.value));
      } else break;
    }
    return node;
  }

  /** `[key]` or a slice `[start:stop:step]` with any part left out. */
  private parseSubscript(target: NjNode): NjNode {
    const open = this.nextToken() as NonNullable<ReturnType<NjParser['nextToken']>>;
    const parts: Array<NjNode | null> = [null];
    for (;;) {
      const next = this.peekToken();
      if (!next) this.fail("unexpected end of template, expected ']'", open.lineno, open.colno);
      if (next.type === lexer.TOKEN_RIGHT_BRACKET) {
        this.nextToken();
        break;
      }
      if (next.type === lexer.TOKEN_COLON) {
        this.nextToken();
        if (parts.length === 3) this.fail('a slice has at most start:stop:step', next.lineno, next.colno);
        parts.push(null);
        continue;
      }
      if (parts[parts.length - 1] !== null) this.fail("expected ':' or ']'", next.lineno, next.colno);
      parts[parts.length - 1] = this.parseExpression();
    }
    if (parts.length === 1) {
      if (!parts[0]) this.fail('empty subscript []', open.lineno, open.colno);
      return new LookupVal(open.lineno, open.colno, target, parts[0]);
    }
    return new PySlice(open.lineno, open.colno, target, parts[0], parts[1], parts[2] ?? null);
  }

  /** Jinja2's loop filter `for x in items if cond` would parse as a conditional expression here. */
  parseFor(): NjNode {
    const node = (nj.parser.Parser.prototype as unknown as { parseFor(this: NjParser): NjNode }).parseFor.call(this);
    const iterable = node.arr as NjNode;
    if (isType(iterable, 'InlineIf') && !iterable.else_) {
      this.fail(
        'loop filters ({% for x in items if condition %}) are not supported by rally-gate; put an {% if %} inside the loop',
        iterable.lineno,
        iterable.colno,
      );
    }
    return node;
  }

  /** Parentheses: a tuple when there is a comma or nothing inside, else just grouping. */
  override parseAggregate(): NjNode | null {
    const open = this.nextToken();
    if (!open) return null;
    this.pushToken(open);
    if (open.type !== lexer.TOKEN_LEFT_PAREN) return super.parseAggregate();
    this.nextToken();
    const group = new Group(open.lineno, open.colno) as NjNodeList;
    let sawComma = false;
    for (;;) {
      const next = this.peekToken();
      if (!next) this.fail('unexpected end of template inside parentheses', open.lineno, open.colno);
      if (next.type === lexer.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      }
      if (group.children.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail('expected "," or ")"', next.lineno, next.colno);
        sawComma = true;
        if (this.peekToken()?.type === lexer.TOKEN_RIGHT_PAREN) continue; // trailing comma: ("a",)
      }
      group.children.push(this.parseExpression());
    }
    if (sawComma || group.children.length === 0) group.isTuple = true;
    return group;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '',
};

/** Python's unicode-escape decoding of a string literal's body (Jinja2 string literals). */
export function decodePythonEscapes(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (whole, escape: string) => {
    const kind = escape[0] as string;
    if (kind === 'x' || kind === 'u' || kind === 'U') return String.fromCodePoint(parseInt(escape.slice(1), 16));
    if (/[0-7]/.test(kind)) return String.fromCodePoint(parseInt(escape, 8));
    // unknown escapes keep their backslash, as in Python
    return SIMPLE_ESCAPES[escape] ?? whole;
  });
}

interface NjTokenizer {
  in_code: boolean;
  forward(): void;
  back(): void;
  current(): string;
  isFinished(): boolean;
  nextToken(): { type: string; value: string; lineno: number; colno: number } | null;
  _parseString(delimiter: string): string;
}

/** Reads a string literal raw and decodes it like Python (nunjucks knows only \n, \t, \r). */
function parsePythonString(this: NjTokenizer, delimiter: string): string {
  this.forward();
  let raw = '';
  while (!this.isFinished() && this.current() !== delimiter) {
    raw += this.current();
    if (this.current() === '\\') {
      this.forward();
      if (this.isFinished()) break;
      raw += this.current();
    }
    this.forward();
  }
  this.forward();
  return decodePythonEscapes(raw);
}

/**
 * Jinja2's lexer balances braces, so `{{ {"a": {"b": 1}} }}` is fine; nunjucks ends the
 * expression at the first `}}`. Inside an open `{`, hand back a `}}` as a single `}`.
 */
function balanceBraces(tokenizer: NjTokenizer): void {
  const next = tokenizer.nextToken.bind(tokenizer);
  let depth = 0;
  tokenizer.nextToken = () => {
    const tok = next();
    if (!tok) return tok;
    if (tok.type === lexer.TOKEN_LEFT_CURLY) depth++;
    else if (tok.type === lexer.TOKEN_RIGHT_CURLY) depth = Math.max(0, depth - 1);
    else if (tok.type === 'variable-end' && tok.value === '}}' && depth > 0) {
      tokenizer.back();
      tokenizer.in_code = true;
      depth--;
      return { ...tok, type: lexer.TOKEN_RIGHT_CURLY, value: '}' };
    } else if (tok.type === 'variable-start' || tok.type === 'block-start') depth = 0;
    return tok;
  };
}

/** Parses a prepared template source into a nunjucks AST (throws nunjucks' TemplateError). */
export function parseJinja(source: string): NjNodeList {
  const tokenizer = lexer.lex(source, {}) as NjTokenizer;
  tokenizer._parseString = parsePythonString; // on this instance only
  balanceBraces(tokenizer);
  const parser = new JinjaParser(tokenizer);
  return parser.parseAsRoot();
}

// ---------------------------------------------------------------------------------------------
// AST pass: Python semantics

const BINARY_OPERATORS: Record<string, string> = {
  Add: 'add',
  Sub: 'sub',
  Mul: 'mul',
  Div: 'div',
  FloorDiv: 'floordiv',
  Mod: 'mod',
  Pow: 'pow',
  Concat: 'concat',
};

function call(at: NjNode, fn: string, args: NjNode[]): NjNode {
  const node = new PyCall(at.lineno, at.colno, fn, null);
  node.args = args;
  return node;
}

function literal(at: NjNode, value: unknown): NjNode {
  return new Literal(at.lineno, at.colno, value);
}

/** A readable name of an expression for "'x' is undefined" messages. */
function describe(node: NjNode): string {
  if (isType(node, 'Symbol')) return String(node.value);
  if (isType(node, 'Literal')) return String(node.value);
  if (isType(node, 'LookupVal')) {
    const key = node.val as NjNode;
    const target = describe(node.target as NjNode);
    return isType(key, 'Literal') && typeof key.value === 'string' ? `${target}.${key.value}` : `${target}[...]`;
  }
  return 'expression';
}

function children(node: NjNode): NjNode[] {
  return (node as NjNodeList).children;
}

/** Rewrites an expression so that it evaluates with Python semantics. */
function pyExpression(node: NjNode): NjNode {
  const kind = node.typename;
  if (kind in BINARY_OPERATORS) {
    return call(node, BINARY_OPERATORS[kind] as string, [pyExpression(node.left as NjNode), pyExpression(node.right as NjNode)]);
  }
  switch (kind) {
    case 'Literal':
      return node.isFloat ? call(node, 'float', [node]) : node;
    case 'Symbol':
      return node;
    case 'Neg':
    case 'Pos':
      return call(node, kind === 'Neg' ? 'neg' : 'pos', [pyExpression(node.target as NjNode)]);
    case 'Not':
      return call(node, 'not', [pyExpression(node.target as NjNode)]);
    case 'Or':
    case 'And': {
      const right = new PyThunk(node.lineno, node.colno, pyExpression(node.right as NjNode));
      return call(node, kind === 'Or' ? 'or' : 'and', [pyExpression(node.left as NjNode), right]);
    }
    case 'In':
      return call(node, 'contains', [pyExpression(node.right as NjNode), pyExpression(node.left as NjNode)]);
    case 'Compare': {
      const args = [pyExpression(node.expr as NjNode)];
      for (const op of node.ops as NjNode[]) args.push(literal(op, op.type), pyExpression(op.expr as NjNode));
      return call(node, 'compare', args);
    }
    case 'InlineIf':
      node.cond = truth(node.cond as NjNode);
      node.body = pyExpression(node.body as NjNode);
      if (node.else_) node.else_ = pyExpression(node.else_ as NjNode);
      return node;
    case 'Group': {
      const items = children(node).map(pyExpression);
      if (node.isTuple) return call(node, 'tuple', items);
      return items[0] ?? call(node, 'tuple', []);
    }
    case 'Array':
      (node as NjNodeList).children = children(node).map(pyExpression);
      return node;
    case 'Dict': {
      // Jinja2 evaluates dict keys as expressions: {a: 1} uses the variable a
      const args: NjNode[] = [];
      for (const pair of children(node)) args.push(pyExpression(pair.key as NjNode), pyExpression(pair.value as NjNode));
      return call(node, 'dict', args);
    }
    case 'PySlice': {
      const part = (field: string) => (node[field] ? pyExpression(node[field] as NjNode) : literal(node, null));
      return call(node, 'slice', [pyExpression(node.target as NjNode), part('start'), part('stop'), part('step')]);
    }
    case 'LookupVal':
      // the description names the target, the thing that may be undefined
      return call(node, 'getattr', [pyExpression(node.target as NjNode), pyExpression(node.val as NjNode), literal(node, describe(node.target as NjNode))]);
    case 'FunCall':
      node.name = pyExpression(node.name as NjNode);
      rewriteArguments(node.args as NjNodeList);
      return node;
    case 'Filter':
      rewriteArguments(node.args as NjNodeList);
      return node;
    case 'Is': {
      node.left = pyExpression(node.left as NjNode);
      const test = node.right as NjNode;
      if (isType(test, 'FunCall')) rewriteArguments(test.args as NjNodeList);
      return node;
    }
    case 'Caller':
      rewriteStatement(node);
      return node;
    default:
      return node;
  }
}

function rewriteArguments(args: NjNodeList | null): void {
  if (!args) return;
  args.children = args.children.map((arg) => {
    if (isType(arg, 'KeywordArgs')) {
      for (const pair of children(arg)) pair.value = pyExpression(pair.value as NjNode);
      return arg;
    }
    return pyExpression(arg);
  });
}

function truth(node: NjNode): NjNode {
  return call(node, 'truthy', [pyExpression(node)]);
}

/** Rewrites the expressions inside a statement node (and its nested statements). */
function rewriteStatement(node: NjNode | null | undefined): void {
  if (!node) return;
  switch (node.typename) {
    case 'Root':
    case 'NodeList':
      for (const child of children(node)) rewriteStatement(child);
      return;
    case 'Output':
      // every printed value goes through Python's str()
      (node as NjNodeList).children = children(node).map((child) =>
        isType(child, 'TemplateData') ? child : call(child, 'str', [pyExpression(child)]),
      );
      return;
    case 'If':
    case 'IfAsync':
      node.cond = truth(node.cond as NjNode);
      rewriteStatement(node.body as NjNode);
      rewriteStatement(node.else_ as NjNode);
      return;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll':
      node.arr = call(node.arr as NjNode, 'iter', [pyExpression(node.arr as NjNode)]);
      rewriteStatement(node.body as NjNode);
      rewriteStatement(node.else_ as NjNode);
      return;
    case 'Set':
      if (node.value) node.value = pyExpression(node.value as NjNode);
      rewriteStatement(node.body as NjNode);
      return;
    case 'Capture':
    case 'Block':
      rewriteStatement(node.body as NjNode);
      return;
    case 'Macro':
    case 'Caller':
      for (const arg of children(node.args as NjNode)) {
        if (isType(arg, 'KeywordArgs')) for (const pair of children(arg)) pair.value = pyExpression(pair.value as NjNode);
      }
      rewriteStatement(node.body as NjNode);
      return;
    case 'Include':
    case 'Import':
    case 'FromImport':
    case 'Extends':
      node.template = pyExpression(node.template as NjNode);
      return;
    case 'Switch':
      node.expr = pyExpression(node.expr as NjNode);
      for (const c of node.cases as NjNode[]) {
        c.cond = pyExpression(c.cond as NjNode);
        rewriteStatement(c.body as NjNode);
      }
      rewriteStatement(node.default as NjNode);
      return;
    case 'FilterAsync':
    case 'Filter':
    case 'FunCall':
      pyExpression(node);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Code generation

/** Where the template being compiled comes from, for position markers. */
export interface MarkerSource {
  fileIndex: number;
  /** the prepared source (see prepareJinjaSource) */
  source: string;
}

class JinjaCompiler extends nj.compiler.Compiler {
  private markerSource: MarkerSource | null = null;
  private lineStarts: number[] = [];
  /** > 0 inside captures and macros, whose output is a value, not the task text */
  private unmarkedDepth = 0;

  setMarkerSource(markerSource: MarkerSource | null): void {
    this.markerSource = markerSource;
    if (!markerSource) return;
    this.lineStarts = [0];
    for (let i = 0; i < markerSource.source.length; i++) if (markerSource.source[i] === '\n') this.lineStarts.push(i + 1);
  }

  private offsetOf(node: NjNode): number {
    return (this.lineStarts[node.lineno] ?? 0) + node.colno;
  }

  private marker(node: NjNode, isData: boolean): string {
    const ms = this.markerSource;
    if (!ms || this.unmarkedDepth > 0) return '';
    if (!isData) return expressionMarker(ms.fileIndex, this.offsetOf(node));
    // Data nodes carry the raw token position; whitespace control may have trimmed its start.
    const found = ms.source.indexOf(String(node.value), this.offsetOf(node));
    return dataMarker(ms.fileIndex, found < 0 ? this.offsetOf(node) : found);
  }

  compilePyCall(node: NjNode, frame: NjFrame): void {
    // like nunjucks' own calls, record the position for error messages (0-based)
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, env.rg.${String(node.fn)}(`);
    (node.args as NjNode[]).forEach((arg, i) => {
      if (i > 0) this._emit(', ');
      this.compile(arg, frame);
    });
    this._emit('))');
  }

  compilePyThunk(node: NjNode, frame: NjFrame): void {
    this._emit('(() => (');
    this.compile(node.expr as NjNode, frame);
    this._emit('))');
  }

  compileOutput(node: NjNode, frame: NjFrame): void {
    for (const child of children(node)) {
      const isData = isType(child, 'TemplateData');
      if (isData && !child.value) continue;
      const marker = this.marker(isData ? child : node, isData);
      this._emit(`${this.buffer} += `);
      if (marker) this._emit(`${JSON.stringify(marker)} + `);
      if (isData) this.compileLiteral(child, frame);
      else this.compile(child, frame);
      this._emitLine(';');
    }
  }

  override compileCapture(node: NjNode, frame: NjFrame): void {
    this.unmarkedDepth++;
    try {
      super.compileCapture(node, frame);
    } finally {
      this.unmarkedDepth--;
    }
  }

  override _compileMacro(node: NjNode, frame?: NjFrame): string {
    this.unmarkedDepth++;
    try {
      return super._compileMacro(node, frame);
    } finally {
      this.unmarkedDepth--;
    }
  }
}

/** Compiled template code, ready for new nunjucks.Template({type: 'code', obj}). */
export type CompiledTemplate = Record<string, unknown>;

/**
 * Compiles a parsed template (as returned by parseJinja) to nunjucks template properties.
 * The AST is rewritten in place.
 */
export function compileJinja(ast: NjNodeList, templateName: string, markerSource: MarkerSource | null): CompiledTemplate {
  rewriteStatement(ast);
  const compiler = new JinjaCompiler(templateName, false);
  compiler.setMarkerSource(markerSource);
  compiler.compile(ast);
  // Jinja2 macros return plain str when autoescaping is off; nunjucks wraps them in SafeString.
  const code = compiler.getCode().replace(/new runtime\.SafeString\(/g, '(');
  // This is how nunjucks itself turns generated code into a template (Template._compile).
  const factory = new Function(code) as () => CompiledTemplate;
  return factory();
}
