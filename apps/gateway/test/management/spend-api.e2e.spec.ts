import { createPrismaClient, type PrismaClient } from '@tollgate/database';
import { RequestLogWriter, type RequestLogEvent } from '@tollgate/request-log';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCaller, type HttpCall } from '../support/http-call';
import { eventually, MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';

/**
 * The spend API on a real gateway and database. Request logs are written through the worker's writer (the
 * same statement that adds the key, team, user and daily totals), and every figure the API answers is
 * checked against sums computed here from the events themselves, in exact picodollars.
 */

const CONFIG = `
model_list:
  - model_name: gpt-fake
    litellm_params:
      model: fake/chat-model
litellm_settings:
  max_budget: 2500.5
general_settings:
  master_key: ${MASTER_KEY}
`;

const PICO = 10n ** 12n;
const usd = (pico: bigint) => `${pico / PICO}.${(pico % PICO).toString().padStart(12, '0')}`;
/** A decimal text ("1.5", "0.000000000001") as picodollars. */
function pico(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * PICO + BigInt(fraction.padEnd(12, '0'));
}
/** What the JSON answers hold: the exact amount as the nearest number. */
const asNumber = (amount: bigint) => Number(usd(amount));

/** A small seeded PRNG, so a failing run can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Owner {
  hash: string;
  userId?: string;
  teamId?: string;
}

type Event = RequestLogEvent & { pico: bigint; day: string };

let db: TestDatabase;
let gateway: TestGateway;
let prisma: PrismaClient;
let call: HttpCall;
const keys: Record<'ana' | 'bo' | 'cy' | 'beta' | 'viewer', { key: string; hash: string }> = {} as never;
let events: Event[] = [];

const ALPHA_ALIAS = 'Alpha "A", Inc.';
const DAY0 = Date.UTC(2026, 2, 1); // 2026-03-01, the first of the three report days
const REPORT = 'start_date=2026-03-01&end_date=2026-03-03';

/** Events over three UTC days and both edges, spread over keys, models, tags, customers and outcomes. */
function generateEvents(owners: Owner[]): Event[] {
  const next = random(20261123);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const times: number[] = Array.from({ length: 400 }, () => DAY0 + Math.floor(next() * 3 * 86_400_000));
  // Ten requests in the same millisecond: pages must still be disjoint and ordered by request id.
  for (let i = 0; i < 10; i++) times[i] = DAY0 + 3_600_000;
  times.push(DAY0 - 1, DAY0 + 3 * 86_400_000); // 2026-02-28T23:59:59.999Z and 2026-03-04T00:00:00.000Z
  return times.map((startedAt, i) => {
    const owner = pick(owners);
    const amount = BigInt(Math.floor(next() * 5e7)) * 1000n + BigInt(Math.floor(next() * 1000)) + 1n;
    const tags = ['prod', 'batch'].filter(() => next() < 0.4);
    const failed = next() < 0.1;
    const model = pick(['gpt-fake', 'other', 'other']);
    return {
      callId: `spend-e-${String(i).padStart(4, '0')}`,
      clientCallId: i === 7 ? 'my-own-id-7' : undefined,
      startedAt,
      endedAt: startedAt + 120,
      keyHash: owner.hash,
      userId: owner.userId,
      teamId: owner.teamId,
      endUserId: next() < 0.5 ? pick(['cust-1', 'cust-2']) : undefined,
      tags: tags.length > 0 ? tags : undefined,
      requestedModel: model,
      upstreamModel: model === 'gpt-fake' ? 'chat-model' : 'other-model',
      deploymentId: `dep-${model}`,
      provider: 'fake',
      route: '/v1/chat/completions',
      stream: false,
      status: failed ? 500 : 200,
      errorType: failed ? 'api_error' : undefined,
      errorMessage: failed ? 'upstream failed' : undefined,
      promptTokens: 10 + Math.floor(next() * 90),
      completionTokens: failed ? 0 : Math.floor(next() * 50),
      totalTokens: 0,
      spend: usd(amount),
      latencyMs: 120,
      ttftMs: i % 2 === 0 ? 40 : undefined,
      pico: amount,
      day: new Date(startedAt).toISOString().slice(0, 10),
    };
  }).map((event) => ({ ...event, totalTokens: event.promptTokens + event.completionTokens }));
}

async function admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const answer = await call(method, path, { body });
  if (answer.status !== 200) throw new Error(`${method} ${path} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function generateKey(settings: Record<string, unknown>): Promise<{ key: string; hash: string }> {
  const created = await admin('POST', '/key/generate', settings);
  return { key: created.key, hash: created.token };
}

const sum = (list: Event[]) => list.reduce((total, e) => total + e.pico, 0n);
/** Expected order of /spend/logs: newest first, then request id. */
const newestFirst = (list: Event[]) =>
  [...list].sort((a, b) => b.startedAt - a.startedAt || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0)).map((e) => e.callId);
const inReport = (e: Event) => e.day >= '2026-03-01' && e.day <= '2026-03-03';

/** Exact totals per "day|group" from the events. */
function expectedTotals(groupOf: (e: Event) => Array<string | null>, byDay = true): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const event of events.filter(inReport)) {
    for (const group of groupOf(event)) {
      const id = `${byDay ? event.day : ''}|${group ?? ''}`;
      totals.set(id, (totals.get(id) ?? 0n) + event.pico);
    }
  }
  return totals;
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += c;
  }
  if (field !== '' || record.length > 0) throw new Error('CSV does not end with CRLF');
  return records;
}

async function csvReport(query: string, headers: Record<string, string> = {}): Promise<{ response: Response; rows: Array<Record<string, string>>; header: string[] }> {
  const response = await fetch(`${gateway.url}/global/spend/report?${query}`, { headers: { authorization: `Bearer ${MASTER_KEY}`, ...headers } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`CSV report failed: ${response.status} ${text}`);
  const [header, ...records] = parseCsv(text);
  return { response, header, rows: records.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i]]))) };
}

beforeAll(async () => {
  db = await createTestDatabase('spend-api');
  gateway = await startTestGateway(CONFIG, { DATABASE_URL: db.url });
  prisma = createPrismaClient(db.url, 4);
  call = httpCaller(gateway.url, MASTER_KEY);

  await admin('POST', '/team/new', { team_id: 't-alpha', team_alias: ALPHA_ALIAS, max_budget: 900, budget_duration: '30d' });
  await admin('POST', '/team/new', { team_id: 't-beta', team_alias: '=Beta' });
  for (const [id, role] of [['u-ana', 'internal_user'], ['u-bo', 'internal_user'], ['u-cy', 'internal_user'], ['u-vic', 'proxy_admin_viewer']]) {
    await admin('POST', '/user/new', { user_id: id, user_role: role, auto_create_key: false, ...(id === 'u-bo' ? { max_budget: 40, budget_duration: '7d' } : {}) });
  }
  await admin('POST', '/team/member_add', { team_id: 't-alpha', member: [{ role: 'admin', user_id: 'u-ana' }, { role: 'user', user_id: 'u-bo' }] });
  keys.ana = await generateKey({ user_id: 'u-ana', team_id: 't-alpha', key_alias: 'ana-key', max_budget: 10, budget_duration: '30d' });
  keys.bo = await generateKey({ user_id: 'u-bo', team_id: 't-alpha' });
  keys.cy = await generateKey({ user_id: 'u-cy' });
  keys.beta = await generateKey({ team_id: 't-beta', key_alias: 'beta-service' });
  keys.viewer = await generateKey({ user_id: 'u-vic' });
  await admin('POST', '/customer/new', { user_id: 'cust-1', alias: 'Acme', max_budget: 5, budget_duration: '1mo' });

  events = generateEvents([
    { hash: keys.ana.hash, userId: 'u-ana', teamId: 't-alpha' },
    { hash: keys.bo.hash, userId: 'u-bo', teamId: 't-alpha' },
    { hash: keys.cy.hash, userId: 'u-cy' },
    { hash: keys.beta.hash, teamId: 't-beta' },
    { hash: 'master' },
  ]);
  const writer = new RequestLogWriter(prisma);
  for (let i = 0; i < events.length; i += 100) await writer.write(events.slice(i, i + 100));
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await gateway?.close();
  await db?.drop();
});

describe('GET /spend/logs', () => {
  it('pages through every log newest first, request id breaking ties, with total / page / page_size / total_pages', async () => {
    const expected = newestFirst(events);
    const first = await call('GET', '/spend/logs');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: events.length, page: 1, page_size: 50, total_pages: Math.ceil(events.length / 50) });
    expect(first.body.data.map((r: any) => r.request_id)).toEqual(expected.slice(0, 50));

    const seen: string[] = [];
    const pageSize = 7;
    const pages = Math.ceil(events.length / pageSize);
    for (let page = 1; page <= pages; page++) {
      const answer = await call('GET', `/spend/logs?page=${page}&page_size=${pageSize}`);
      expect(answer.body).toMatchObject({ total: events.length, page, page_size: pageSize, total_pages: pages });
      expect(answer.body.data.length).toBe(page < pages ? pageSize : events.length - (pages - 1) * pageSize);
      seen.push(...answer.body.data.map((r: any) => r.request_id));
    }
    expect(seen).toEqual(expected);
    const beyond = await call('GET', `/spend/logs?page=${pages + 1}&page_size=${pageSize}`);
    expect(beyond.body).toMatchObject({ data: [], total: events.length, page: pages + 1 });
    const all = await call('GET', '/spend/logs?page_size=1000');
    expect(all.body.data.map((r: any) => r.request_id)).toEqual(expected);
  });

  it("answers each log in LiteLLM's SpendLogs field names, spend as a number", async () => {
    const event = events[6];
    const answer = await call('GET', `/spend/logs?request_id=${event.callId}`);
    expect(answer.body.total).toBe(1);
    expect(answer.body.data[0]).toEqual({
      request_id: event.callId,
      call_type: 'acompletion',
      api_key: event.keyHash,
      spend: asNumber(event.pico),
      total_tokens: event.totalTokens,
      prompt_tokens: event.promptTokens,
      completion_tokens: event.completionTokens,
      startTime: new Date(event.startedAt).toISOString(),
      endTime: new Date(event.endedAt).toISOString(),
      request_duration_ms: 120,
      completionStartTime: new Date(event.startedAt + 40).toISOString(),
      model: event.upstreamModel,
      model_group: event.requestedModel,
      model_id: event.deploymentId,
      custom_llm_provider: 'fake',
      api_base: null,
      user: event.userId ?? null,
      team_id: event.teamId ?? null,
      organization_id: null,
      end_user: event.endUserId ?? null,
      request_tags: event.tags ?? [],
      status: event.status < 400 ? 'success' : 'failure',
      metadata: expect.objectContaining({ status_code: event.status, route: '/v1/chat/completions', stream: false }),
    });
    const failed = events.find((e) => e.status >= 400)!;
    const failure = (await call('GET', `/spend/logs?request_id=${failed.callId}`)).body.data[0];
    expect(failure).toMatchObject({ status: 'failure', metadata: { status_code: 500, error_information: { error_class: 'api_error', error_message: 'upstream failed' } } });
    // The caller's own x-litellm-call-id finds the log too.
    expect((await call('GET', '/spend/logs?request_id=my-own-id-7')).body.data.map((r: any) => r.request_id)).toEqual([events[7].callId]);
  });

  it('with summarize=false answers LiteLLM\'s plain list, paging in headers', async () => {
    const answer = await call('GET', '/spend/logs?summarize=false&page=2&page_size=5');
    expect(Array.isArray(answer.body)).toBe(true);
    expect(answer.body.map((r: any) => r.request_id)).toEqual(newestFirst(events).slice(5, 10));
    expect(answer.headers.get('x-total-count')).toBe(String(events.length));
    expect(answer.headers.get('x-page')).toBe('2');
    expect(answer.headers.get('x-page-size')).toBe('5');
    expect(answer.headers.get('x-total-pages')).toBe(String(Math.ceil(events.length / 5)));
  });

  it('filters by key (the key itself or its hash), user, team, model, tags and request id', async () => {
    const ids = async (query: string) => {
      const answer = await call('GET', `/spend/logs?page_size=1000&${query}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.data.map((r: any) => r.request_id);
    };
    const expectIds = async (query: string, match: (e: Event) => boolean) => {
      const expected = newestFirst(events.filter(match));
      expect(expected.length, query).toBeGreaterThan(0);
      expect(await ids(query), query).toEqual(expected);
    };
    await expectIds(`api_key=${encodeURIComponent(keys.bo.key)}`, (e) => e.keyHash === keys.bo.hash);
    await expectIds(`api_key=${keys.bo.hash}`, (e) => e.keyHash === keys.bo.hash);
    await expectIds('user_id=u-cy', (e) => e.userId === 'u-cy');
    await expectIds('team_id=t-alpha', (e) => e.teamId === 't-alpha');
    await expectIds('model=other', (e) => e.requestedModel === 'other');
    await expectIds('model=chat-model', (e) => e.requestedModel === 'gpt-fake');
    await expectIds('tags=prod', (e) => e.tags?.includes('prod') === true);
    await expectIds('tags=prod,batch', (e) => e.tags !== undefined);
    await expectIds('tag=batch&tag=prod', (e) => e.tags !== undefined);
    await expectIds('team_id=t-alpha&model=other&tag=batch', (e) => e.teamId === 't-alpha' && e.requestedModel === 'other' && e.tags?.includes('batch') === true);
    expect(await ids('user_id=nobody')).toEqual([]);
  });

  it('filters by start and end date: a plain end date includes its whole UTC day, a time includes that millisecond', async () => {
    const total = async (query: string) => (await call('GET', `/spend/logs?page_size=1&${query}`)).body.total;
    const between = (from: number, to: number) => events.filter((e) => e.startedAt >= from && e.startedAt <= to).length;
    const dayMs = 86_400_000;
    expect(await total('start_date=2026-03-01&end_date=2026-03-03')).toBe(between(DAY0, DAY0 + 3 * dayMs - 1));
    expect(await total('start_date=2026-03-01&end_date=2026-03-04')).toBe(between(DAY0, DAY0 + 4 * dayMs - 1));
    expect(await total('start_date=2026-02-28T23:59:59.999Z&end_date=2026-03-04T00:00:00Z')).toBe(events.length);
    expect(await total('end_date=2026-03-03T23:59:59.999Z')).toBe(events.length - 1);
    expect(await total('start_date=2026-03-02T00:00:00')).toBe(between(DAY0 + dayMs, Number.MAX_SAFE_INTEGER));
    expect(await total('start_date=2026-03-02T01:00:00%2B01:00&end_date=2026-03-02')).toBe(between(DAY0 + dayMs, DAY0 + 2 * dayMs - 1));
  });

  it.each([
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['page=1&page=2', 'page'],
    ['page_size=0', 'page_size'],
    ['page_size=1001', 'page_size'],
    ['start_date=2026-13-01', 'start_date'],
    ['start_date=2026-02-30', 'start_date'],
    ['end_date=yesterday', 'end_date'],
    ['end_date=2026-03-01T25:00:00Z', 'end_date'],
    ['start_date=2026-03-03&end_date=2026-03-01', 'start_date'],
    ['summarize=maybe', 'summarize'],
    ['summarize=true', 'summarize'],
    ['user_id=a&user_id=b', 'user_id'],
  ])('refuses %s with a 400 naming %s', async (query, param) => {
    const answer = await call('GET', `/spend/logs?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });
});

describe('who sees which logs', () => {
  const visible = async (key: string) => {
    const answer = await call('GET', '/spend/logs?page_size=1000', { key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.data.map((r: any) => r.request_id);
  };

  it('a proxy admin viewer sees every log', async () => {
    expect(await visible(keys.viewer.key)).toEqual(newestFirst(events));
  });

  it('an internal user sees only the requests charged to them, whatever they filter on', async () => {
    expect(await visible(keys.cy.key)).toEqual(newestFirst(events.filter((e) => e.userId === 'u-cy')));
    expect(await visible(keys.bo.key)).toEqual(newestFirst(events.filter((e) => e.userId === 'u-bo')));
    const foreign = await call('GET', '/spend/logs?user_id=u-ana', { key: keys.bo.key });
    expect(foreign.body).toMatchObject({ data: [], total: 0 });
  });

  it("a team admin sees their own requests and every request of their team's", async () => {
    expect(await visible(keys.ana.key)).toEqual(newestFirst(events.filter((e) => e.userId === 'u-ana' || e.teamId === 't-alpha')));
  });

  it('a key of no user reads no logs, and only admins and viewers read the global routes', async () => {
    expect((await call('GET', '/spend/logs', { key: keys.beta.key })).status).toBe(403);
    for (const path of ['/global/spend', `/global/spend/report?${REPORT}`]) {
      expect((await call('GET', path, { key: keys.ana.key })).status, path).toBe(403);
      expect((await call('GET', path, { key: keys.viewer.key })).status, path).toBe(200);
    }
  });
});

describe('GET /global/spend', () => {
  it("answers LiteLLM's {spend, max_budget}: every request's spend, and litellm_settings.max_budget", async () => {
    const answer = await call('GET', '/global/spend');
    expect(answer.body).toEqual({ spend: asNumber(sum(events)), max_budget: 2500.5 });
  });
});

describe('GET /global/spend/report', () => {
  it("group_by=team (the default): LiteLLM's days of teams, with the unassigned traffic, totals exact per day and model", async () => {
    const answer = await call('GET', `/global/spend/report?${REPORT}`);
    expect(answer.status).toBe(200);
    expect(answer.body.map((d: any) => d.group_by_day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    for (const day of answer.body) {
      const ofDay = events.filter((e) => e.day === day.group_by_day);
      const expectedTeams = [
        { team_id: 't-alpha', team_name: ALPHA_ALIAS, spend: sum(ofDay.filter((e) => e.teamId === 't-alpha')) },
        { team_id: 't-beta', team_name: '=Beta', spend: sum(ofDay.filter((e) => e.teamId === 't-beta')) },
        { team_id: null, team_name: 'Unassigned Team', spend: sum(ofDay.filter((e) => e.teamId === undefined)) },
      ].sort((a, b) => (b.spend > a.spend ? 1 : b.spend < a.spend ? -1 : 0));
      expect(day.teams.map((t: any) => [t.team_id, t.team_name, t.total_spend])).toEqual(expectedTeams.map((t) => [t.team_id, t.team_name, asNumber(t.spend)]));
      for (const team of day.teams) {
        const ofTeam = ofDay.filter((e) => (e.teamId ?? null) === team.team_id);
        expect(team.requests).toBe(ofTeam.length);
        expect(team.failures).toBe(ofTeam.filter((e) => e.status >= 400).length);
        expect(team.total_tokens).toBe(ofTeam.reduce((n, e) => n + e.promptTokens + e.completionTokens, 0));
        for (const entry of team.metadata) {
          const ofModel = ofTeam.filter((e) => e.requestedModel === entry.model);
          expect(entry).toMatchObject({ spend: asNumber(sum(ofModel)), requests: ofModel.length, prompt_tokens: ofModel.reduce((n, e) => n + e.promptTokens, 0) });
        }
        expect(team.metadata.map((m: any) => m.model).sort()).toEqual([...new Set(ofTeam.map((e) => e.requestedModel))].sort());
      }
    }
  });

  /** Per grouping: the CSV's id column and each event's groups in it. */
  const GROUPINGS: Array<[string, string | undefined, (e: Event) => Array<string | null>]> = [
    ['team', 'team_id', (e) => [e.teamId ?? null]],
    ['key', 'api_key', (e) => [e.keyHash]],
    ['api_key', 'api_key', (e) => [e.keyHash]],
    ['user', 'user_id', (e) => [e.userId ?? null]],
    ['customer', 'customer', (e) => [e.endUserId ?? null]],
    ['organization', 'organization_id', () => [null]],
    ['model', 'model', (e) => [e.requestedModel]],
    ['tag', 'tag', (e) => e.tags ?? []],
    ['day', undefined, () => [null]],
  ];

  it.each(GROUPINGS)('group_by=%s as CSV: one row per group and day, spend to the last picodollar', async (groupBy, idColumn, groupOf) => {
    const { response, header, rows } = await csvReport(`${REPORT}&group_by=${groupBy}&format=csv`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="spend-report-${groupBy}-2026-03-01-to-2026-03-03.csv"`);
    expect(header[0]).toBe('date');
    expect(header.slice(-7)).toEqual(['spend', 'requests', 'successes', 'failures', 'prompt_tokens', 'completion_tokens', 'total_tokens']);
    const expected = expectedTotals(groupOf);
    const got = new Map(rows.map((row) => [`${row.date}|${idColumn ? row[idColumn] : ''}`, pico(row.spend)]));
    expect(got).toEqual(expected);
    expect(rows.length).toBe(expected.size);
    // Every request has a key and at most one team, user, customer or organization: those groupings add up to the whole.
    if (groupBy !== 'tag') expect(rows.reduce((total, row) => total + pico(row.spend), 0n)).toBe(sum(events.filter(inReport)));
  });

  it('quotes CSV cells that hold commas and quotes, and defuses cells a spreadsheet would run as formulas', async () => {
    const { rows } = await csvReport(`${REPORT}&group_by=team`, { accept: 'text/csv' });
    expect(new Set(rows.map((row) => row.team_name))).toEqual(new Set([ALPHA_ALIAS, "'=Beta", 'Unassigned Team']));
    expect(rows.find((row) => row.team_id === '')?.team_name).toBe('Unassigned Team');
    const raw = await (await fetch(`${gateway.url}/global/spend/report?${REPORT}&format=csv`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).text();
    expect(raw).toContain('"Alpha ""A"", Inc."');
    // A client that takes JSON too gets JSON.
    const both = await call('GET', `/global/spend/report?${REPORT}`, { headers: { accept: 'application/json, text/csv' } });
    expect(Array.isArray(both.body)).toBe(true);
  });

  it("group_by=api_key keeps LiteLLM's per-key shape over the whole range, largest first", async () => {
    const answer = await call('GET', `/global/spend/report?${REPORT}&group_by=api_key`);
    const ofRange = events.filter(inReport);
    const hashes = [...new Set(ofRange.map((e) => e.keyHash))];
    const expected = hashes
      .map((hash) => ({ hash, spend: sum(ofRange.filter((e) => e.keyHash === hash)) }))
      .sort((a, b) => (b.spend > a.spend ? 1 : b.spend < a.spend ? -1 : 0));
    expect(answer.body.map((k: any) => [k.api_key, k.total_cost])).toEqual(expected.map((k) => [k.hash, asNumber(k.spend)]));
    const ana = answer.body.find((k: any) => k.api_key === keys.ana.hash);
    expect(ana).toMatchObject({ key_alias: 'ana-key', total_input_tokens: ofRange.filter((e) => e.keyHash === keys.ana.hash).reduce((n, e) => n + e.promptTokens, 0) });
    expect(ana.model_details.map((m: any) => m.model).sort()).toEqual(['gpt-fake', 'other']);
  });

  it('group_by=key, user, customer, model, tag and day answer documented day shapes', async () => {
    const shape = async (groupBy: string) => (await call('GET', `/global/spend/report?${REPORT}&group_by=${groupBy}`)).body;
    const [keyDays, userDays, customerDays, modelDays, tagDays, days] = await Promise.all(['key', 'user', 'customer', 'model', 'tag', 'day'].map(shape));
    expect(keyDays[0].keys.find((k: any) => k.api_key === keys.beta.hash)).toMatchObject({ key_alias: 'beta-service', metadata: expect.any(Array) });
    expect(userDays[0].users.find((u: any) => u.user_id === null)).toBeDefined();
    expect(customerDays[0].customers.find((c: any) => c.customer === 'cust-1')).toMatchObject({ customer_alias: 'Acme' });
    expect(modelDays[0].models[0]).not.toHaveProperty('metadata');
    expect(tagDays[0].tags.map((t: any) => t.tag).sort()).toEqual(['batch', 'prod']);
    expect(days.map((d: any) => [d.group_by_day, d.total_spend, d.requests])).toEqual(
      ['2026-03-01', '2026-03-02', '2026-03-03'].map((day) => {
        const ofDay = events.filter((e) => e.day === day);
        return [day, asNumber(sum(ofDay)), ofDay.length];
      }),
    );
  });

  it('an empty range answers an empty list, and a CSV of just the header', async () => {
    expect((await call('GET', '/global/spend/report?start_date=2025-01-01&end_date=2025-01-31')).body).toEqual([]);
    const { rows, header } = await csvReport('start_date=2025-01-01&end_date=2025-01-31&group_by=day&format=csv');
    expect(rows).toEqual([]);
    expect(header).toEqual(['date', 'spend', 'requests', 'successes', 'failures', 'prompt_tokens', 'completion_tokens', 'total_tokens']);
  });

  it.each([
    ['end_date=2026-03-03', 'start_date'],
    ['start_date=2026-03-01', 'end_date'],
    ['start_date=2026-03-01T00:00:00Z&end_date=2026-03-03', 'start_date'],
    ['start_date=2026-03-01&end_date=2026-02-31', 'end_date'],
    ['start_date=2026-03-04&end_date=2026-03-01', 'start_date'],
    [`${REPORT}&group_by=provider`, 'group_by'],
    [`${REPORT}&format=xml`, 'format'],
    [`${REPORT}&api_key=sk-123`, 'api_key'],
    [`${REPORT}&team_id=t-alpha`, 'team_id'],
  ])('refuses %s with a 400 naming %s', async (query, param) => {
    const answer = await call('GET', `/global/spend/report?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });
});

describe('spend figures on /key/info, /team/info, /user/info and /customer/info', () => {
  const perModel = (match: (e: Event) => boolean) => {
    const totals: Record<string, number> = {};
    for (const model of ['gpt-fake', 'other']) {
      const ofModel = events.filter((e) => match(e) && e.requestedModel === model);
      if (ofModel.length > 0) totals[model] = asNumber(sum(ofModel));
    }
    return totals;
  };

  it('each carries its spend, max_budget and budget_reset_at; keys, teams and users their spend per model', async () => {
    const key = (await call('GET', `/key/info?key=${keys.ana.hash}`)).body.info;
    expect(key).toMatchObject({ spend: asNumber(sum(events.filter((e) => e.keyHash === keys.ana.hash))), max_budget: 10 });
    expect(key.budget_reset_at).toEqual(expect.any(String));
    expect(key.model_spend).toEqual(perModel((e) => e.keyHash === keys.ana.hash));

    const team = (await call('GET', '/team/info?team_id=t-alpha')).body.team_info;
    expect(team).toMatchObject({ spend: asNumber(sum(events.filter((e) => e.teamId === 't-alpha'))), max_budget: 900 });
    expect(team.budget_reset_at).toEqual(expect.any(String));
    expect(team.model_spend).toEqual(perModel((e) => e.teamId === 't-alpha'));

    const user = (await call('GET', '/user/info?user_id=u-bo')).body.user_info;
    expect(user).toMatchObject({ spend: asNumber(sum(events.filter((e) => e.userId === 'u-bo'))), max_budget: 40 });
    expect(user.budget_reset_at).toEqual(expect.any(String));
    expect(user.model_spend).toEqual(perModel((e) => e.userId === 'u-bo'));

    const customer = (await call('GET', '/customer/info?end_user_id=cust-1')).body;
    expect(customer).toMatchObject({ spend: asNumber(sum(events.filter((e) => e.endUserId === 'cust-1'))), max_budget: 5 });
    expect(customer.budget_reset_at).toEqual(customer.litellm_budget_table.budget_reset_at);
    expect(customer.budget_reset_at).toEqual(expect.any(String));
    const unbudgeted = (await call('GET', '/customer/info?end_user_id=cust-2')).body;
    expect(unbudgeted).toMatchObject({ spend: asNumber(sum(events.filter((e) => e.endUserId === 'cust-2'))), max_budget: null, budget_reset_at: null });
  });

  it('a key without traffic has an empty model_spend', async () => {
    const quiet = await generateKey({ user_id: 'u-cy' });
    expect((await call('GET', `/key/info?key=${quiet.hash}`)).body.info).toMatchObject({ spend: 0, model_spend: {} });
  });
});

describe('a real request through the gateway', () => {
  it('shows up in /spend/logs under its x-litellm-call-id, charged to the caller', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.ana.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }], metadata: { tags: ['live'] } }),
    });
    expect(response.status).toBe(200);
    const callId = response.headers.get('x-litellm-call-id')!;
    const log = await eventually(async () => (await call('GET', `/spend/logs?request_id=${callId}`, { key: keys.ana.key })).body.data[0], 10_000, 'the request log');
    expect(log).toMatchObject({ request_id: callId, api_key: keys.ana.hash, model_group: 'gpt-fake', user: 'u-ana', team_id: 't-alpha', status: 'success' });
    expect(log.request_tags).toContain('live');
    expect((await call('GET', `/spend/logs?request_id=${callId}`, { key: keys.cy.key })).body.total).toBe(0);
  });
});
