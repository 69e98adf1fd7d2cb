import type { RequestLogEvent } from './request-log-event';

const MAX_ERROR_MESSAGE_CHARS = 2000;

/** The part of the Prisma client the writer uses (kept structural so tests and the worker share it). */
export interface RequestLogTable {
  requestLog: {
    createMany(args: { data: RequestLogRow[]; skipDuplicates?: boolean }): Promise<{ count: number }>;
  };
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

/**
 * Writes batches of events in one statement. A call id already written is skipped, so a batch replayed
 * after a crash (written, but not acknowledged) does not create duplicates.
 */
export class RequestLogWriter {
  constructor(private readonly db: RequestLogTable) {}

  async write(events: RequestLogEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const result = await this.db.requestLog.createMany({ data: events.map(toRow), skipDuplicates: true });
    return result.count;
  }
}
