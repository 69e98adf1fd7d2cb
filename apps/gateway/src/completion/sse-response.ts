import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { GatewayError, clientClosed } from '@tollgate/common';
import { sseEvent, type ChatCompletionStream } from '@tollgate/providers';
import { tokenizerModelOf, type PromptRequest, type TokenizedDeployment } from '@tollgate/spend';
import type { FastifyReply } from 'fastify';
import type { RequestLogRecorder } from './request-log-recorder';
import { StreamMeter } from './stream-meter';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** What a stream's tokens are counted from when the provider does not report them: its prompt and model. */
export interface StreamedCall {
  request: PromptRequest;
  deployment: TokenizedDeployment;
}

/**
 * Answers the caller with a stream's server-sent events, written straight to the connection as they come
 * (Fastify's stream piping costs a stream, its listeners and a trip through both per event).
 * First-token time is noted and one request-log event is recorded at the end. An upstream failure after the
 * first byte becomes an `error` event (the OpenAI SDKs raise it) and the stream ends instead of hanging.
 * Every event passes the meter on its way out, so a stream without provider usage, or cut short, is billed
 * for what was relayed. Resolves once the response has ended; it does not throw.
 */
export async function sendSseResponse(
  reply: FastifyReply,
  stream: ChatCompletionStream,
  recorder: RequestLogRecorder,
  callerGone: () => boolean,
  call: StreamedCall,
): Promise<void> {
  const meter = new StreamMeter(call.request, tokenizerModelOf(call.deployment));
  reply.headers(SSE_HEADERS).hijack();
  const res = reply.raw;
  // Headers set on the reply (call id, routing, durations) are Fastify's to write no more once it is hijacked.
  res.writeHead(200, reply.getHeaders() as OutgoingHttpHeaders);
  let failure: GatewayError | undefined;
  let complete = false;
  try {
    let left = false;
    for await (const events of stream.events) {
      recorder.firstToken();
      meter.observe(events);
      if (!(await sent(res, events))) {
        left = true;
        break;
      }
    }
    complete = !left;
  } catch (err) {
    failure = err instanceof GatewayError ? err : new GatewayError(502, 'api_error', 'The upstream stream failed.', { code: 'upstream_failed' });
  }
  // An upstream failure after the first byte is told in an error event, the response's last bytes.
  const last = failure && !callerGone() ? sseEvent(failure.toBody()) : undefined;
  try {
    const usage = meter.usage(stream.usage(), complete);
    const charged = failure
      ? recorder.failed(failure, usage)
      : !complete || callerGone()
        ? recorder.failed(clientClosed(), usage)
        : recorder.succeeded(usage);
    // The stream ends once the request's charges, partial ones included, have left for Redis (see batchedCharges).
    if (charged) await charged;
  } finally {
    if (!res.destroyed) res.end(last);
  }
}

/** Writes `bytes`; false when the caller is gone, true once the connection can take more. */
function sent(res: ServerResponse, bytes: Buffer): boolean | Promise<boolean> {
  if (res.destroyed) return false;
  return res.write(bytes) || drained(res);
}

function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off('drain', onDrain);
      resolve(false);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
