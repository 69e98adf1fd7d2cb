import type { RequestLogEvent } from './request-log-event';
import { batchParameters, WRITE_BATCH_SQL } from './write-batch-sql';

const MAX_ERROR_MESSAGE_CHARS = 2000;
/** Model names and other identifiers come from callers; cap them so one request cannot bloat the table. */
const MAX_TEXT_CHARS = 256;
const INT4_MAX = 2_147_483_647;

/**
 * Text as PostgreSQL accepts it, since one bad value would fail the whole batch: NUL characters (which a
 * caller can put in a model name, and which text and JSON input reject) removed, a lone UTF-16 surrogate
 * (which JSON input rejects) replaced by U+FFFD as UTF-8 encoding would, and length capped.
 */
function text(value: string, max = MAX_TEXT_CHARS): string {
  let clean = value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  if (clean.length > max) clean = clean.slice(0, max);
  // After the cut, which may split a surrogate pair. (ES2024 string methods, in Node since 20.)
  const unicode = clean as unknown as WellFormedString;
  return unicode.isWellFormed() ? clean : unicode.toWellFormed();
}

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

function optionalText(value: string | undefined, max = MAX_TEXT_CHARS): string | null {
  return value === undefined ? null : text(value, max);
}

/** A count as an int4 column accepts it: whole, not negative, at most 2^31-1 (figures come from upstreams). */
function count(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(Math.round(value), INT4_MAX);
}

/** Tags as the writer stores them: text as for any column, duplicates and empty ones dropped; null when none. */
function tagList(tags: string[] | undefined): string[] | null {
  if (!tags || tags.length === 0) return null;
  const unique = [...new Set(tags.map((tag) => text(tag)).filter((tag) => tag.length > 0))];
  return unique.length > 0 ? unique : null;
}

/** The part of the Prisma client the writer uses (kept structural so tests and the worker share it). */
export interface RequestLogTable {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface RequestLogRow {
  callId: string;
  clientCallId: string | null;
  startedAt: Date;
  endedAt: Date;
  keyHash: string;
  requestedModel: string;
  deploymentId: string | null;
  provider: string | null;
  upstreamModel: string | null;
  apiBase: string | null;
  route: string;
  stream: boolean;
  status: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  spend: string;
  latencyMs: number;
  ttftMs: number | null;
  errorType: string | null;
  errorMessage: string | null;
  userId: string | null;
  teamId: string | null;
  organizationId: string | null;
  endUserId: string | null;
  tags: string[] | null;
}

/** An event as a row that cannot fail the batch insert (see `text` and `count`). */
export function toRow(event: RequestLogEvent): RequestLogRow {
  return {
    callId: text(event.callId),
    clientCallId: optionalText(event.clientCallId),
    startedAt: new Date(event.startedAt),
    endedAt: new Date(event.endedAt),
    keyHash: text(event.keyHash),
    requestedModel: text(event.requestedModel),
    deploymentId: optionalText(event.deploymentId),
    provider: optionalText(event.provider),
    upstreamModel: optionalText(event.upstreamModel),
    apiBase: optionalText(event.apiBase, 2048),
    route: text(event.route),
    stream: event.stream,
    status: count(event.status),
    promptTokens: count(event.promptTokens),
    completionTokens: count(event.completionTokens),
    totalTokens: count(event.totalTokens),
    spend: event.spend !== undefined && /^\d{1,12}(\.\d{1,12})?$/.test(event.spend) ? event.spend : '0',
    latencyMs: count(event.latencyMs),
    ttftMs: event.ttftMs === undefined ? null : count(event.ttftMs),
    errorType: optionalText(event.errorType),
    errorMessage: event.errorMessage ? text(event.errorMessage, MAX_ERROR_MESSAGE_CHARS) : null,
    userId: optionalText(event.userId),
    teamId: optionalText(event.teamId),
    organizationId: optionalText(event.organizationId),
    endUserId: optionalText(event.endUserId),
    tags: tagList(event.tags),
  };
}

/**
 * Writes batches of events and the spend totals they add, in one statement (so one transaction). A call id
 * already written is skipped and adds nothing to any total, so a batch replayed after a crash (committed,
 * but not acknowledged) creates no duplicate and counts no cent twice.
 */
export class RequestLogWriter {
  constructor(
    private readonly db: RequestLogTable,
    private readonly maxAttempts = 5,
  ) {}

  /** Returns how many rows were new. */
  async write(events: RequestLogEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const parameters = batchParameters(events.map(toRow));
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = await this.db.$queryRawUnsafe<Array<{ inserted: number | bigint }>>(WRITE_BATCH_SQL, ...parameters);
        return Number(rows[0]?.inserted ?? 0);
      } catch (error) {
        // Concurrent batches touching the same keys or teams may deadlock; the statement rolled back whole,
        // so running it again is safe.
        if (attempt >= this.maxAttempts || !isTransientConflict(error)) throw error;
      }
    }
  }
}

/** A deadlock or serialization failure (SQLSTATE 40P01 / 40001), however the client wraps it. */
function isTransientConflict(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { message, meta } = error as { message?: unknown; meta?: unknown };
  const described = `${String(message)} ${meta ? JSON.stringify(meta) : ''}`;
  return /40P01|40001|deadlock detected|could not serialize/i.test(described);
}
