/**
 * jinja2.meta.find_undeclared_variables() for a nunjucks AST: the names a template reads from
 * its context, following Jinja2's frame and symbol rules (jinja2/idtracking.py + the code
 * generator's frames), including its quirks: a name read before it is set is undeclared
 * (`{% set x = x or 1 %}`), and a name set in only some branches of an if is undeclared
 * after it (an if without elif counts its missing elif as a branch that sets nothing).
 */
import { isNode, isType, type NjNode, type NjNodeList } from './nunjucks-internals.js';

type LoadKind = 'param' | 'resolve' | 'alias' | 'undefined';

class Symbols {
  readonly level: number;
  refs = new Map<string, string>();
  loads = new Map<string, { kind: LoadKind; name: string }>();
  stores = new Set<string>();

  constructor(readonly parent: Symbols | null) {
    this.level = parent ? parent.level + 1 : 0;
  }

  private defineRef(name: string, kind?: LoadKind, loadName = name): string {
    const ident = `l_${this.level}_${name}`;
    this.refs.set(name, ident);
    if (kind) this.loads.set(ident, { kind, name: loadName });
    return ident;
  }

  findRef(name: string): string | undefined {
    return this.refs.get(name) ?? this.parent?.findRef(name);
  }

  copy(): Symbols {
    const copy = new Symbols(this.parent);
    copy.refs = new Map(this.refs);
    copy.loads = new Map(this.loads);
    copy.stores = new Set(this.stores);
    return copy;
  }

  store(name: string): void {
    this.stores.add(name);
    if (this.refs.has(name)) return;
    const outer = this.parent?.findRef(name);
    if (outer !== undefined) this.defineRef(name, 'alias', outer);
    else this.defineRef(name, 'undefined');
  }

  declareParameter(name: string): void {
    this.stores.add(name);
    this.defineRef(name, 'param');
  }

  load(name: string): void {
    if (this.findRef(name) === undefined) this.defineRef(name, 'resolve');
  }

  branchUpdate(branches: Symbols[]): void {
    const storeCounts = new Map<string, number>();
    for (const branch of branches) {
      for (const target of branch.stores) {
        if (this.stores.has(target)) continue;
        storeCounts.set(target, (storeCounts.get(target) ?? 0) + 1);
      }
    }
    for (const branch of branches) {
      for (const [k, v] of branch.refs) this.refs.set(k, v);
      for (const [k, v] of branch.loads) this.loads.set(k, v);
      for (const s of branch.stores) this.stores.add(s);
    }
    for (const [name, count] of storeCounts) {
      if (count === branches.length) continue;
      const target = this.findRef(name) as string;
      const outer = this.parent?.findRef(name);
      this.loads.set(target, outer !== undefined ? { kind: 'alias', name: outer } : { kind: 'resolve', name });
    }
  }
}

function nodeChildren(node: NjNode | null | undefined): NjNode[] {
  if (!node) return [];
  return (node as NjNodeList).children ?? [];
}

/** Jinja2's If: body, the elif chain, else. nunjucks nests an elif as `else_: If`. */
function ifParts(node: NjNode): { body: NjNode[]; elifs: NjNode[]; else_: NjNode[] } {
  const elifs: NjNode[] = [];
  let rest = node.else_ as NjNode | null;
  while (rest && isType(rest, 'If')) {
    elifs.push(rest);
    rest = rest.else_ as NjNode | null;
  }
  return { body: nodeChildren(node.body as NjNode), elifs, else_: nodeChildren(rest) };
}

/** Macro (and call block) parameters: positional names and keyword names with defaults. */
function macroParameters(node: NjNode): { names: string[]; defaults: NjNode[] } {
  const names: string[] = [];
  const defaults: NjNode[] = [];
  for (const arg of nodeChildren(node.args as NjNode)) {
    if (isType(arg, 'Symbol')) names.push(String(arg.value));
    else if (isType(arg, 'KeywordArgs')) {
      for (const pair of nodeChildren(arg)) {
        names.push(String((pair.key as NjNode).value));
        defaults.push(pair.value as NjNode);
      }
    }
  }
  return { names, defaults };
}

/** Does `name` appear as a variable anywhere inside these nodes? */
function mentions(nodes: NjNode[], name: string): boolean {
  const stack = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (isType(node, 'Symbol') && node.value === name) return true;
    for (const field of [...(node.fields ?? []), 'children', 'body']) {
      const value = node[field];
      if (Array.isArray(value)) stack.push(...(value as NjNode[]));
      else if (isNode(value)) stack.push(value);
    }
  }
  return false;
}

/** Jinja2's FrameSymbolVisitor: records the loads and stores of one frame, not entering nested frames. */
class FrameVisitor {
  constructor(public symbols: Symbols) {}

  visitAll(nodes: NjNode[]): void {
    for (const node of nodes) this.visit(node);
  }

