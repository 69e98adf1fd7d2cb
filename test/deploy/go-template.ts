/**
 * Renders Helm templates for tests on a machine without the helm binary: a small interpreter for the part of
 * Go's text/template and of Helm's functions (Sprig plus include) that helm/tollgate uses. Anything outside
 * that part (an unknown function, `template`, a method call, a Go type it cannot mimic) throws instead of
 * rendering something Helm would not.
 *
 * Numbers follow Helm 3: a number read from values.yaml is a float64 (a JS number here), an integer literal in
 * a template and the result of `int` are integers (bigint here), and comparing the two throws, as Helm does
 * ("error calling gt: incompatible types for comparison"). `fail` throws a TemplateFailure.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { findActionEnd } from './helm-template-checks';

export class TemplateFailure extends Error {}

type Expr =
  | { t: 'field'; base: string; path: string[] }
  | { t: 'literal'; value: unknown }
  | { t: 'function'; name: string }
  | { t: 'pipe'; pipe: Pipeline };
interface Pipeline {
  decl?: { name: string; assign: boolean };
  commands: Expr[][];
}
type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipeline }
  | { t: 'if' | 'with'; branches: Array<{ pipe: Pipeline; body: Node[] }>; otherwise: Node[] }
  | { t: 'range'; vars: string[]; pipe: Pipeline; body: Node[]; otherwise: Node[] };

interface Action {
  body: string;
  line: number;
}
type Token = { text: string } | Action;

// ---- lexing: text and actions, with Go's trim markers ("{{- " and " -}}") applied ----

function lex(source: string, name: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  let trimNext = false;
  for (;;) {
    const start = source.indexOf('{{', position);
    let text = source.slice(position, start < 0 ? undefined : start);
    if (trimNext) text = text.replace(/^\s+/, '');
    const trimLeft = start >= 0 && /^-\s/.test(source.slice(start + 2, start + 4));
    if (trimLeft) text = text.replace(/\s+$/, '');
    if (text) tokens.push({ text });
    if (start < 0) return tokens;
    const line = source.slice(0, start).split('\n').length;
    const end = findActionEnd(source, start + 2);
    if (end < 0) throw new Error(`${name}:${line}: unclosed action`);
    let inner = source.slice(start + 2, end);
    if (trimLeft) inner = inner.slice(1);
    trimNext = /\s-$/.test(inner);
    if (trimNext) inner = inner.slice(0, -1);
    const body = inner.trim();
    if (!body.startsWith('/*')) tokens.push({ body, line });
    position = end + 2;
  }
}

// ---- parsing: control structures, then pipelines ----

function keywordOf(token: Token): string | undefined {
  return 'body' in token ? token.body.match(/^[a-z]+\b/)?.[0] : undefined;
}

/** Parses until one of `stops` (returned, unconsumed) or the end; `define` blocks go to `defines`. */
function parseList(tokens: Token[], state: { i: number; name: string }, stops: string[], defines?: Map<string, Node[]>): Node[] {
  const nodes: Node[] = [];
  while (state.i < tokens.length) {
    const token = tokens[state.i];
    if (!('body' in token)) {
      nodes.push({ t: 'text', text: token.text });
      state.i++;
      continue;
    }
    const keyword = keywordOf(token);
    const where = `${state.name}:${token.line}`;
    if (keyword && stops.includes(keyword)) return nodes;
    if (keyword === 'if' || keyword === 'with') {
      nodes.push(parseBranches(tokens, state, keyword));
    } else if (keyword === 'range') {
      nodes.push(parseRange(tokens, state));
    } else if (keyword === 'define') {
      if (!defines) throw new Error(`${where}: define inside a block`);
      const name = JSON.parse(token.body.slice('define'.length).trim()) as string;
      state.i++;
      defines.set(name, parseList(tokens, state, ['end']));
      expectEnd(tokens, state);
    } else if (keyword && ['block', 'template', 'else', 'end', 'break', 'continue'].includes(keyword)) {
      throw new Error(`${where}: "${keyword}" is not supported here`);
    } else {
      nodes.push({ t: 'action', pipe: parsePipeline(token.body, where) });
      state.i++;
    }
  }
  if (stops.length > 0) throw new Error(`${state.name}: missing "end"`);
  return nodes;
}

