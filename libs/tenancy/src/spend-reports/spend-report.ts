import { badRequest } from '@tollgate/common';
import type { PrismaClient } from '@tollgate/database';
import { groupDisplayNames } from './report-group-names';
import { dayRange } from './spend-dates';
import { reportCsv } from './spend-report-csv';
import { reportJson } from './spend-report-json';
import { readReportBuckets, REPORT_GROUPS, type ReportGroup } from './spend-report-query';

/** Parameters of GET /global/spend/report (LiteLLM's names). */
export interface SpendReportQuery {
  /** UTC days, YYYY-MM-DD, both required and both included. */
  start_date?: string;
  end_date?: string;
  /** Default `team`, as in LiteLLM. */
  group_by?: string;
  /** `json` (default) or `csv`; without it, `Accept: text/csv` asks for CSV. */
  format?: string;
  /** LiteLLM's filters of this report; not served, and refused rather than ignored (the totals would be everyone's). */
  api_key?: string;
  internal_user_id?: string;
  team_id?: string;
  customer_id?: string;
}

const UNSERVED_FILTERS = ['api_key', 'internal_user_id', 'team_id', 'customer_id'] as const;

export type SpendReportAnswer =
  | { format: 'json'; body: Array<Record<string, unknown>> }
  | { format: 'csv'; body: string; filename: string };

/**
 * The answer's format: `format` when sent (json or csv), else CSV when the Accept header names text/csv and
 * not application/json (a client that takes both gets JSON, the default).
 */
export function reportFormat(format: string | undefined, accept: string | undefined): 'json' | 'csv' {
  if (format !== undefined) {
    if (format === 'json' || format === 'csv') return format;
    throw badRequest(`"format" must be "json" or "csv"; got "${format}".`, 'format');
  }
  const mediaTypes = (accept ?? '').split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  return mediaTypes.includes('text/csv') && !mediaTypes.includes('application/json') ? 'csv' : 'json';
}

function reportGroup(value: string | undefined): ReportGroup {
  if (value === undefined) return 'team';
  if ((REPORT_GROUPS as readonly string[]).includes(value)) return value as ReportGroup;
  throw badRequest(`"group_by" must be one of ${REPORT_GROUPS.join(', ')}; got "${value}".`, 'group_by');
}

/**
 * Spend totals per group and day over a range of days, read from the daily aggregates (one row per day,
 * entity and model) rather than the request logs, so a month's report costs a few thousand rows.
 */
export class SpendReporter {
  constructor(private readonly db: PrismaClient) {}

  async report(query: SpendReportQuery, accept?: string): Promise<SpendReportAnswer> {
    const filter = UNSERVED_FILTERS.find((name) => query[name] !== undefined);
    if (filter) {
      throw badRequest(`"${filter}" is not supported by this report; group by key, user, team or customer instead (or read GET /spend/logs).`, filter);
    }
    const group = reportGroup(query.group_by);
    const format = reportFormat(query.format, accept);
    const { first, last } = dayRange(query.start_date, query.end_date);
    // LiteLLM's api_key report covers the whole range per key; CSV rows are always per day.
    const byDay = !(group === 'api_key' && format === 'json');
    const buckets = await readReportBuckets(this.db, group, first, last, byDay);
    const ids = [...new Set(buckets.map((b) => b.groupId).filter((id): id is string => id !== null))];
    const names = await groupDisplayNames(this.db, group, ids);
    if (format === 'csv') return { format, body: reportCsv(group, buckets, names), filename: `spend-report-${group}-${first}-to-${last}.csv` };
    return { format, body: reportJson(group, buckets, names) };
  }
}
