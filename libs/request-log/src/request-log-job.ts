import type { RequestLogEvent } from './request-log-event';

/** The job name gateways use for a batch of events. */
export const REQUEST_LOG_BATCH_JOB = 'batch';

/** One BullMQ job carrying many events: one Redis command per batch instead of one per request. */
export interface RequestLogBatchJob {
  events: RequestLogEvent[];
}

/**
 * What a request-log job holds: a batch, or a single event as gateways queued before batching (such jobs
 * may still wait in Redis after an upgrade, and must be written all the same).
 */
export type RequestLogJobData = RequestLogBatchJob | RequestLogEvent;

/** The events of a job, whichever shape it has. */
export function eventsOfJob(data: RequestLogJobData): RequestLogEvent[] {
  return 'events' in data && Array.isArray(data.events) ? data.events : [data as RequestLogEvent];
}
