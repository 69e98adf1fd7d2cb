import type { UpstreamResponse } from '../shared/streaming-call';
import type { Deadline } from '../shared/deadline';
import { sseEventData } from '../shared/sse-event-splitter';
import { parseFrameJson, relayTranslatedStream, sseFraming } from '../shared/translated-stream';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import type { CohereStreamEvent } from './cohere.types';
import { CohereStreamTranslator } from './stream-translator';

/** The SSE `event:` name of one raw event, when it has one. */
function sseEventName(event: Buffer): string | undefined {
  const match = /^event:[ ]?(.*)$/m.exec(event.toString('utf8'));
  return match ? match[1].trim() : undefined;
}

/** Relays a Cohere v2 SSE response as OpenAI chunk events, translating each event as it arrives. */
export function relayCohereStream(response: UpstreamResponse, deployment: Deployment, deadline: Deadline, includeUsage: boolean): ChatCompletionStream {
  const translator = new CohereStreamTranslator(deployment.upstreamModel, includeUsage);
  return relayTranslatedStream(response, deployment, deadline, sseFraming(), {
    translate: (event) => {
      const data = sseEventData(event);
      if (data === undefined || data.trim() === '' || data.trim() === '[DONE]') return [];
      return translator.push(parseFrameJson<CohereStreamEvent>(data), sseEventName(event));
    },
    isComplete: () => translator.complete,
    endMarker: 'message-end',
    end: () => translator.end(),
    usage: () => translator.tokenUsage(),
  });
}
