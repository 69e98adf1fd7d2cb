import type { RequestLogEvent } from './request-log-event';

const MAX_ERROR_MESSAGE_CHARS = 2000;

/** The part of the Prisma client the writer uses (kept structural so tests and the worker share it). */
export interface RequestLogTable {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export interface RequestLogRow {
  callId: string;
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
  latencyMs: number;
  ttftMs: number | null;
  errorType: string | null;
  errorMessage: string | null;
}

export function toRow(event: RequestLogEvent): RequestLogRow {
  return {
    callId: event.callId,
    startedAt: new Date(event.startedAt),
    endedAt: new Date(event.endedAt),
    keyHash: event.keyHash,
    requestedModel: event.requestedModel,
    deploymentId: event.deploymentId ?? null,
    provider: event.provider ?? null,
    upstreamModel: event.upstreamModel ?? null,
    apiBase: event.apiBase ?? null,
    route: event.route,
    stream: event.stream,
    status: event.status,
    promptTokens: event.promptTokens,
    completionTokens: event.completionTokens,
    totalTokens: event.totalTokens,
    latencyMs: Math.round(event.latencyMs),
    ttftMs: event.ttftMs === undefined ? null : Math.round(event.ttftMs),
    errorType: event.errorType ?? null,
    errorMessage: event.errorMessage ? event.errorMessage.slice(0, MAX_ERROR_MESSAGE_CHARS) : null,
  };
}

/** Column order of the batch insert; each becomes one array parameter. */
const COLUMNS: Array<[column: string, sqlType: string, value: (row: RequestLogRow) => unknown]> = [
  ['call_id', 'text', (r) => r.callId],
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
