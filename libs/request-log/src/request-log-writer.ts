import type { RequestLogEvent } from './request-log-event';

const MAX_ERROR_MESSAGE_CHARS = 2000;
/** Model names and other identifiers come from callers; cap them so one request cannot bloat the table. */
const MAX_TEXT_CHARS = 256;
const INT4_MAX = 2_147_483_647;

/**
 * Text as PostgreSQL accepts it: NUL characters (which a caller can put in a model name, and which text
 * columns reject, failing the whole batch) removed, and length capped.
 */
function text(value: string, max = MAX_TEXT_CHARS): string {
  const clean = value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  return clean.length > max ? clean.slice(0, max) : clean;
}

function optionalText(value: string | undefined, max = MAX_TEXT_CHARS): string | null {
  return value === undefined ? null : text(value, max);
}

/** A count as an int4 column accepts it: whole, not negative, at most 2^31-1 (figures come from upstreams). */
function count(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(Math.round(value), INT4_MAX);
}

/** The part of the Prisma client the writer uses (kept structural so tests and the worker share it). */
export interface RequestLogTable {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
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
  };
}

/** Column order of the batch insert; each becomes one array parameter. */
const COLUMNS: Array<[column: string, sqlType: string, value: (row: RequestLogRow) => unknown]> = [
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
];

/*
 * One statement text for every batch size: each column travels as one array and `unnest` turns them back
 * into rows. A fixed text lets PostgreSQL and the driver reuse the plan, where a multi-row VALUES list (or
 * Prisma's createMany) would be a new query for every batch size.
 */
const INSERT_SQL =
  `INSERT INTO "request_logs" (${COLUMNS.map(([c]) => `"${c}"`).join(', ')}) ` +
  `SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) ` +
  'ON CONFLICT ("call_id") DO NOTHING';

/**
 * Writes batches of events in one statement. A call id already written is skipped, so a batch replayed
 * after a crash (written, but not acknowledged) does not create duplicates.
 */
export class RequestLogWriter {
  constructor(private readonly db: RequestLogTable) {}

  /** Returns how many rows were new. */
  async write(events: RequestLogEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const rows = events.map(toRow);
    return this.db.$executeRawUnsafe(INSERT_SQL, ...COLUMNS.map(([, , value]) => rows.map(value)));
  }
}
