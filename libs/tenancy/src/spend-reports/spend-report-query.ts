import type { PrismaClient } from '@tollgate/database';

/** What `GET /global/spend/report` can group by. `key` and `api_key` group alike; they differ in shape (see the shaper). */
export const REPORT_GROUPS = ['team', 'key', 'api_key', 'user', 'customer', 'organization', 'model', 'tag', 'day'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

/**
 * Where a grouping's figures live in `daily_spend`. Every request has a key, so the `key` rows hold the
 * whole traffic: grouping by model or by day reads them, and the traffic without a team (user, customer,
 * organization) is the key rows minus that entity's rows, reported as one unassigned group. Tags are not
 * exclusive (a request may carry several, or none), so they have no unassigned remainder.
 */
interface Dimension {
  entityType: 'key' | 'user' | 'team' | 'organization' | 'end_user' | 'tag';
  groupBy: 'entity' | 'model' | 'nothing';
  unassigned: boolean;
}

const DIMENSIONS: Record<ReportGroup, Dimension> = {
  team: { entityType: 'team', groupBy: 'entity', unassigned: true },
  user: { entityType: 'user', groupBy: 'entity', unassigned: true },
  customer: { entityType: 'end_user', groupBy: 'entity', unassigned: true },
  organization: { entityType: 'organization', groupBy: 'entity', unassigned: true },
  key: { entityType: 'key', groupBy: 'entity', unassigned: false },
  api_key: { entityType: 'key', groupBy: 'entity', unassigned: false },
  tag: { entityType: 'tag', groupBy: 'entity', unassigned: false },
  model: { entityType: 'key', groupBy: 'model', unassigned: false },
  day: { entityType: 'key', groupBy: 'nothing', unassigned: false },
};

/** Totals of one cell; `spend` is the exact decimal as PostgreSQL summed it. */
export interface SpendFigures {
  spend: string;
  requests: number;
  successes: number;
  failures: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One group on one day (or over the whole range), with its total and its per-model breakdown. */
export interface ReportBucket {
  /** YYYY-MM-DD, or null when the report is not split by day. */
  day: string | null;
  /** The group's id (team id, key hash, model, ...); null for the unassigned group and for `day`. */
  groupId: string | null;
  total: SpendFigures;
  models: Array<SpendFigures & { model: string }>;
}

interface CellRow {
  day: string | null;
  group_id: string | null;
  model: string | null;
  is_total: boolean;
  spend: string;
  requests: string;
  successes: string;
  failures: string;
  prompt_tokens: string;
  completion_tokens: string;
}

const SUMS = `sum("requests") AS "requests", sum("successes") AS "successes", sum("failures") AS "failures",
  sum("prompt_tokens") AS "prompt_tokens", sum("completion_tokens") AS "completion_tokens", sum("spend") AS "spend"`;
const IN_RANGE = `"date" BETWEEN $2::date AND $3::date`;

/** The unassigned remainder per day and model: all traffic (key rows) minus the entity's rows. */
const UNASSIGNED = `
  UNION ALL
  SELECT "date", NULL::text, "model",
         k."requests" - coalesce(g."requests", 0), k."successes" - coalesce(g."successes", 0), k."failures" - coalesce(g."failures", 0),
         k."prompt_tokens" - coalesce(g."prompt_tokens", 0), k."completion_tokens" - coalesce(g."completion_tokens", 0),
         k."spend" - coalesce(g."spend", 0)
  FROM (SELECT "date", "model", ${SUMS} FROM "daily_spend" WHERE "entity_type" = 'key' AND ${IN_RANGE} GROUP BY 1, 2) AS k
  LEFT JOIN (SELECT "date", "model", ${SUMS} FROM "daily_spend" WHERE "entity_type" = $1 AND ${IN_RANGE} GROUP BY 1, 2) AS g USING ("date", "model")
  WHERE k."requests" <> coalesce(g."requests", 0) OR k."spend" <> coalesce(g."spend", 0)`;

/**
 * Per (day, group, model) and per (day, group), summed in PostgreSQL NUMERIC (grouping sets), ordered by
 * day, then the group's total spend (largest first), then group id; each group's total row comes before its
 * model rows. (ORDER BY names the summed NUMERIC column explicitly: a bare "spend" would be the text output.) Without `byDay` the whole range is one bucket per group.
 */
function reportSql(dimension: Dimension, byDay: boolean): string {
  const groupExpr = { entity: '"entity_id"', model: '"model"', nothing: 'NULL::text' }[dimension.groupBy];
  const day = byDay ? '"date", ' : '';
  return `WITH "cells" AS (
  SELECT "date", ${groupExpr} AS "group_id", "model", "requests", "successes", "failures", "prompt_tokens", "completion_tokens", "spend"
  FROM "daily_spend" WHERE "entity_type" = $1 AND ${IN_RANGE}${dimension.unassigned ? UNASSIGNED : ''}
), "grouped" AS (
  SELECT ${byDay ? `to_char("date", 'YYYY-MM-DD')` : 'NULL::text'} AS "day", "group_id", "model", GROUPING("model") = 1 AS "is_total", ${SUMS}
  FROM "cells" GROUP BY GROUPING SETS ((${day}"group_id", "model"), (${day}"group_id"))
)
SELECT "day", "group_id", "model", "is_total", "spend"::text AS "spend", "requests"::text AS "requests",
       "successes"::text AS "successes", "failures"::text AS "failures",
       "prompt_tokens"::text AS "prompt_tokens", "completion_tokens"::text AS "completion_tokens"
FROM "grouped"
ORDER BY "day", max("spend") FILTER (WHERE "is_total") OVER (PARTITION BY "day", "group_id") DESC,
         "group_id" NULLS LAST, "is_total" DESC, "grouped"."spend" DESC, "model"`;
}

function figures(row: CellRow): SpendFigures {
  const prompt = Number(row.prompt_tokens);
  const completion = Number(row.completion_tokens);
  return {
    spend: row.spend,
    requests: Number(row.requests),
    successes: Number(row.successes),
    failures: Number(row.failures),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** The report's buckets from the daily aggregates, for UTC days `first`..`last` (both included). */
export async function readReportBuckets(db: PrismaClient, group: ReportGroup, first: string, last: string, byDay: boolean): Promise<ReportBucket[]> {
  const dimension = DIMENSIONS[group];
  const rows = await db.$queryRawUnsafe<CellRow[]>(reportSql(dimension, byDay), dimension.entityType, first, last);
  const buckets: ReportBucket[] = [];
  for (const row of rows) {
    if (row.is_total) buckets.push({ day: row.day, groupId: row.group_id, total: figures(row), models: [] });
    else buckets[buckets.length - 1].models.push({ model: row.model as string, ...figures(row) });
  }
  return buckets;
}
