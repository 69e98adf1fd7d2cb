import { GatewayError } from '@tollgate/common';
import type { UpstreamBody, UpstreamResponse } from '../shared/streaming-call';
import type { ChatCompletionStream, Deployment } from '../provider.types';
import type { Deadline } from '../shared/deadline';
import { upstreamBroken } from '../shared/upstream-errors';
import { streamExceptionError } from './bedrock-errors';
import { EventStreamFrameReader, type StreamFrame } from './event-stream-frames';
import { ConverseStreamTranslator } from './stream-translator';

/** Frames as they arrive; each network chunk re-arms the deadline (the time allowed until the next one). */
async function* readFrames(body: UpstreamBody, deadline: Deadline, deployment: Deployment): AsyncGenerator<StreamFrame> {
  const reader = new EventStreamFrameReader();
  for await (const chunk of body) {
    deadline.arm(deployment.timeoutMs);
    yield* reader.push(chunk as Buffer);
  }
  if (reader.hasPartialFrame) throw new Error('the upstream closed the stream in the middle of an event');
}

function parsePayload(frame: StreamFrame): Record<string, unknown> {
  const payload: unknown = frame.body === '' ? {} : JSON.parse(frame.body);
  return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
}

/**
 * Relays a ConverseStream response as OpenAI SSE chunks. The first frame is read before the stream is
 * handed over, so an exception Bedrock sends instead of any event (throttling, validation) fails the call
 * with its own status rather than as an error event inside a 200 stream. Later exceptions end the stream
 * with that GatewayError; a broken connection or undecodable frame with a 502.
 */
export async function relayConverseStream(
  response: UpstreamResponse,
  deployment: Deployment,
  deadline: Deadline,
  translator: ConverseStreamTranslator,
): Promise<ChatCompletionStream> {
  const frames = readFrames(response.body, deadline, deployment);
  let first: IteratorResult<StreamFrame>;
  try {
    first = await frames.next();
    if (first.done) throw upstreamBroken(deployment, new Error('the upstream ended the stream without any event'));
    if (first.value.messageType !== 'event') throw streamExceptionError(deployment, first.value.exceptionType, first.value.body);
  } catch (err) {
    response.body.destroy();
    if (err instanceof GatewayError) throw err;
    if (deadline.signal.aborted) throw deadline.abortError(deployment, 'start streaming', deployment.streamTimeoutMs);
    throw upstreamBroken(deployment, err);
  }

  async function* events(): AsyncGenerator<Buffer> {
    let finished = false;
    try {
      for (let next = first; !next.done; next = await frames.next()) {
        const frame = next.value;
        if (frame.messageType !== 'event') throw streamExceptionError(deployment, frame.exceptionType, frame.body);
        yield* translator.push(frame.eventType, parsePayload(frame));
      }
      yield* translator.end();
      finished = true;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      if (deadline.signal.aborted) throw deadline.abortError(deployment, 'send the next chunk', deployment.timeoutMs);
      throw upstreamBroken(deployment, err);
    } finally {
      deadline.dispose();
      // The caller stopped reading, or the upstream failed: release the connection.
      if (!finished) response.body.destroy();
    }
  }

  return {
    events: events(),
    usage: () => translator.tokenUsage(),
    cancel: () => {
      deadline.dispose();
      response.body.destroy();
    },
  };
}
