/**
 * Static checks on Helm templates for a machine without the helm binary. Templates are Go text/template
 * source, not YAML, so this reads their actions (`{{ ... }}`) the way Go's lexer delimits them: comments
 * (`/* ... *\/`) and quoted strings may contain braces without ending an action.
 */

export interface TemplateAction {
  /** The text between the delimiters, without trim markers and surrounding spaces. */
  body: string;
  /** The body with string literals blanked, for searches that must not match inside messages. */
  code: string;
  isComment: boolean;
  line: number;
}

const BLOCK_OPENERS = new Set(['if', 'range', 'with', 'define', 'block']);

export function readActions(source: string): { actions: TemplateAction[]; errors: string[] } {
  const actions: TemplateAction[] = [];
  const errors: string[] = [];
  let position = 0;
  let outside = '';
  for (;;) {
    const start = source.indexOf('{{', position);
    // A separator keeps two neighbouring fragments from forming a "}}" that is not in the file.
    outside += `${source.slice(position, start < 0 ? undefined : start)}\n`;
    if (start < 0) break;
    const line = source.slice(0, start).split('\n').length;
    const end = findActionEnd(source, start + 2);
    if (end < 0) {
      errors.push(`line ${line}: "{{" is never closed`);
      break;
    }
    const inner = source.slice(start + 2, end).replace(/^-\s/, '').replace(/\s-$/, '').trim();
    const isComment = inner.startsWith('/*');
    if (isComment && !inner.endsWith('*/')) errors.push(`line ${line}: comment must end right before "}}"`);
    actions.push({ body: inner, code: isComment ? '' : blankStrings(inner), isComment, line });
    position = end + 2;
  }
  if (errors.length === 0 && outside.includes('}}')) errors.push('a "}}" appears outside any action');
  return { actions, errors };
}

/** Index of the `}}` closing the action whose body starts at `from`, or -1. */
export function findActionEnd(source: string, from: number): number {
  const afterTrim = source.slice(from).match(/^-?\s*/)?.[0].length ?? 0;
  if (source.startsWith('/*', from + afterTrim)) {
    const close = source.indexOf('*/', from + afterTrim + 2);
    return close < 0 ? -1 : source.indexOf('}}', close + 2);
  }
  for (let i = from; i < source.length; i++) {
    const char = source[i];
    if (char === '"' || char === '`' || char === "'") {
      i = skipQuoted(source, i);
      if (i < 0) return -1;
    } else if (char === '}' && source[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

function skipQuoted(source: string, open: number): number {
  const quote = source[open];
  for (let i = open + 1; i < source.length; i++) {
    if (quote !== '`' && source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  return -1;
}

function blankStrings(code: string): string {
  return code.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
}

/** Every `if`/`range`/`with`/`define`/`block` closed by its own `end`, every `else` inside a block. */
export function checkBlocks(source: string): string[] {
  const { actions, errors } = readActions(source);
  const open: TemplateAction[] = [];
  for (const action of actions) {
    if (action.isComment) continue;
    const keyword = action.code.split(/[\s(]/, 1)[0];
    if (BLOCK_OPENERS.has(keyword)) open.push(action);
    else if (keyword === 'else' && open.length === 0) errors.push(`line ${action.line}: "else" outside a block`);
    else if (keyword === 'end' && !open.pop()) errors.push(`line ${action.line}: "end" without an open block`);
  }
  for (const action of open) errors.push(`line ${action.line}: "${action.code}" is never closed with "end"`);
  return errors;
}

/** Dotted paths under `.Values` (also `$.Values` and `.ctx.Values`), for example `gateway.port`. */
export function valuesPaths(source: string): string[] {
  const paths = new Set<string>();
  for (const action of readActions(source).actions) {
    for (const match of action.code.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) paths.add(match[1].slice(1));
  }
  return [...paths];
}

/** Names of templates used through `include "..."` or `template "..."`. */
export function includedNames(source: string): string[] {
  return namesAfter(source, /\b(?:include|template)\s+"([^"]+)"/g);
}

/** Names of templates declared with `define "..."`. */
export function definedNames(source: string): string[] {
  return namesAfter(source, /^define\s+"([^"]+)"/g);
}

function namesAfter(source: string, pattern: RegExp): string[] {
  const names = new Set<string>();
  for (const action of readActions(source).actions) {
    if (action.isComment) continue;
    for (const match of action.body.matchAll(pattern)) names.add(match[1]);
  }
  return [...names];
}

/** True when `path` (dotted) leads to a key that exists in `values`, whatever its value. */
export function hasValuesPath(values: unknown, path: string): boolean {
  let node = values;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}
