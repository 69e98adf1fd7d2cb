import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

/** The modules proxied requests run through, providers included (management code is not here). */
const REQUEST_PATH = [
  'apps/gateway/src/auth',
  'apps/gateway/src/completion',
  'apps/gateway/src/http',
  'libs/auth/src',
  'libs/kv/src',
  'libs/limits/src',
  'libs/providers/src',
  'libs/request-log/src',
  'libs/routing/src/groups',
  'libs/routing/src/router',
  'libs/routing/src/state',
  'libs/routing/src/strategies',
];

function productionSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' || name === 'test' ? [] : productionSources(full);
    return name.endsWith('.ts') && !/\.(spec|e2e|contract|testing|d)\.ts$/.test(name) && !name.includes('test-kit') ? [full] : [];
  });
}

/** `{ ...a, b: 1 }`-shaped literals in a file's text, as "path:line  text". */
function spreadFirstLiterals(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node) && node.properties.length > 1 && ts.isSpreadAssignment(node.properties[0])) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${relative(ROOT, file)}:${line + 1}  ${node.getText(source).replace(/\s+/g, ' ').slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * On Node 20's V8 an object literal that opens with a spread of a populated object and goes on (`{ ...a, b }`,
 * `{ ...a, ...c }`) takes a slow path for every further member: about 3 µs with one extra member, 30 µs for
 * the request-log event's 15, against well under 1 µs when the literal opens with a plain member or the copy
 * is an `Object.assign`. The request-log event alone was 5% of a pass-through request's CPU (bench profile).
 */
describe('request-path object literals', () => {
  it('none opens with a spread and goes on (write the fields out, open with a plain member, or Object.assign internal objects)', () => {
    const offenders = REQUEST_PATH.flatMap((dir) => productionSources(join(ROOT, dir))).flatMap((file) => spreadFirstLiterals(file));
    expect(offenders).toEqual([]);
  });

  it('the scan finds the shape it forbids, and only that', () => {
    const probe = ['const a = { ...base, extra: 1 };', 'const b = { first: 1, ...base };', 'const c = { ...base };', 'f({ ...x, ...y });'].join('\n');
    expect(spreadFirstLiterals(join(ROOT, 'probe.ts'), probe)).toEqual(['probe.ts:1  { ...base, extra: 1 }', 'probe.ts:4  { ...x, ...y }']);
  });
});