function parseBranches(tokens: Token[], state: { i: number; name: string }, keyword: 'if' | 'with'): Node {
  const first = tokens[state.i] as Action;
  const node = { t: keyword, branches: [] as Array<{ pipe: Pipeline; body: Node[] }>, otherwise: [] as Node[] };
  let condition = first.body.slice(keyword.length);
  let line = first.line;
  for (;;) {
    state.i++;
    const body = parseList(tokens, state, ['else', 'end']);
    node.branches.push({ pipe: parsePipeline(condition, `${state.name}:${line}`), body });
    const stop = tokens[state.i] as Action;
    if (keywordOf(stop) === 'end') break;
    const rest = stop.body.slice('else'.length).trim();
    if (rest.startsWith(`${keyword} `)) {
      condition = rest.slice(keyword.length);
      line = stop.line;
      continue;
    }
    if (rest) throw new Error(`${state.name}:${stop.line}: "else ${rest}" is not supported`);
    state.i++;
    node.otherwise = parseList(tokens, state, ['end']);
    break;
  }
  expectEnd(tokens, state);
  return node;
}

/** `range PIPE`, `range $v := PIPE` or `range $i, $v := PIPE`, over a list or a map (keys in order), with `else`. */
function parseRange(tokens: Token[], state: { i: number; name: string }): Node {
  const first = tokens[state.i] as Action;
  let source = first.body.slice('range'.length).trim();
  const declared = source.match(/^(\$[A-Za-z0-9_]*)\s*(?:,\s*(\$[A-Za-z0-9_]*)\s*)?:=/);
  const vars = declared ? [declared[1], declared[2]].filter((name): name is string => name !== undefined) : [];
  if (declared) source = source.slice(declared[0].length);
  state.i++;
  const body = parseList(tokens, state, ['else', 'end']);
  let otherwise: Node[] = [];
  const stop = tokens[state.i] as Action;
  if (keywordOf(stop) === 'else') {
    if (stop.body !== 'else') throw new Error(`${state.name}:${stop.line}: "${stop.body}" is not supported in range`);
    state.i++;
    otherwise = parseList(tokens, state, ['end']);
  }
  expectEnd(tokens, state);
  return { t: 'range', vars, pipe: parsePipeline(source, `${state.name}:${first.line}`), body, otherwise };
}

function expectEnd(tokens: Token[], state: { i: number; name: string }): void {
  const token = tokens[state.i];
  if (!token || !('body' in token) || token.body !== 'end') throw new Error(`${state.name}: expected "end"`);
  state.i++;
}

function parsePipeline(source: string, where: string): Pipeline {
  const scanner = { s: source, i: 0, where };
  const pipe = readPipeline(scanner);
  skipSpace(scanner);
  if (scanner.i < source.length) throw new Error(`${where}: unexpected "${source.slice(scanner.i)}"`);
  return pipe;
}

interface Scanner {
  s: string;
  i: number;
  where: string;
}

function skipSpace(scanner: Scanner): void {
  while (/\s/.test(scanner.s[scanner.i] ?? '')) scanner.i++;
}

function readPipeline(scanner: Scanner): Pipeline {
  skipSpace(scanner);
  const pipe: Pipeline = { commands: [] };
  const decl = scanner.s.slice(scanner.i).match(/^(\$[A-Za-z0-9_]*)\s*(:?=)(?!=)/);
  if (decl) {
    pipe.decl = { name: decl[1], assign: decl[2] === '=' };
    scanner.i += decl[0].length;
  }
  let command: Expr[] = [];
  for (;;) {
    skipSpace(scanner);
    const char = scanner.s[scanner.i];
    if (char === undefined || char === ')') break;
    if (char === '|') {
      scanner.i++;
      pipe.commands.push(command);
      command = [];
      continue;
    }
    command.push(readOperand(scanner));
  }
  pipe.commands.push(command);
  if (pipe.commands.some((c) => c.length === 0)) throw new Error(`${scanner.where}: empty command in "${scanner.s}"`);
  return pipe;
}

