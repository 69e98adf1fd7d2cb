import type { RequestLogEvent } from '@tollgate/request-log';

let samples = 0;

/**
 * A successful, non-streamed `/v1/chat/completions` request by the master key (1 + 2 = 3 tokens, no spend),
 * as the request path records it, with `overrides` on top. Starts now and ends `latencyMs` later unless
 * given; the call id is unique per call unless given.
 */
export function sampleRequestLogEvent(overrides: Partial<RequestLogEvent> = {}): RequestLogEvent {
  const startedAt = overrides.startedAt ?? Date.now();
  const latencyMs = overrides.latencyMs ?? 5;
  return {
    callId: `sample-${process.pid}-${++samples}`,
    startedAt,
    endedAt: startedAt + latencyMs,
    keyHash: 'master',
    requestedModel: 'fake',
    route: '/v1/chat/completions',
    stream: false,
    status: 200,
    promptTokens: 1,
    completionTokens: 2,
    totalTokens: 3,
    latencyMs,
    ...overrides,
  };
}
