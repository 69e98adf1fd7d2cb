import { hashApiKey, type CallerIdentity } from '@tollgate/auth';
import { badRequest } from '@tollgate/common';
import type { Prisma, PrismaClient } from '@tollgate/database';
import { timeRange } from './spend-dates';
import { spendLogView } from './spend-log-view';
import { spendLogVisibility } from './spend-log-visibility';

/** Filters and paging of GET /spend/logs (LiteLLM's parameter names). */
export interface SpendLogQuery {
  /** The key itself (`sk-...`, hashed here) or its hash. */
  api_key?: string;
  user_id?: string;
  team_id?: string;
  /** The model asked for (model group) or the model the deployment served. */
  model?: string;
  /** Comma-separated and/or repeated; a log matches when it carries any of them. */
  tags?: string | string[];
  tag?: string | string[];
  /** The gateway's call id, or the caller's own `x-litellm-call-id`. */
  request_id?: string;
  /** YYYY-MM-DD (UTC day) or an ISO 8601 time; a plain end date includes its whole day. */
  start_date?: string;
  end_date?: string;
  page?: number;
  page_size?: number;
  /** `false`: a plain JSON list (LiteLLM's shape); `true` (LiteLLM's daily summary) is not served. */
  summarize?: string;
}

export interface SpendLogPage {
  data: Array<Record<string, unknown>>;
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}

export const SPEND_LOGS_DEFAULT_PAGE_SIZE = 50;
export const SPEND_LOGS_MAX_PAGE_SIZE = 1000;
const MAX_TAGS = 50;
/** Far beyond any real listing; keeps the row offset a safe integer for the database. */
const MAX_PAGE = 1_000_000;

function whole(value: number | undefined, field: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw badRequest(`"${field}" must be a whole number from 1 to ${max}; got ${value}.`, field);
  return value;
}

/** Every tag named in `tags` and `tag`, split at commas, without blanks and duplicates. */
function tagsOf(query: SpendLogQuery): string[] {
  const named = [query.tags, query.tag].flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
  const tags = [...new Set(named.flatMap((value) => value.split(',')).map((tag) => tag.trim()).filter(Boolean))];
  if (tags.length > MAX_TAGS) throw badRequest(`At most ${MAX_TAGS} tags may be named at once; got ${tags.length}.`, 'tags');
  return tags;
}

/** The key a filter names: LiteLLM accepts the key itself and hashes it, or its stored hash. */
const keyHashOf = (apiKey: string) => (apiKey.startsWith('sk-') ? hashApiKey(apiKey) : apiKey);

function filtersOf(query: SpendLogQuery): Prisma.RequestLogWhereInput[] {
  const filters: Prisma.RequestLogWhereInput[] = [];
  if (query.api_key) filters.push({ keyHash: keyHashOf(query.api_key) });
  if (query.user_id) filters.push({ userId: query.user_id });
  if (query.team_id) filters.push({ teamId: query.team_id });
  if (query.model) filters.push({ OR: [{ requestedModel: query.model }, { upstreamModel: query.model }] });
  if (query.request_id) filters.push({ OR: [{ callId: query.request_id }, { clientCallId: query.request_id }] });
  const tags = tagsOf(query);
  if (tags.length > 0) filters.push({ tags: { hasSome: tags } });
  const { from, before } = timeRange(query.start_date, query.end_date);
  if (from || before) filters.push({ startedAt: { gte: from, lt: before } });
  return filters;
}

/** Reads request logs for GET /spend/logs: newest first, filtered, one page at a time, only what the caller may see. */
export class SpendLogReader {
  constructor(private readonly db: PrismaClient) {}

  async list(caller: CallerIdentity, query: SpendLogQuery): Promise<SpendLogPage> {
    if (query.summarize !== undefined && query.summarize !== 'false') {
      throw badRequest(
        query.summarize === 'true'
          ? '"summarize=true" (LiteLLM\'s daily summary) is not served; use GET /global/spend/report?group_by=day for daily totals, or summarize=false for the logs as a list.'
          : `"summarize" must be "true" or "false"; got "${query.summarize}".`,
        'summarize',
      );
    }
    const page = whole(query.page, 'page', 1, MAX_PAGE);
    const pageSize = whole(query.page_size, 'page_size', SPEND_LOGS_DEFAULT_PAGE_SIZE, SPEND_LOGS_MAX_PAGE_SIZE);
    const where: Prisma.RequestLogWhereInput = { AND: [spendLogVisibility(caller), ...filtersOf(query)] };
    const [total, rows] = await Promise.all([
      this.db.requestLog.count({ where }),
      // call_id breaks ties between requests that started in the same millisecond, so pages never overlap.
      this.db.requestLog.findMany({ where, orderBy: [{ startedAt: 'desc' }, { callId: 'asc' }], skip: (page - 1) * pageSize, take: pageSize }),
    ]);
    return { data: rows.map(spendLogView), total, page, page_size: pageSize, total_pages: Math.ceil(total / pageSize) };
  }
}
