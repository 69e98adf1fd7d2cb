import type { RequestLogRow } from './request-log-writer';

/** Column order of the batch insert; each becomes one array parameter. */
export const REQUEST_LOG_COLUMNS: Array<[column: string, sqlType: string, value: (row: RequestLogRow) => unknown]> = [
  ['call_id', 'text', (r) => r.callId],
  ['client_call_id', 'text', (r) => r.clientCallId],
  ['started_at', 'timestamptz', (r) => r.startedAt],
  ['ended_at', 'timestamptz', (r) => r.endedAt],
  ['key_hash', 'text', (r) => r.keyHash],
  ['requested_model', 'text', (r) => r.requestedModel],
  ['deployment_id', 'text', (r) => r.deploymentId],
  ['provider', 'text', (r) => r.provider],
  ['upstream_model', 'text', (r) => r.upstreamModel],
  ['api_base', 'text', (r) => r.apiBase],
  ['route', 'text', (r) => r.route],
  ['stream', 'boolean', (r) => r.stream],
  ['status', 'int4', (r) => r.status],
  ['prompt_tokens', 'int4', (r) => r.promptTokens],
  ['completion_tokens', 'int4', (r) => r.completionTokens],
  ['total_tokens', 'int4', (r) => r.totalTokens],
  ['spend', 'numeric', (r) => r.spend],
  ['latency_ms', 'int4', (r) => r.latencyMs],
  ['ttft_ms', 'int4', (r) => r.ttftMs],
  ['error_type', 'text', (r) => r.errorType],
  ['error_message', 'text', (r) => r.errorMessage],
  ['user_id', 'text', (r) => r.userId],
  ['team_id', 'text', (r) => r.teamId],
  ['organization_id', 'text', (r) => r.organizationId],
  ['end_user_id', 'text', (r) => r.endUserId],
  // Each row's tag list travels as JSON text: a text[][] parameter cannot hold lists of different lengths.
  ['tags', 'text', (r) => (r.tags ? JSON.stringify(r.tags) : null)],
];

/** The statement's parameters for a batch: one array per column, lined up row by row. */
export function batchParameters(rows: RequestLogRow[]): unknown[][] {
  return REQUEST_LOG_COLUMNS.map(([, , value]) => rows.map(value));
}

const quoted = REQUEST_LOG_COLUMNS.map(([c]) => `"${c}"`);
const selected = REQUEST_LOG_COLUMNS.map(([c]) =>
  c === 'tags' ? `CASE WHEN i."tags" IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(i."tags"::jsonb)) END` : `i."${c}"`,
);

/** Adds each group's spend to the rows of `table` whose `idColumn` matches (unknown ids add nothing). */
const addSpend = (name: string, table: string, idColumn: string, from: string) => `"${name}" AS (
  UPDATE "${table}" AS t SET "spend" = t."spend" + s."spend"
  FROM (SELECT "${from}" AS "id", sum("spend") AS "spend" FROM "inserted" WHERE "${from}" IS NOT NULL GROUP BY 1) AS s
  WHERE t."${idColumn}" = s."id"
)`;

/** One row per (entity, request) for the daily aggregates. */
const attribute = (entityType: string, idColumn: string) =>
  `SELECT '${entityType}' AS "entity_type", "${idColumn}" AS "entity_id", "started_at", "requested_model", "status", "prompt_tokens", "completion_tokens", "spend"
   FROM "inserted" WHERE "${idColumn}" IS NOT NULL`;

/*
 * One statement text for every batch size: each column travels as one array and `unnest` turns them back
 * into rows, so PostgreSQL and the driver reuse the plan. Every total is computed from `inserted`, the rows
 * this statement actually added, which is what makes a replayed batch add nothing. Totals are grouped
 * before they are applied: an UPDATE applies one source row per target, and an upsert may touch a row
 * once. All arithmetic is NUMERIC in PostgreSQL; no amount passes through a float.
 */
export const WRITE_BATCH_SQL = `WITH "input" AS (
  SELECT * FROM unnest(${REQUEST_LOG_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS i(${quoted.join(', ')})
), "inserted" AS (
  INSERT INTO "request_logs" (${quoted.join(', ')})
  SELECT ${selected.join(', ')} FROM "input" AS i
  ON CONFLICT ("call_id") DO NOTHING
  RETURNING "key_hash", "user_id", "team_id", "organization_id", "end_user_id", "tags", "started_at", "requested_model", "status", "prompt_tokens", "completion_tokens", "spend"
),
${addSpend('key_spend', 'virtual_keys', 'token', 'key_hash')},
${addSpend('user_spend', 'users', 'user_id', 'user_id')},
${addSpend('team_spend', 'teams', 'team_id', 'team_id')},
${addSpend('organization_spend', 'organizations', 'organization_id', 'organization_id')},
"member_spend" AS (
  UPDATE "team_members" AS t SET "spend" = t."spend" + s."spend"
  FROM (SELECT "user_id", "team_id", sum("spend") AS "spend" FROM "inserted"
        WHERE "user_id" IS NOT NULL AND "team_id" IS NOT NULL GROUP BY 1, 2) AS s
  WHERE t."user_id" = s."user_id" AND t."team_id" = s."team_id"
), "end_user_spend" AS (
  INSERT INTO "end_users" ("end_user_id", "spend")
  SELECT "end_user_id", sum("spend") FROM "inserted" WHERE "end_user_id" IS NOT NULL GROUP BY 1 ORDER BY 1
  ON CONFLICT ("end_user_id") DO UPDATE SET "spend" = "end_users"."spend" + EXCLUDED."spend"
), "attributed" AS (
  ${attribute('key', 'key_hash')}
  UNION ALL ${attribute('user', 'user_id')}
  UNION ALL ${attribute('team', 'team_id')}
  UNION ALL ${attribute('organization', 'organization_id')}
  UNION ALL ${attribute('end_user', 'end_user_id')}
  UNION ALL SELECT 'tag', g."tag", r."started_at", r."requested_model", r."status", r."prompt_tokens", r."completion_tokens", r."spend"
  FROM "inserted" AS r CROSS JOIN LATERAL unnest(r."tags") AS g("tag")
), "daily" AS (
  INSERT INTO "daily_spend" ("date", "entity_type", "entity_id", "model", "requests", "successes", "failures", "prompt_tokens", "completion_tokens", "spend")
  SELECT ("started_at" AT TIME ZONE 'UTC')::date, "entity_type", "entity_id", "requested_model", count(*),
         count(*) FILTER (WHERE "status" < 400), count(*) FILTER (WHERE "status" >= 400),
         sum("prompt_tokens"), sum("completion_tokens"), sum("spend")
  FROM "attributed" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("date", "entity_type", "entity_id", "model") DO UPDATE SET
    "requests" = "daily_spend"."requests" + EXCLUDED."requests",
    "successes" = "daily_spend"."successes" + EXCLUDED."successes",
    "failures" = "daily_spend"."failures" + EXCLUDED."failures",
    "prompt_tokens" = "daily_spend"."prompt_tokens" + EXCLUDED."prompt_tokens",
    "completion_tokens" = "daily_spend"."completion_tokens" + EXCLUDED."completion_tokens",
    "spend" = "daily_spend"."spend" + EXCLUDED."spend"
)
SELECT count(*)::int AS "inserted" FROM "inserted"`;
