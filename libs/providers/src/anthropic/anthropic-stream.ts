import type { UpstreamResponse } from '../shared/streaming-call';
import type { Deadline } from '../shared/deadline';
import { sseEventData } from '../shared/sse-event-splitter';
import { relayTranslatedStream, sseFraming } from '../shared/translated-stream';
import { upstreamHttpError } from '../shared/upstream-errors';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import { anthropicErrorDetail } from './anthropic-errors';
import { AnthropicStreamError, type AnthropicStreamTranslator } from './stream-translator';

/**
 * Relays an Anthropic Messages SSE response as OpenAI chunks, event by event; an `error` event becomes the
 * matching GatewayError (overloaded_error -> 503, ...).
 */
export function relayAnthropicStream(
  response: UpstreamResponse,
  deployment: Deployment,
  deadline: Deadline,
  translator: AnthropicStreamTranslator,
): ChatCompletionStream {
  return relayTranslatedStream(response, deployment, deadline, sseFraming(), {
    translate: (event) => {
      const data = sseEventData(event);
      return data === undefined || data.trim() === '' ? [] : translator.push(data);
    },
    isComplete: () => translator.done,
    endMarker: 'message_stop',
    end: () => [],
    usage: () => translator.usage(),
    mapError: (err) =>
      err instanceof AnthropicStreamError ? upstreamHttpError(deployment, err.status, err.message, undefined, anthropicErrorDetail(err.errorType, err.message)) : undefined,
  });
}
