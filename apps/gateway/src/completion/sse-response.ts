import { Readable } from 'node:stream';
import { GatewayError, clientClosed } from '@tollgate/common';
import { sseEvent, type ChatCompletionStream } from '@tollgate/providers';
import type { RequestLogRecorder } from './request-log-recorder';

/**
 * The caller-facing SSE body: upstream events as they come, first-token time noted, and one request-log
 * event at the end. An upstream failure after the first byte becomes an `error` event (the OpenAI SDKs
 * raise it) and the stream ends instead of hanging.
 */
export function sseResponseBody(stream: ChatCompletionStream, recorder: RequestLogRecorder, callerGone: () => boolean): Readable {
  async function* body(): AsyncGenerator<Buffer> {
    let failure: GatewayError | undefined;
    try {
      for await (const event of stream.events) {
        recorder.firstToken();
        yield event;
      }
    } catch (err) {
      failure = err instanceof GatewayError ? err : new GatewayError(502, 'api_error', 'The upstream stream failed.', { code: 'upstream_failed' });
      if (!callerGone()) yield sseEvent(failure.toBody());
    } finally {
      if (failure) recorder.failed(failure, stream.usage());
      else if (callerGone()) recorder.failed(clientClosed(), stream.usage());
      else recorder.succeeded(stream.usage());
    }
  }
  return Readable.from(body(), { objectMode: false, highWaterMark: 64 * 1024 });
}