  visit(node: NjNode | null | undefined): void {
    if (!node || !isNode(node)) return;
    switch (node.typename) {
      case 'Symbol':
        this.symbols.load(String(node.value));
        return;
      case 'Literal':
      case 'TemplateData':
        return;
      case 'Set':
        if (node.value) this.visit(node.value as NjNode);
        for (const target of node.targets as NjNode[]) this.storeTarget(target);
        return;
      case 'If':
        this.visitIf(node);
        return;
      case 'For':
        this.visit(node.arr as NjNode); // the loop body is its own frame
        return;
      case 'Macro':
        this.symbols.store(String((node.name as NjNode).value));
        return;
      case 'Import':
        this.visit(node.template as NjNode);
        this.symbols.store(String((node.target as NjNode).value));
        return;
      case 'FromImport':
        this.visit(node.template as NjNode);
        for (const name of nodeChildren(node.names as NjNode)) {
          this.symbols.store(String(isType(name, 'Pair') ? (name.value as NjNode).value : name.value));
        }
        return;
      case 'Filter':
        // the filter name is not a variable; its arguments (the filtered value first) are
        this.visitAll(nodeChildren(node.args as NjNode));
        return;
      case 'Is':
        this.visit(node.left as NjNode);
        if (isType(node.right as NjNode, 'FunCall')) this.visitAll(nodeChildren((node.right as NjNode).args as NjNode));
        return;
      case 'KeywordArgs':
        for (const pair of nodeChildren(node)) this.visit(pair.value as NjNode);
        return;
      case 'Capture':
      case 'Caller':
      case 'Block':
        return; // own frames
      default:
        for (const field of node.fields ?? []) {
          const value = node[field];
          if (Array.isArray(value)) this.visitAll(value as NjNode[]);
          else if (isNode(value)) this.visit(value);
        }
        if ('children' in node && !(node.fields ?? []).includes('children')) this.visitAll(nodeChildren(node));
    }
  }

  private storeTarget(target: NjNode): void {
    if (isType(target, 'Symbol')) this.symbols.store(String(target.value));
    else this.visit(target);
  }

  private visitIf(node: NjNode): void {
    const { body, elifs, else_ } = ifParts(node);
    this.visit(node.cond as NjNode);
    const original = this.symbols;
    const inner = (nodes: NjNode[]): Symbols => {
      this.symbols = original.copy();
      const branch = this.symbols;
      this.visitAll(nodes);
      this.symbols = original;
      return branch;
    };
    const bodySymbols = inner(body);
    const elifSymbols = inner(elifs);
    const elseSymbols = inner(else_);
    original.branchUpdate([bodySymbols, elifSymbols, elseSymbols]);
  }
}

/** Walks the frames the Jinja2 code generator would enter, collecting names it resolves from the context. */
class UndeclaredCollector {
  readonly names = new Set<string>();

  private enter(symbols: Symbols): void {
    for (const load of symbols.loads.values()) if (load.kind === 'resolve') this.names.add(load.name);
  }

  template(root: NjNodeList): void {
    const symbols = new Symbols(null);
    new FrameVisitor(symbols).visitAll(root.children);
    this.enter(symbols);
    this.statements(root.children, symbols);
  }

  /** Finds the nested frames inside statements of a frame whose symbols are known. */
  private statements(nodes: NjNode[], symbols: Symbols): void {
    for (const node of nodes) this.statement(node, symbols);
  }

  private statement(node: NjNode | null | undefined, symbols: Symbols): void {
    if (!node || !isNode(node)) return;
    switch (node.typename) {
      case 'For':
        this.forLoop(node, symbols);
        return;
      case 'If': {
        const { body, elifs, else_ } = ifParts(node);
        this.statement(node.cond as NjNode, symbols);
        this.statements(body, symbols);
        for (const elif of elifs) {
          this.statement(elif.cond as NjNode, symbols);
          this.statements(nodeChildren(elif.body as NjNode), symbols);
        }
        this.statements(else_, symbols);
        return;
      }
      case 'Set':
        if (node.body) this.ownFrame(nodeChildren((node.body as NjNode).body as NjNode), symbols);
        else this.statement(node.value as NjNode, symbols);
        return;
      case 'Capture':
        this.ownFrame(nodeChildren(node.body as NjNode), symbols);
        return;
      case 'Block':
        this.ownFrame(nodeChildren(node.body as NjNode), symbols);
        return;
      case 'Macro':
      case 'Caller':
        this.macro(node, symbols);
        return;
      default:
        for (const field of node.fields ?? []) {
          const value = node[field];
          if (Array.isArray(value)) this.statements(value as NjNode[], symbols);
          else if (isNode(value)) this.statement(value, symbols);
        }
        if ('children' in node && !(node.fields ?? []).includes('children')) this.statements(nodeChildren(node), symbols);
    }
  }

  private ownFrame(body: NjNode[], parent: Symbols): void {
    const symbols = new Symbols(parent);
    new FrameVisitor(symbols).visitAll(body);
    this.enter(symbols);
    this.statements(body, symbols);
  }

  private forLoop(node: NjNode, parent: Symbols): void {
    const body = nodeChildren(node.body as NjNode);
    const loopSymbols = new Symbols(parent);
    if (mentions(body, 'loop')) loopSymbols.declareParameter('loop');
    const targets = isType(node.name as NjNode, 'Array') ? nodeChildren(node.name as NjNode) : [node.name as NjNode];
    for (const target of targets) loopSymbols.declareParameter(String(target.value));
    new FrameVisitor(loopSymbols).visitAll(body);
    this.enter(loopSymbols);
    this.statements(body, loopSymbols);
    if (node.else_) this.ownFrame(nodeChildren(node.else_ as NjNode), parent);
  }

  private macro(node: NjNode, parent: Symbols): void {
    const body = nodeChildren(node.body as NjNode);
    const symbols = new Symbols(parent);
    const { names, defaults } = macroParameters(node);
    for (const name of names) symbols.declareParameter(name);
    const visitor = new FrameVisitor(symbols);
    visitor.visitAll(defaults);
    visitor.visitAll(body);
    // Jinja2 declares these after the analysis when the body uses them
    for (const special of ['caller', 'kwargs', 'varargs']) if (mentions(body, special)) symbols.declareParameter(special);
    this.enter(symbols);
    this.statements(body, symbols);
  }
}

/** The variables a template reads from its context (like jinja2.meta.find_undeclared_variables). */
export function findUndeclaredVariables(root: NjNodeList): Set<string> {
  const collector = new UndeclaredCollector();
  collector.template(root);
  return collector.names;
}
