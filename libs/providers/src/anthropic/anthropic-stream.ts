import type { Dispatcher } from 'undici';
import { GatewayError } from '@tollgate/common';
import type { Deadline } from '../shared/deadline';
import { SseEventSplitter, sseEventData } from '../shared/sse-event-splitter';
import { upstreamBroken, upstreamHttpError } from '../shared/upstream-errors';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import { anthropicErrorDetail } from './anthropic-errors';
import { AnthropicStreamError, type AnthropicStreamTranslator } from './stream-translator';

/**
 * Relays an Anthropic Messages SSE response as OpenAI chunks, translating event by event as bytes arrive.
 * The deadline is re-armed for every chunk (the deployment's timeout between chunks); a stream that breaks,
 * stalls, ends before `message_stop` or carries an `error` event fails with a GatewayError from the
 * iterator (the gateway turns it into an SSE error event). A consumer that stops early destroys the body.
 */
export function relayAnthropicStream(
  response: Dispatcher.ResponseData,
  deployment: Deployment,
  deadline: Deadline,
  translator: AnthropicStreamTranslator,
): ChatCompletionStream {
  function translate(event: Buffer): Buffer[] {
    const data = sseEventData(event);
    return data === undefined || data.trim() === '' ? [] : translator.push(data);
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
      if (!translator.done) throw new Error('the upstream closed the stream before message_stop');
      finished = true;
    } catch (err) {
      if (err instanceof AnthropicStreamError) {
        throw upstreamHttpError(deployment, err.status, err.message, undefined, anthropicErrorDetail(err.errorType, err.message));
      }
      if (err instanceof GatewayError) throw err;
      if (deadline.signal.aborted) throw deadline.abortError(deployment, 'send the next chunk', deployment.timeoutMs);
      throw upstreamBroken(deployment, err);
    } finally {
      deadline.dispose();
      if (!finished) response.body.destroy();
    }
  }

  return { events: events(), usage: () => translator.usage() };
}
