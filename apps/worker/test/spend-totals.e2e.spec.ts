import { createPrismaClient } from '@tollgate/database';
import { RequestLogWriter } from '@tollgate/request-log';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvents, picodollars, readTotals, seedTenants, type SpendTotals } from './support/spend-fixture';

type Prisma = ReturnType<typeof createPrismaClient>;

/**
 * The spend pipeline's promise to finance: every total (key, user, team, organization, end user, team
 * member, daily aggregates per entity) equals the sum of the logged requests to the last picodollar, and a
 * batch written twice counts once.
 */
describe('spend totals written with the request logs', () => {
  let db: TestDatabase;
  let pg: Client;
  let prisma: Prisma;
  let writer: RequestLogWriter;
  const events = generateEvents(10_000, 20261123);
  const batches = Array.from({ length: events.length / 500 }, (_, i) => events.slice(i * 500, (i + 1) * 500));
  const exact = (filter: (event: (typeof events)[number]) => boolean = () => true) =>
    events.filter(filter).reduce((sum, event) => sum + event.pico, 0n);

  beforeAll(async () => {
    db = await createTestDatabase('spend_totals');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await seedTenants(pg);
    prisma = createPrismaClient(db.url, 8);
    writer = new RequestLogWriter(prisma);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await pg?.end();
    await db?.drop();
  });

  it('10,000 events in batches of 500: logs, keys, users, teams, organizations and daily aggregates agree exactly', async () => {
    // Four batches at a time, as a worker with several batches in flight writes them.
    let written = 0;
    for (let i = 0; i < batches.length; i += 4) {
      const counts = await Promise.all(batches.slice(i, i + 4).map((batch) => writer.write(batch)));
      written += counts.reduce((a, b) => a + b, 0);
    }
    expect(written).toBe(10_000);

    const expected = exact();
    const totals = await readTotals(pg);
    expect(totals.rows).toBe(10_000);
    expect(totals.distinctCallIds).toBe(10_000);
    expect(totals.logs).toBe(expected);
    expect(totals.keys).toBe(expected);
    expect(totals.users).toBe(expected);
    expect(totals.teams).toBe(expected);
    expect(totals.organizations).toBe(expected);
    expect(totals.teamMembers).toBe(expected);
    expect(totals.endUsers).toBe(exact((e) => e.endUserId !== undefined));
    for (const entity of ['key', 'user', 'team', 'organization']) {
      expect(totals.daily[entity], entity).toEqual({
        spend: expected,
        requests: 10_000,
        successes: events.filter((e) => e.status < 400).length,
        failures: events.filter((e) => e.status >= 400).length,
      });
    }
    expect(totals.daily.end_user.spend).toBe(exact((e) => e.endUserId !== undefined));
    for (const tag of ['prod', 'batch', 'eval']) expect(totals.dailyTags[tag], tag).toBe(exact((e) => e.tags?.includes(tag) === true));
  });

  it('keeps one daily row per UTC day, entity and model, with exact per-row figures', async () => {
    const { rows } = await pg.query<{ date: string; entity_id: string; model: string; spend: string; requests: string; prompt: string }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, entity_id, model, spend::text AS spend, requests::text AS requests, prompt_tokens::text AS prompt
         FROM daily_spend WHERE entity_type = 'key' ORDER BY 1, 2, 3`,
    );
    const byRow = new Map<string, { spend: bigint; requests: number; prompt: number }>();
    for (const e of events) {
      const id = `${new Date(e.startedAt).toISOString().slice(0, 10)}|${e.keyHash}|${e.requestedModel}`;
      const row = byRow.get(id) ?? { spend: 0n, requests: 0, prompt: 0 };
      byRow.set(id, { spend: row.spend + e.pico, requests: row.requests + 1, prompt: row.prompt + e.promptTokens });
    }
    expect(rows).toHaveLength(byRow.size);
    for (const row of rows) {
      const expected = byRow.get(`${row.date}|${row.entity_id}|${row.model}`);
      expect(expected, `${row.date} ${row.entity_id} ${row.model}`).toBeDefined();
      expect({ spend: picodollars(row.spend), requests: Number(row.requests), prompt: Number(row.prompt) }).toEqual(expected);
    }
  });

  it('writing the same batch again adds nothing anywhere', async () => {
    const before: SpendTotals = await readTotals(pg);
    expect(await writer.write(batches[3])).toBe(0);
    // A batch that mixes replayed and new events counts only the new ones.
    const fresh = generateEvents(3, 7, 'late');
    expect(await writer.write([...batches[7].slice(0, 10), ...fresh, fresh[0]])).toBe(3);
    const after = await readTotals(pg);
    const added = fresh.reduce((sum, e) => sum + e.pico, 0n);
    expect(after.rows).toBe(before.rows + 3);
    expect(after.logs).toBe(before.logs + added);
    expect(after.keys).toBe(before.keys + added);
    expect(after.teams).toBe(before.teams + added);
    expect(after.daily.key.spend).toBe(before.daily.key.spend + added);
    expect(after.daily.key.requests).toBe(before.daily.key.requests + 3);

    expect(await writer.write([...batches[0], ...fresh])).toBe(0);
    expect(await readTotals(pg)).toEqual(after);
  });

  it('creates end users it has not seen, as LiteLLM does', async () => {
    const { rows } = await pg.query<{ end_user_id: string }>('SELECT end_user_id FROM end_users ORDER BY 1');
    expect(rows.map((r) => r.end_user_id)).toEqual(['customer-1', 'customer-2', 'customer-3']);
  });

  it('stores who each request is charged to on its log row', async () => {
    const tagged = events.find((e) => e.tags && e.tags.length > 1 && e.endUserId)!;
    const { rows } = await pg.query('SELECT user_id, team_id, organization_id, end_user_id, tags FROM request_logs WHERE call_id = $1', [tagged.callId]);
    expect(rows[0]).toEqual({
      user_id: tagged.userId,
      team_id: tagged.teamId,
      organization_id: tagged.organizationId,
      end_user_id: tagged.endUserId,
      tags: tagged.tags,
    });
    const untagged = events.find((e) => !e.tags && !e.endUserId)!;
    const { rows: plain } = await pg.query('SELECT end_user_id, tags FROM request_logs WHERE call_id = $1', [untagged.callId]);
    expect(plain[0]).toEqual({ end_user_id: null, tags: null });
  });
});
