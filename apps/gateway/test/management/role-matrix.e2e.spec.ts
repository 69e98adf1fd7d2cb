import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_CONTROLLERS } from '../../src/management';
import { ROUTE_PROBES, type Probe } from './role-matrix-probes';
import { CALLER_ROLES, MatrixWorld, type Caller, type CallerRole } from './role-matrix-world';
import { startTenancyKit, type Answer, type TenancyKit } from './tenancy-test-kit';

/**
 * Walks the whole "Who may call what" matrix of docs/management-api.md: every route as every role, on the
 * caller's own object and on someone else's, and compares what the gateway answers with what the table says.
 */
const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'management-api.md');
const MATRIX_HEADING = '## Who may call what';

/** The table's columns, in order, and the callers each column stands for. */
const COLUMNS: ReadonlyArray<[string, CallerRole[]]> = [
  ['master key / proxy_admin', ['master', 'proxy_admin']],
  ['proxy_admin_viewer', ['proxy_admin_viewer']],
  ['internal_user', ['internal_user']],
  ['internal_user_viewer', ['internal_user_viewer']],
  ['team admin', ['team_admin']],
  ['org admin', ['org_admin']],
];
const CELLS = ['yes', 'no', 'own'] as const;
type Cell = (typeof CELLS)[number];
type Matrix = Map<string, Map<CallerRole, Cell>>;

const cellsOf = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim().replace(/`/g, ''));

/** The matrix table as route -> caller role -> cell; a malformed table throws, naming the line. */
function readMatrix(markdown: string): Matrix {
  const lines = markdown.split('\n');
  const start = lines.indexOf(MATRIX_HEADING);
  if (start < 0) throw new Error(`docs/management-api.md has no "${MATRIX_HEADING}" section`);
  const tableStart = lines.findIndex((line, i) => i > start && line.startsWith('|'));
  const header = cellsOf(lines[tableStart]);
  const expectedHeader = ['Route', ...COLUMNS.map(([name]) => name)];
  if (header.join(' | ') !== expectedHeader.join(' | ')) throw new Error(`matrix header is "${header.join(' | ')}", expected "${expectedHeader.join(' | ')}"`);
  const matrix: Matrix = new Map();
  for (let i = tableStart + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    const [route, ...cells] = cellsOf(lines[i]);
    if (cells.length !== COLUMNS.length || cells.some((cell) => !(CELLS as readonly string[]).includes(cell))) {
      throw new Error(`matrix line ${i + 1} ("${lines[i]}") needs ${COLUMNS.length} cells, each one of ${CELLS.join(', ')}`);
    }
    if (matrix.has(route)) throw new Error(`matrix lists ${route} twice`);
    const row = new Map<CallerRole, Cell>();
    COLUMNS.forEach(([, roles], column) => roles.forEach((role) => row.set(role, cells[column] as Cell)));
    matrix.set(route, row);
  }
  return matrix;
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [''] : Array.isArray(value) ? value : [value]);

/** Every route the management controllers serve, as `METHOD /path` with `:param` written `{param}`. */
function registeredRoutes(): string[] {
  const routes = new Set<string>();
  for (const controller of MANAGEMENT_CONTROLLERS as Type[]) {
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[name];
      if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      for (const prefix of prefixes) {
        for (const path of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
          const joined = [prefix, path].flatMap((part) => part.split('/')).filter(Boolean).join('/');
          routes.add(`${method} /${joined.replace(/:(\w+)/g, '{$1}')}`);
        }
      }
    }
  }
  return [...routes].sort();
}

type Verdict = 'allowed' | 'refused';

/** allowed (2xx, and for lists the object shown), refused (403, or a list without it), or undefined for any other answer. */
function verdictOf(answer: Answer, probe: Probe): { verdict?: Verdict; detail: string } {
  if (answer.status === 403) return { verdict: 'refused', detail: '403' };
  if (answer.status >= 200 && answer.status < 300) {
    return !probe.listed || probe.listed(answer.body) ? { verdict: 'allowed', detail: String(answer.status) } : { verdict: 'refused', detail: `${answer.status} without the object` };
  }
  return { detail: `${answer.status} ${answer.body?.error?.message ?? JSON.stringify(answer.body)}` };
}

const expectedVerdict = (cell: Cell, whose: 'own' | 'foreign'): Verdict => (cell === 'yes' || (cell === 'own' && whose === 'own') ? 'allowed' : 'refused');

/** Runs `tasks` with at most `limit` at a time (the probes are independent: each writes only objects made for it). */
async function inPool(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  }));
}

describe('docs/management-api.md role matrix', () => {
  const matrix = readMatrix(readFileSync(DOC, 'utf8'));
  let kit: TenancyKit;
  let world: MatrixWorld;

  beforeAll(async () => {
    kit = await startTenancyKit('role-matrix');
    world = new MatrixWorld(kit);
    await world.build();
  }, 120_000);
  afterAll(async () => kit?.close());

  it('has one row for every management route the gateway serves, and a probe for each', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThan(50);
    expect({ missingFromDoc: routes.filter((r) => !matrix.has(r)), notServed: [...matrix.keys()].filter((r) => !routes.includes(r)) }).toEqual({
      missingFromDoc: [],
      notServed: [],
    });
    expect(Object.keys(ROUTE_PROBES).sort()).toEqual(routes);
  });

  it('answers every route x role as the matrix says, on own and on foreign objects', async () => {
    const mismatches: string[] = [];
    let calls = 0;
    const check = async (route: string, caller: Caller, cell: Cell, whose: 'own' | 'foreign') => {
      const probes = ROUTE_PROBES[route];
      if (!probes) return; // reported by the coverage test above
      const make = whose === 'own' ? probes.own : probes.foreign;
      const probe = make ? await make(world, caller) : undefined;
      const where = `${route} as ${caller.role} on ${whose === 'own' ? 'its own object' : "someone else's object"}`;
      if (!probe) {
        if (whose === 'own' && cell === 'own') mismatches.push(`${where}: the matrix says "own" but this role owns nothing this route acts on`);
        return;
      }
      const answer = await kit.call(probe.method, probe.path, { key: (probe.caller ?? caller).key, body: probe.body });
      calls++;
      const got = verdictOf(answer, probe);
      const expected = expectedVerdict(cell, whose);
      if (got.verdict !== expected) mismatches.push(`${where} (${probe.method} ${probe.path}): matrix says "${cell}" so ${expected}, got ${got.verdict ?? 'neither'} (${got.detail})`);
    };
    const tasks = [...matrix].flatMap(([route, row]) =>
      CALLER_ROLES.flatMap((role) => (['own', 'foreign'] as const).map((whose) => () => check(route, world.caller(role), row.get(role) as Cell, whose))),
    );
    await inPool(tasks, 8);
    expect(calls).toBeGreaterThan(matrix.size * CALLER_ROLES.length);
    expect(mismatches.sort(), `${mismatches.length} matrix cells differ from the gateway:\n${mismatches.join('\n')}`).toEqual([]);
  }, 180_000);
});