function readOperand(scanner: Scanner): Expr {
  const rest = scanner.s.slice(scanner.i);
  const take = (match: string) => {
    scanner.i += match.length;
    return match;
  };
  if (rest.startsWith('(')) {
    scanner.i++;
    const pipe = readPipeline(scanner);
    if (scanner.s[scanner.i] !== ')') throw new Error(`${scanner.where}: unclosed "("`);
    scanner.i++;
    return { t: 'pipe', pipe };
  }
  let match = rest.match(/^"(?:[^"\\]|\\.)*"/);
  if (match) return { t: 'literal', value: JSON.parse(take(match[0])) };
  match = rest.match(/^`[^`]*`/);
  if (match) return { t: 'literal', value: take(match[0]).slice(1, -1) };
  match = rest.match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/);
  if (match) {
    const text = take(match[0]);
    return { t: 'literal', value: match[1] || match[2] ? Number(text) : BigInt(text) };
  }
  // `.`, `.A.B`, `$`, `$name`, `$.A`, `$name.A.B`
  match = rest.match(/^(\$[A-Za-z0-9_]*)?((?:\.[A-Za-z_][A-Za-z0-9_]*)*)/);
  if (match && match[0]) {
    take(match[0]);
    return { t: 'field', base: match[1] ?? '.', path: match[2].split('.').filter(Boolean) };
  }
  if (rest.startsWith('.')) {
    take('.');
    return { t: 'field', base: '.', path: [] };
  }
  match = rest.match(/^[A-Za-z_][A-Za-z0-9_]*/);
  if (match) {
    const name = take(match[0]);
    if (name === 'true' || name === 'false') return { t: 'literal', value: name === 'true' };
    if (name === 'nil') return { t: 'literal', value: undefined };
    return { t: 'function', name };
  }
  throw new Error(`${scanner.where}: cannot read "${rest}"`);
}

// ---- values: Go's notion of truth, kinds and printing ----

function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  throw new Error(`no truth value for ${typeof value}`);
}

function kindOf(value: unknown): string {
  if (value === undefined || value === null) return 'invalid';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'object') return 'map';
  throw new Error(`no Go kind for ${typeof value}`);
}

/** Go's %v of a float64: shortest digits, exponent form below 1e-4 and from 1e+06 (why Helm prints 1e+06). */
function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return '0';
  const [digits, exponentText] = n.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return String(n);
}

/** How `{{ value }}` prints; Helm turns a missing value ("<no value>") into nothing. */
function printValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return formatFloat(value);
  if (typeof value === 'boolean') return String(value);
  throw new Error(`printing a ${kindOf(value)} the way Go does is not supported`);
}

function asString(value: unknown, fn: string): string {
  if (typeof value !== 'string') throw new Error(`${fn}: expected a string, got ${kindOf(value)}`);
  return value;
}

function asInt(value: unknown, fn: string): number {
  if (typeof value !== 'bigint') throw new Error(`${fn}: expected an int, got ${kindOf(value)}`);
  return Number(value);
}

function compare(fn: string, a: unknown, b: unknown): number {
  const kind = kindOf(a);
  if (kind !== kindOf(b) || !['int', 'float64', 'string'].includes(kind)) {
    throw new Error(`error calling ${fn}: incompatible types for comparison (${kindOf(a)} and ${kindOf(b)})`);
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function equal(a: unknown, b: unknown): boolean {
  if (kindOf(a) === 'invalid' || kindOf(b) === 'invalid') return kindOf(a) === kindOf(b);
  if (kindOf(a) === 'bool' && kindOf(b) === 'bool') return a === b;
  return compare('eq', a, b) === 0;
}

/** Sprig's toInt (cast.ToInt): numbers truncate, unparsable strings and nil give 0. */
function toInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string') return /^-?\d+$/.test(value.trim()) ? BigInt(value.trim()) : 0n;
  if (value === undefined || value === null) return 0n;
  throw new Error(`int: cannot convert a ${kindOf(value)}`);
}

function goSprintf(format: string, args: unknown[]): string {
  let next = 0;
  return format.replace(/%([%sdvq])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) throw new Error(`printf: missing argument for %${verb}`);
    const arg = args[next++];
    if (verb === 's') return asString(arg, 'printf %s');
    if (verb === 'd') return String(asInt(arg, 'printf %d'));
    if (verb === 'q') return JSON.stringify(asString(arg, 'printf %q'));
    return printValue(arg);
  });
}

// ---- evaluation ----

class Scope {
  private readonly vars = new Map<string, unknown>();

  constructor(private readonly parent?: Scope) {}

  declare(name: string, value: unknown): void {
    this.vars.set(name, value);
  }

  assign(name: string, value: unknown): void {
    if (this.vars.has(name)) this.vars.set(name, value);
    else if (this.parent) this.parent.assign(name, value);
    else throw new Error(`undefined variable ${name}`);
  }

  get(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.parent) return this.parent.get(name);
    throw new Error(`undefined variable ${name}`);
  }
}

const NOTHING = Symbol('no piped value');

export interface ChartTemplates {
  /** Renders templates/`file` as `helm template` would, for these (already complete) values. */
  render(file: string, values: Record<string, unknown>, release?: { Name: string; Namespace: string }): string;
}

/** The chart in `chartDir`, rendered as Helm does: every file is a template named CHART/templates/FILE. */
export function loadChart(chartDir: string): ChartTemplates {
  const metadata = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const basePath = `${String(metadata.name)}/templates`;
  const sources: Record<string, string> = {};
  for (const file of readdirSync(join(chartDir, 'templates'))) {
    sources[`${basePath}/${file}`] = readFileSync(join(chartDir, 'templates', file), 'utf8');
  }
  const templates = createTemplates(sources);
  return {
    render(file, values, release = { Name: 'tollgate', Namespace: 'default' }) {
      const path = `${basePath}/${file}`;
      const root = {
        Values: values,
        Release: { ...release, Service: 'Helm', IsInstall: true, IsUpgrade: false },
        Chart: { Name: metadata.name, Version: metadata.version, AppVersion: metadata.appVersion },
        Template: { Name: path, BasePath: basePath },
      };
      return templates.render(path, root);
    },
  };
}

/**
 * A set of templates by name. Named templates (`define`) are collected from files whose base name starts with
 * "_"; the other files are parsed on first use, so one this interpreter cannot read only fails when rendered.
 */
export function createTemplates(sources: Record<string, string>): { render(name: string, data: unknown): string } {
  const defines = new Map<string, Node[]>();
  for (const [path, source] of Object.entries(sources)) {
    if (path.split('/').pop()?.startsWith('_')) parseList(lex(source, path), { i: 0, name: path }, [], defines);
  }
  const parsedFiles = new Map<string, Node[]>();
  const fileNodes = (path: string): Node[] | undefined => {
    const source = Object.prototype.hasOwnProperty.call(sources, path) ? sources[path] : undefined;
    if (source === undefined) return undefined;
    if (!parsedFiles.has(path)) parsedFiles.set(path, parseList(lex(source, path), { i: 0, name: path }, [], new Map()));
    return parsedFiles.get(path);
  };

  let depth = 0;
  const execute = (nodes: Node[], data: unknown): string => {
    if (++depth > 100) throw new Error('include nested too deeply');
    try {
      const scope = new Scope();
      scope.declare('$', data);
      const out: string[] = [];
      run(nodes, data, scope, out);
      return out.join('');
    } finally {
      depth--;
    }
  };

  const functions: Record<string, (...args: unknown[]) => unknown> = {
    include: (templateName, data) => {
      const key = asString(templateName, 'include');
      const nodes = defines.get(key) ?? fileNodes(key);
      if (!nodes) throw new Error(`include: no template "${key}"`);
      return execute(nodes, data);
    },
    dict: (...pairs) => {
      if (pairs.length % 2) throw new Error('dict: odd number of arguments');
      const out: Record<string, unknown> = {};
      for (let i = 0; i < pairs.length; i += 2) out[asString(pairs[i], 'dict')] = pairs[i + 1];
      return out;
    },
    indent: (n, text) => ' '.repeat(asInt(n, 'indent')) + asString(text, 'indent').replaceAll('\n', `\n${' '.repeat(asInt(n, 'indent'))}`),
    nindent: (n, text) => `\n${functions.indent(n, text) as string}`,
    toYaml: (value) => (value === undefined || value === null ? 'null' : stringify(value, { lineWidth: 0, sortMapEntries: true }).replace(/\n$/, '')),
    default: (fallback, ...given) => (given.length === 0 || !truthy(given[0]) ? fallback : given[0]),
    trunc: (n, text) => {
      const count = asInt(n, 'trunc');
      const s = asString(text, 'trunc');
      if (count < 0) return s.length + count > 0 ? s.slice(s.length + count) : s;
      return s.slice(0, count);
    },
    trimSuffix: (suffix, text) => {
      const s = asString(text, 'trimSuffix');
      const end = asString(suffix, 'trimSuffix');
      return end && s.endsWith(end) ? s.slice(0, -end.length) : s;
    },
    hasPrefix: (prefix, text) => asString(text, 'hasPrefix').startsWith(asString(prefix, 'hasPrefix')),
    contains: (part, text) => asString(text, 'contains').includes(asString(part, 'contains')),
    replace: (from, to, text) => asString(text, 'replace').replaceAll(asString(from, 'replace'), asString(to, 'replace')),
    printf: (format, ...args) => goSprintf(asString(format, 'printf'), args),
    print: (...args) => args.map((arg, i) => (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + printValue(arg)).join(''),
    quote: (...args) => args.filter((arg) => arg !== undefined && arg !== null).map((arg) => JSON.stringify(printValue(arg))).join(' '),
    sha256sum: (text) => createHash('sha256').update(asString(text, 'sha256sum')).digest('hex'),
    b64enc: (text) => Buffer.from(asString(text, 'b64enc')).toString('base64'),
    fail: (message) => {
      throw new TemplateFailure(asString(message, 'fail'));
    },
    not: (value) => !truthy(value),
    eq: (a, ...others) => others.some((b) => equal(a, b)),
    ne: (a, b) => !equal(a, b),
    lt: (a, b) => compare('lt', a, b) < 0,
    le: (a, b) => compare('le', a, b) <= 0,
    gt: (a, b) => compare('gt', a, b) > 0,
    ge: (a, b) => compare('ge', a, b) >= 0,
    int: (value) => toInt(value),
    kindIs: (kind, value) => kindOf(value) === asString(kind, 'kindIs'),
  };

  const evalPipeline = (pipe: Pipeline, dot: unknown, scope: Scope): unknown => {
    let value: unknown = NOTHING;
    for (const command of pipe.commands) value = evalCommand(command, dot, scope, value);
    if (pipe.decl) {
      if (pipe.decl.assign) scope.assign(pipe.decl.name, value);
      else scope.declare(pipe.decl.name, value);
    }
    return value;
  };

  const evalCommand = (command: Expr[], dot: unknown, scope: Scope, piped: unknown): unknown => {
    const [head, ...rest] = command;
    if (head.t !== 'function') {
      if (rest.length > 0 || piped !== NOTHING) throw new Error('arguments given to a value that is not a function');
      return evalExpr(head, dot, scope);
    }
    const thunks = rest.map((expr) => () => evalExpr(expr, dot, scope));
    if (piped !== NOTHING) thunks.push(() => piped);
    // and/or stop at the first operand that decides, as in Go 1.18+.
    if (head.name === 'and' || head.name === 'or') {
      let last: unknown;
      for (const thunk of thunks) {
        last = thunk();
        if (truthy(last) === (head.name === 'or')) return last;
      }
      return last;
    }
    const fn = functions[head.name];
    if (!fn) throw new Error(`function "${head.name}" is not supported`);
    return fn(...thunks.map((thunk) => thunk()));
  };

  const evalExpr = (expr: Expr, dot: unknown, scope: Scope): unknown => {
    if (expr.t === 'literal') return expr.value;
    if (expr.t === 'pipe') return evalPipeline(expr.pipe, dot, scope);
    if (expr.t === 'function') return evalCommand([expr], dot, scope, NOTHING);
    let value = expr.base === '.' ? dot : scope.get(expr.base);
    for (const key of expr.path) {
      if (value === undefined || value === null) throw new Error(`nil pointer evaluating interface {}.${key}`);
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`can't evaluate field ${key} in a ${kindOf(value)}`);
      value = Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value;
  };

  const run = (nodes: Node[], dot: unknown, scope: Scope, out: string[]): void => {
    for (const node of nodes) {
      if (node.t === 'text') {
        out.push(node.text);
      } else if (node.t === 'action') {
        const value = evalPipeline(node.pipe, dot, scope);
        if (!node.pipe.decl) out.push(printValue(value));
      } else if (node.t === 'range') {
        const collection = evalPipeline(node.pipe, dot, scope);
        let entries: Array<[unknown, unknown]>;
        if (Array.isArray(collection)) entries = collection.map((item, i) => [BigInt(i), item]);
        else if (kindOf(collection) === 'map') entries = Object.keys(collection as object).sort().map((key) => [key, (collection as Record<string, unknown>)[key]]);
        else if (kindOf(collection) === 'invalid') entries = [];
        else throw new Error(`range over a ${kindOf(collection)} is not supported`);
        if (entries.length === 0) run(node.otherwise, dot, new Scope(scope), out);
        for (const [key, item] of entries) {
          const inner = new Scope(scope);
          if (node.vars.length === 1) inner.declare(node.vars[0], item);
          if (node.vars.length === 2) {
            inner.declare(node.vars[0], key);
            inner.declare(node.vars[1], item);
          }
          run(node.body, item, inner, out);
        }
      } else {
        const inner = new Scope(scope);
        const taken = node.branches.find((branch) => {
          const value = evalPipeline(branch.pipe, dot, inner);
          if (!truthy(value)) return false;
          run(branch.body, node.t === 'with' ? value : dot, inner, out);
          return true;
        });
        if (!taken) run(node.otherwise, dot, inner, out);
      }
    }
  };

  return {
    render(name, data) {
      const nodes = fileNodes(name);
      if (!nodes) throw new Error(`no template ${name}`);
      return execute(nodes, data);
    },
  };
}
