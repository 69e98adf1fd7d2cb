import { Readable } from 'node:stream';
import { GatewayError, clientClosed } from '@tollgate/common';
import { sseEvent, type ChatCompletionStream } from '@tollgate/providers';
import { tokenizerModelOf, type PromptRequest, type TokenizedDeployment } from '@tollgate/spend';
import type { RequestLogRecorder } from './request-log-recorder';
import { StreamMeter } from './stream-meter';

/** What a stream's tokens are counted from when the provider does not report them: its prompt and model. */
export interface StreamedCall {
  request: PromptRequest;
  deployment: TokenizedDeployment;
}

/**
 * The caller-facing SSE body: upstream events as they come, first-token time noted, and one request-log
 * event at the end. An upstream failure after the first byte becomes an `error` event (the OpenAI SDKs
 * raise it) and the stream ends instead of hanging. Every event passes the meter on its way out, so a
 * stream without provider usage, or cut short, is billed for what was relayed.
 */
export function sseResponseBody(stream: ChatCompletionStream, recorder: RequestLogRecorder, callerGone: () => boolean, call: StreamedCall): Readable {
  const meter = new StreamMeter(call.request, tokenizerModelOf(call.deployment));
  async function* body(): AsyncGenerator<Buffer> {
    let failure: GatewayError | undefined;
    let complete = false;
    try {
      for await (const event of stream.events) {
        recorder.firstToken();
        meter.observe(event);
        yield event;
      }
      complete = true;
    } catch (err) {
      failure = err instanceof GatewayError ? err : new GatewayError(502, 'api_error', 'The upstream stream failed.', { code: 'upstream_failed' });
      if (!callerGone()) yield sseEvent(failure.toBody());
    } finally {
      const usage = meter.usage(stream.usage(), complete);
      const charged = failure
        ? recorder.failed(failure, usage)
        : !complete || callerGone()
          ? recorder.failed(clientClosed(), usage)
          : recorder.succeeded(usage);
      // The stream ends once the request's charges, partial ones included, have left for Redis (see batchedCharges).
      if (charged) await charged;
    }
  }
  const readable = Readable.from(body(), { objectMode: false, highWaterMark: 64 * 1024 });
  // If the caller leaves before the body was ever read, the generator above never runs its `finally`:
  // record the request (its prompt reached the upstream) and release the upstream here instead (the
  // recorder ignores a second outcome).
  readable.once('close', () => {
    if (recorder.recorded) return;
    recorder.failed(clientClosed(), meter.usage(stream.usage(), false));
    stream.cancel?.();
  });
  return readable;
}
