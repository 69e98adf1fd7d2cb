import type { RequestLogRow } from './request-log-writer';

/** The batch insert's columns, their SQL types and each one's value in a row. */
export const REQUEST_LOG_COLUMNS: Array<[column: string, sqlType: string, value: (row: RequestLogRow) => unknown]> = [
  ['call_id', 'text', (r) => r.callId],
  ['client_call_id', 'text', (r) => r.clientCallId],
  // A Date becomes its ISO string in JSON: exact to the millisecond, which timestamptz reads back as it is.
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
  // A decimal string, read by numeric's own input: no amount passes through a float.
  ['spend', 'numeric', (r) => r.spend],
  ['latency_ms', 'int4', (r) => r.latencyMs],
  ['ttft_ms', 'int4', (r) => r.ttftMs],
  ['error_type', 'text', (r) => r.errorType],
  ['error_message', 'text', (r) => r.errorMessage],
  ['user_id', 'text', (r) => r.userId],
  ['team_id', 'text', (r) => r.teamId],
  ['organization_id', 'text', (r) => r.organizationId],
  ['end_user_id', 'text', (r) => r.endUserId],
  // Travels as a JSON array of strings (or null).
  ['tags', 'text[]', (r) => r.tags],
];

/**
 * The statement's one parameter: the whole batch as a JSON array of rows, each row an array of its values
 * in column order. One string built by JSON.stringify replaces an array parameter per column, which
 * Prisma's raw-query path serialised and the driver turned into array literals value by value (about half
 * the worker's CPU per row). Rows as arrays carry no property names, and PostgreSQL reads a value of a
 * parsed jsonb array by its position.
 */
export function batchParameters(rows: RequestLogRow[]): [string] {
  const values = new Array<unknown[]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = new Array<unknown>(REQUEST_LOG_COLUMNS.length);
    for (let c = 0; c < REQUEST_LOG_COLUMNS.length; c++) row[c] = REQUEST_LOG_COLUMNS[c][2](rows[r]);
    values[r] = row;
  }
  return [JSON.stringify(values)];
}

const quoted = REQUEST_LOG_COLUMNS.map(([c]) => `"${c}"`);
/** Each column read from its position in a row `e` of the input; JSON null becomes SQL NULL either way. */
const fromInput = REQUEST_LOG_COLUMNS.map(([c, type], i) =>
  type === 'text[]'
    ? `CASE WHEN jsonb_typeof(e->${i}) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(e->${i})) END AS "${c}"`
    : `(e->>${i})::${type} AS "${c}"`,
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
 * One statement text for every batch size (the rows travel as one JSON array that PostgreSQL turns back
 * into typed rows), so PostgreSQL and the driver reuse the plan. Every total is computed from `inserted`,
 * the rows this statement actually added, which is what makes a replayed batch add nothing. Totals are
 * grouped before they are applied: an UPDATE applies one source row per target, and an upsert may touch a
 * row once. All arithmetic is NUMERIC in PostgreSQL; no amount passes through a float.
 */
export const WRITE_BATCH_SQL = `WITH "input" AS (
  SELECT ${fromInput.join(', ')} FROM jsonb_array_elements($1::jsonb) AS e
), "inserted" AS (
  INSERT INTO "request_logs" (${quoted.join(', ')})
  SELECT ${quoted.join(', ')} FROM "input"
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
