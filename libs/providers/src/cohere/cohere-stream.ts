import type { Dispatcher } from 'undici';
import { GatewayError } from '@tollgate/common';
import type { Deadline } from '../shared/deadline';
import { SseEventSplitter, sseEventData } from '../shared/sse-event-splitter';
import { upstreamBroken } from '../shared/upstream-errors';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import type { CohereStreamEvent } from './cohere.types';
import { CohereStreamTranslator } from './stream-translator';

/** The SSE `event:` name of one raw event, when it has one. */
function sseEventName(event: Buffer): string | undefined {
  const match = /^event:[ ]?(.*)$/m.exec(event.toString('utf8'));
  return match ? match[1].trim() : undefined;
}

/**
 * Relays a Cohere v2 SSE response as OpenAI chunk events, translating each event as it arrives. The deadline
 * is re-armed per chunk; a stream that breaks or closes before `message-end` fails with a GatewayError (the
 * gateway turns it into an SSE error event); the upstream body is destroyed when the caller stops early.
 */
export function relayCohereStream(response: Dispatcher.ResponseData, deployment: Deployment, deadline: Deadline, includeUsage: boolean): ChatCompletionStream {
  const translator = new CohereStreamTranslator(deployment.upstreamModel, includeUsage);

  function translate(event: Buffer): Buffer[] {
    const data = sseEventData(event);
    if (data === undefined || data.trim() === '' || data.trim() === '[DONE]') return [];
    let parsed: CohereStreamEvent;
    try {
      parsed = JSON.parse(data) as CohereStreamEvent;
    } catch {
      throw new Error('the upstream sent a stream event that is not JSON');
    }
    return translator.push(parsed, sseEventName(event));
  }

  async function* events(): AsyncGenerator<Buffer> {
    const splitter = new SseEventSplitter();
    let finished = false;
    try {
      for await (const chunk of response.body) {
        deadline.arm(deployment.timeoutMs);
        for (const event of splitter.push(chunk as Buffer)) yield* translate(event);
      }
      const rest = splitter.rest();
      if (rest.toString('utf8').trim()) yield* translate(rest);
      if (!translator.complete) throw new Error('the upstream closed the stream before message-end');
      yield* translator.end();
      finished = true;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      if (deadline.signal.aborted) throw deadline.abortError(deployment, 'send the next chunk', deployment.timeoutMs);
      throw upstreamBroken(deployment, err);
    } finally {
      deadline.dispose();
      if (!finished) response.body.destroy();
    }
  }

  return { events: events(), usage: () => translator.tokenUsage() };
}
