import { request } from 'undici';
import { GatewayError, type CancelSignal } from '@tollgate/common';
import type { Deployment } from '../provider.types';
import { bufferedCall, headersObject, type BufferedResponse } from './buffered-call';
import { Deadline } from './deadline';
import { streamingCall, type UpstreamBody, type UpstreamHeaders, type UpstreamResponse } from './streaming-call';
import { upstreamAgent } from './upstream-agent';
import { upstreamTarget } from './upstream-target';
import { upstreamHttpError, upstreamUnreachable, type UpstreamErrorDetail } from './upstream-errors';

export interface UpstreamRequest {
  url: string;
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Reads a provider's error body into OpenAI terms; the default understands the common JSON shapes. */
export type ErrorBodyReader = (text: string, headers: UpstreamHeaders) => UpstreamErrorDetail | undefined;

/**
 * Sends one request upstream through the shared keep-alive pool under `deadline`, and turns every failure
 * into a GatewayError: network errors (502), the deadline (504) or the caller leaving (499), and any
 * status >= 400 (the upstream's status and message, credentials stripped). Resolves with the 2xx response,
 * whose body the caller must consume or destroy.
 */
export async function sendUpstream(
  deployment: Deployment,
  upstream: UpstreamRequest,
  deadline: Deadline,
  what: { action: string; ms: number },
  readErrorBody?: ErrorBodyReader,
): Promise<UpstreamResponse> {
  let response: UpstreamResponse;
  try {
    const method = upstream.method ?? 'POST';
    // Straight to the pool with a memoised origin/path: undici's request(url) re-parses the URL every call.
    const target = upstreamTarget(upstream.url);
    response = target
      ? await streamingCall(upstreamAgent(), { origin: target.origin, path: target.path, method, headers: upstream.headers, body: upstream.body }, deadline.signal)
      : // Not an http(s) URL: undici's request() gives the error callers expect. It only needs `aborted`,
        // `reason` and add/removeEventListener of a signal; its types name AbortSignal.
        await request(upstream.url, { dispatcher: upstreamAgent(), method, headers: upstream.headers, body: upstream.body, signal: deadline.signal as AbortSignal });
  } catch (err) {
    throw failure(deployment, deadline, err, what);
  }
  if (response.statusCode < 400) return response;
  let text: string;
  try {
    text = (await readWholeBody(response.body)).toString('utf8');
  } catch (err) {
    throw failure(deployment, deadline, err, what);
  }
  const retryAfter = header(response.headers, 'retry-after');
  throw upstreamHttpError(deployment, response.statusCode, text, retryAfter, readErrorBody?.(text, response.headers));
}

/** Reads a whole 2xx body as JSON, mapping a broken or non-JSON body to a 502 naming the deployment. */
export async function readJsonBody<T>(deployment: Deployment, response: UpstreamResponse, deadline: Deadline, what: { action: string; ms: number }): Promise<{ raw: Buffer; json: T }> {
  let raw: Buffer;
  try {
    raw = await readWholeBody(response.body);
  } catch (err) {
    throw failure(deployment, deadline, err, what);
  }
  return { raw, json: parseJsonBody<T>(deployment, raw) };
}

async function readWholeBody(body: UpstreamBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

function parseJsonBody<T>(deployment: Deployment, raw: Buffer): T {
  try {
    return JSON.parse(raw.toString('utf8')) as T;
  } catch {
    throw new GatewayError(502, 'api_error', `Deployment "${deployment.modelName}" (id ${deployment.id}) returned a response that is not JSON.`, {
      code: 'upstream_invalid_response',
    });
  }
}

/** The right error for a failed call: the deadline or the caller (if the signal fired), else the network. */
export function failure(deployment: Deployment, deadline: Deadline, err: unknown, what: { action: string; ms: number }): GatewayError {
  if (err instanceof GatewayError) return err;
  if (deadline.signal.aborted) return deadline.abortError(deployment, what.action, what.ms);
  return upstreamUnreachable(deployment, err);
}

export function header(headers: UpstreamHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * One whole-response call: the request goes out under the deployment's `timeout` and the 2xx body is read
 * back as JSON; every failure is already a GatewayError (see `sendUpstream`).
 */
export async function callJson<T>(
  deployment: Deployment,
  upstream: UpstreamRequest,
  signal: CancelSignal,
  readErrorBody?: ErrorBodyReader,
): Promise<{ json: T; raw: Buffer; status: number }> {
  const deadline = new Deadline(signal);
  const what = { action: 'respond', ms: deployment.timeoutMs };
  deadline.arm(deployment.timeoutMs);
  try {
    const target = upstreamTarget(upstream.url);
    if (!target) {
      // Not an http(s) URL: undici's request() gives the error callers expect.
      const response = await sendUpstream(deployment, upstream, deadline, what, readErrorBody);
      const { raw, json } = await readJsonBody<T>(deployment, response, deadline, what);
      return { json, raw, status: response.statusCode };
    }
    let response: BufferedResponse;
    try {
      const request = { origin: target.origin, path: target.path, method: upstream.method ?? 'POST', headers: upstream.headers, body: upstream.body } as const;
      response = await bufferedCall(upstreamAgent(), request, deadline.signal);
    } catch (err) {
      throw failure(deployment, deadline, err, what);
    }
    if (response.statusCode >= 400) {
      const text = response.body.toString('utf8');
      const headers = headersObject(response.rawHeaders);
      throw upstreamHttpError(deployment, response.statusCode, text, header(headers, 'retry-after'), readErrorBody?.(text, headers));
    }
    return { json: parseJsonBody<T>(deployment, response.body), raw: response.body, status: response.statusCode };
  } finally {
    deadline.dispose();
  }
}

/**
 * Starts a streaming call under the deployment's `stream_timeout` (time to the first byte). On success the
 * response and its deadline belong to the caller's relay, which re-arms and disposes it.
 */
export async function openStream(
  deployment: Deployment,
  upstream: UpstreamRequest,
  signal: CancelSignal,
  readErrorBody?: ErrorBodyReader,
): Promise<{ response: UpstreamResponse; deadline: Deadline }> {
  const deadline = new Deadline(signal);
  deadline.arm(deployment.streamTimeoutMs);
  try {
    const response = await sendUpstream(deployment, upstream, deadline, { action: 'start streaming', ms: deployment.streamTimeoutMs }, readErrorBody);
    return { response, deadline };
  } catch (err) {
    deadline.dispose();
    throw err;
  }
}
