import type { RequestLogEvent } from '@tollgate/request-log';
import type { Client } from 'pg';

/** Exact USD amounts in the test are BigInt picodollars (the 12 decimals the database keeps). */
export const PICO = 10n ** 12n;

export function usd(picodollars: bigint): string {
  return `${picodollars / PICO}.${(picodollars % PICO).toString().padStart(12, '0')}`;
}

/** A NUMERIC total as PostgreSQL prints it (null for an empty sum) in picodollars. */
export function picodollars(total: string | null): bigint {
  if (total === null) return 0n;
  const [whole, fraction = ''] = total.split('.');
  return BigInt(whole) * PICO + BigInt(fraction.padEnd(12, '0').slice(0, 12));
}

export const ORGS = ['org-1', 'org-2'];
export const TEAMS = [
  { id: 'team-1', org: 'org-1' },
  { id: 'team-2', org: 'org-1' },
  { id: 'team-3', org: 'org-2' },
];
export const KEYS = Array.from({ length: 6 }, (_, i) => ({ hash: `key-${i}`, user: `user-${i % 4}`, team: TEAMS[i % 3] }));
const MODELS = ['gpt-4o', 'claude-sonnet', 'gemini-flash'];
const TAGS = ['prod', 'batch', 'eval'];
const END_USERS = ['customer-1', 'customer-2', 'customer-3'];

/** Creates the organizations, teams, users, memberships and keys the generated events are charged to. */
export async function seedTenants(pg: Client): Promise<void> {
  for (const org of ORGS) await pg.query(`INSERT INTO organizations (organization_id, organization_alias) VALUES ($1, $1)`, [org]);
  for (const team of TEAMS) await pg.query(`INSERT INTO teams (team_id, organization_id) VALUES ($1, $2)`, [team.id, team.org]);
  for (let i = 0; i < 4; i++) await pg.query(`INSERT INTO users (user_id) VALUES ($1)`, [`user-${i}`]);
  for (const key of KEYS) {
    await pg.query(`INSERT INTO team_members (user_id, team_id, role) VALUES ($1, $2, 'user') ON CONFLICT DO NOTHING`, [key.user, key.team.id]);
    await pg.query(`INSERT INTO virtual_keys (token, key_name, user_id, team_id, organization_id) VALUES ($1, $1, $2, $3, $4)`, [
      key.hash,
      key.user,
      key.team.id,
      key.team.org,
    ]);
  }
}

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

/** Events spread over keys, models, tags, end users and three UTC days, each with a random exact spend. */
export function generateEvents(count: number, seed: number, callIdPrefix = 'call'): Array<RequestLogEvent & { pico: bigint }> {
  const next = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const day0 = Date.UTC(2026, 10, 20, 22, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const key = pick(KEYS);
    // Up to about 0.05 USD with all 12 decimals used.
    const pico = BigInt(Math.floor(next() * 5e7)) * 1000n + BigInt(Math.floor(next() * 1000));
    const startedAt = day0 + Math.floor(next() * 3 * 86_400_000);
    const tags = TAGS.filter(() => next() < 0.4);
    const failed = next() < 0.1;
    return {
      callId: `${callIdPrefix}-${i}`,
      startedAt,
      endedAt: startedAt + 100,
      keyHash: key.hash,
      userId: key.user,
      teamId: key.team.id,
      organizationId: key.team.org,
      endUserId: next() < 0.5 ? pick(END_USERS) : undefined,
      tags: tags.length > 0 ? tags : undefined,
      requestedModel: pick(MODELS),
      route: '/v1/chat/completions',
      stream: false,
      status: failed ? 500 : 200,
      promptTokens: Math.floor(next() * 1000),
      completionTokens: Math.floor(next() * 500),
      totalTokens: 0,
      spend: usd(pico),
      latencyMs: 100,
      pico,
    };
  });
}

export interface SpendTotals {
  rows: number;
  distinctCallIds: number;
  logs: bigint;
  keys: bigint;
  users: bigint;
  teams: bigint;
  organizations: bigint;
  endUsers: bigint;
  teamMembers: bigint;
  daily: Record<string, { spend: bigint; requests: number; successes: number; failures: number }>;
  dailyTags: Record<string, bigint>;
}

/** Every total the spend pipeline maintains, read back from the database. */
export async function readTotals(pg: Client): Promise<SpendTotals> {
  const one = async (sql: string) => picodollars((await pg.query<{ s: string | null }>(sql)).rows[0].s);
  const counts = await pg.query<{ n: string; d: string }>('SELECT count(*) AS n, count(DISTINCT call_id) AS d FROM request_logs');
  const daily = await pg.query<{ entity_type: string; s: string; r: string; ok: string; ko: string }>(
    `SELECT entity_type, sum(spend)::text AS s, sum(requests) AS r, sum(successes) AS ok, sum(failures) AS ko FROM daily_spend GROUP BY 1`,
  );
  const tags = await pg.query<{ entity_id: string; s: string }>(`SELECT entity_id, sum(spend)::text AS s FROM daily_spend WHERE entity_type = 'tag' GROUP BY 1`);
  return {
    rows: Number(counts.rows[0].n),
    distinctCallIds: Number(counts.rows[0].d),
    logs: await one('SELECT sum(spend)::text AS s FROM request_logs'),
    keys: await one('SELECT sum(spend)::text AS s FROM virtual_keys'),
    users: await one('SELECT sum(spend)::text AS s FROM users'),
    teams: await one('SELECT sum(spend)::text AS s FROM teams'),
    organizations: await one('SELECT sum(spend)::text AS s FROM organizations'),
    endUsers: await one('SELECT sum(spend)::text AS s FROM end_users'),
    teamMembers: await one('SELECT sum(spend)::text AS s FROM team_members'),
    daily: Object.fromEntries(
      daily.rows.map((r) => [r.entity_type, { spend: picodollars(r.s), requests: Number(r.r), successes: Number(r.ok), failures: Number(r.ko) }]),
    ),
    dailyTags: Object.fromEntries(tags.rows.map((r) => [r.entity_id, picodollars(r.s)])),
  };
}
