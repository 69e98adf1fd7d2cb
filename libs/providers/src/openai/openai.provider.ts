import { request } from 'undici';
import type { LitellmParams } from '@tollgate/config';
import { GatewayError } from '@tollgate/common';
import { Deadline } from '../shared/deadline';
import { extraHeaders, providerDefaults } from '../shared/deployment-params';
import { displayUrl } from '../shared/safe-url';
import { usageFromOpenAI } from '../shared/token-usage';
import { upstreamAgent } from '../shared/upstream-agent';
import { upstreamHttpError, upstreamUnreachable } from '../shared/upstream-errors';
import type {
  CallContext,
  ChatCompletionRequest,
  ChatCompletionResult,
  ChatCompletionStream,
  Deployment,
  ProviderAdapter,
} from '../provider.types';
import { relayOpenAIStream } from './openai-stream-relay';

const DEFAULT_API_BASE = 'https://api.openai.com/v1';

/**
 * OpenAI and any server speaking its chat-completions API (`openai/<model>` with `api_base`). Requests pass
 * through with every field the caller sent; only `model` is replaced by the upstream model name.
 */
export class OpenAIProvider implements ProviderAdapter {
  readonly name: string = 'openai';

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const base = this.apiBase(params);
    return displayUrl(base) ? [] : [{ path: 'api_base', message: 'expected an http(s) URL such as "https://api.openai.com/v1"' }];
  }

  displayApiBase(params: LitellmParams): string | undefined {
    return displayUrl(this.apiBase(params));
  }

  protected apiBase(params: LitellmParams): string {
    return params.api_base ?? process.env.OPENAI_BASE_URL ?? process.env.OPENAI_API_BASE ?? DEFAULT_API_BASE;
  }

  protected apiKey(params: LitellmParams): string | undefined {
    return params.api_key ?? process.env.OPENAI_API_KEY;
  }

  protected endpoint(params: LitellmParams): string {
    return `${this.apiBase(params).replace(/\/+$/, '')}/chat/completions`;
  }

  protected headers(params: LitellmParams): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...extraHeaders(params) };
    const key = this.apiKey(params);
    if (key) headers.authorization = `Bearer ${key}`;
    if (typeof params.organization === 'string') headers['openai-organization'] = params.organization;
    return headers;
  }

  private upstreamBody(deployment: Deployment, req: ChatCompletionRequest, extra?: Record<string, unknown>): string {
    const defaults = providerDefaults(deployment.params);
    return JSON.stringify({ ...defaults, ...req, model: deployment.upstreamModel, ...extra });
  }

  async chatCompletion(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    const deadline = new Deadline(context.signal);
    deadline.arm(deployment.timeoutMs);
    try {
      const response = await this.post(deployment, this.upstreamBody(deployment, req), deadline);
      const body = Buffer.from(await response.body.arrayBuffer());
      if (response.statusCode >= 400) throw this.httpError(deployment, response.statusCode, body, response.headers);
      let parsed: { usage?: unknown };
      try {
        parsed = JSON.parse(body.toString('utf8')) as { usage?: unknown };
      } catch {
        throw new GatewayError(502, 'api_error', `Deployment "${deployment.modelName}" (id ${deployment.id}) returned a response that is not JSON.`, {
          code: 'upstream_invalid_response',
        });
      }
      return { body, usage: usageFromOpenAI(parsed.usage), status: response.statusCode };
    } catch (err) {
      throw this.callError(deployment, deadline, err, 'respond', deployment.timeoutMs);
    } finally {
      deadline.dispose();
    }
  }

  async chatCompletionStream(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    const callerWantsUsage = req.stream_options?.include_usage === true;
    const body = this.upstreamBody(deployment, req, {
      stream: true,
      stream_options: { ...(req.stream_options ?? {}), include_usage: true },
    });
    const deadline = new Deadline(context.signal);
    deadline.arm(deployment.streamTimeoutMs);
    try {
      const response = await this.post(deployment, body, deadline);
      if (response.statusCode >= 400) {
        const errorBody = Buffer.from(await response.body.arrayBuffer());
        throw this.httpError(deployment, response.statusCode, errorBody, response.headers);
      }
      return relayOpenAIStream(response, deployment, deadline, callerWantsUsage);
    } catch (err) {
      deadline.dispose();
      throw this.callError(deployment, deadline, err, 'start streaming', deployment.streamTimeoutMs);
    }
  }

  private async post(deployment: Deployment, body: string, deadline: Deadline) {
    try {
      return await request(this.endpoint(deployment.params), {
        method: 'POST',
        headers: this.headers(deployment.params),
        body,
        signal: deadline.signal,
        dispatcher: upstreamAgent(),
      });
    } catch (err) {
      if (deadline.signal.aborted) throw err;
      throw upstreamUnreachable(deployment, err);
    }
  }

  private httpError(deployment: Deployment, status: number, body: Buffer, headers: Record<string, string | string[] | undefined>) {
    const retryAfter = headers['retry-after'];
    return upstreamHttpError(deployment, status, body.toString('utf8'), Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  }

  private callError(deployment: Deployment, deadline: Deadline, err: unknown, what: string, ms: number): GatewayError {
    if (err instanceof GatewayError) return err;
    if (deadline.signal.aborted) return deadline.abortError(deployment, what, ms);
    return upstreamUnreachable(deployment, err);
  }
}
