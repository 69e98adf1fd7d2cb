import { decimalNumber } from './decimal-text';
import { GROUP_NAMING, namesOf } from './report-group-names';
import type { ReportBucket, ReportGroup, SpendFigures } from './spend-report-query';

/** A cell's counts as JSON: `spend` as a number (its exact text is in the CSV answer), then the counts. */
function counts(figures: SpendFigures): Record<string, number> {
  const { spend: _spend, ...rest } = figures;
  return rest;
}

function modelBreakdown(bucket: ReportBucket): Array<Record<string, unknown>> {
  return bucket.models.map(({ model, ...figures }) => ({ model, spend: decimalNumber(figures.spend), ...counts(figures) }));
}

/** One group of one day: its names, `total_spend` and counts, and per model (`metadata`, LiteLLM's name). */
function groupEntry(group: Exclude<ReportGroup, 'day'>, bucket: ReportBucket, names: Map<string, string | null>): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    ...namesOf(GROUP_NAMING[group], bucket.groupId, names),
    total_spend: decimalNumber(bucket.total.spend),
    ...counts(bucket.total),
  };
  // Grouped by model, the breakdown per model would repeat the entry itself.
  if (group !== 'model') entry.metadata = modelBreakdown(bucket);
  return entry;
}

/**
 * The report as JSON. Every grouping but `api_key` is a list of days, oldest first, that had spend:
 * `[{group_by_day: "YYYY-MM-DD", <plural>: [{<id>, <name>, total_spend, requests, ..., metadata: [per model]}]}]`
 * (LiteLLM's shape for `team`: `teams: [{team_name, total_spend, metadata}]`); `day` puts the figures on the
 * day itself. `api_key` keeps LiteLLM's own shape: one entry per key over the whole range, largest first.
 */
export function reportJson(group: ReportGroup, buckets: ReportBucket[], names: Map<string, string | null>): Array<Record<string, unknown>> {
  if (group === 'day') {
    return buckets.map((bucket) => ({
      group_by_day: bucket.day,
      total_spend: decimalNumber(bucket.total.spend),
      ...counts(bucket.total),
      metadata: modelBreakdown(bucket),
    }));
  }
  if (group === 'api_key') {
    return buckets.map((bucket) => ({
      ...namesOf(GROUP_NAMING.api_key, bucket.groupId, names),
      total_cost: decimalNumber(bucket.total.spend),
      total_input_tokens: bucket.total.prompt_tokens,
      total_output_tokens: bucket.total.completion_tokens,
      requests: bucket.total.requests,
      model_details: bucket.models.map((m) => ({
        model: m.model,
        total_cost: decimalNumber(m.spend),
        total_input_tokens: m.prompt_tokens,
        total_output_tokens: m.completion_tokens,
        requests: m.requests,
      })),
    }));
  }
  const plural = GROUP_NAMING[group].plural;
  const days: Array<Record<string, unknown>> = [];
  for (const bucket of buckets) {
    let day = days[days.length - 1];
    if (!day || day.group_by_day !== bucket.day) days.push((day = { group_by_day: bucket.day, [plural]: [] }));
    (day[plural] as unknown[]).push(groupEntry(group, bucket, names));
  }
  return days;
}
