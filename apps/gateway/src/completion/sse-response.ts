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
  const readable = Readable.from(body(), { objectMode: false, highWaterMark: 64 * 1024 });
  // If the caller leaves before the body was ever read, the generator above never runs its `finally`:
  // record the request and release the upstream here instead (the recorder ignores a second outcome).
  readable.once('close', () => {
    if (recorder.recorded) return;
    recorder.failed(clientClosed(), stream.usage());
    stream.cancel?.();
  });
  return readable;
}
