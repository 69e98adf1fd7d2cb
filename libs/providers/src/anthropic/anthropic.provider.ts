import type { LitellmParams } from '@tollgate/config';
import type {
  CallContext,
  ChatCompletionRequest,
  ChatCompletionResult,
  ChatCompletionStream,
  Deployment,
  ProviderAdapter,
  ProviderCapabilities,
} from '../provider.types';
import { setting } from '../shared/credentials';
import { extraHeaders, providerDefaults, overDefaults } from '../shared/deployment-params';
import { displayUrl } from '../shared/safe-url';
import { callJson, openStream } from '../shared/upstream-http';
import { readAnthropicError } from './anthropic-errors';
import { relayAnthropicStream } from './anthropic-stream';
import type { AnthropicResponseBody } from './anthropic.types';
import { toAnthropicRequest } from './request-translator';
import { fromAnthropicResponse } from './response-translator';
import { AnthropicStreamTranslator } from './stream-translator';
import { underApiBase } from '../shared/api-base-url';

export const ANTHROPIC_DEFAULT_API_BASE = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
const API_KEY_ENV = ['ANTHROPIC_API_KEY'];
const API_BASE_ENV = ['ANTHROPIC_API_BASE'];

const CAPABILITIES: ProviderCapabilities = {
  chatParams: new Set([
    'max_completion_tokens',
    'max_tokens',
    'parallel_tool_calls',
    'reasoning_effort',
    'response_format',
    'stop',
    'stream_options',
    'temperature',
    'tool_choice',
    'tools',
    'top_p',
    'user',
  ]),
  features: { systemPrompt: true, vision: true, tools: true, parallelToolCalls: true, jsonOutput: true, streaming: true, streamUsage: true },
  credentials: '`api_key` or `ANTHROPIC_API_KEY`; `api_base` or `ANTHROPIC_API_BASE` (default https://api.anthropic.com)',
  modelFormat: '`anthropic/<model>`',
};

/**
 * Anthropic's Messages API (`POST {api_base}/v1/messages`, `x-api-key` and `anthropic-version` headers).
 * Requests and answers are translated to and from OpenAI's chat-completions format; `extra_headers` (for
 * example `anthropic-beta`) and provider-specific parameters (`thinking`, `top_k`, ...) pass through.
 */
export class AnthropicProvider implements ProviderAdapter {
  readonly name = 'anthropic';
  readonly capabilities = CAPABILITIES;

  validate(params: LitellmParams): Array<{ path: string; message: string }> {
    const configured = setting(params, 'api_base', API_BASE_ENV);
    if (configured !== undefined && !displayUrl(configured)) return [{ path: 'api_base', message: 'expected an http(s) URL' }];
    return [];
  }

  displayApiBase(params: LitellmParams): string | undefined {
    return displayUrl(apiBase(params));
  }

  async chatCompletion(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
    const { body, jsonToolName } = toAnthropicRequest(withDefaults(deployment, req), { model: deployment.upstreamModel });
    const upstream = { url: messagesUrl(deployment.params), headers: headers(deployment.params), body: JSON.stringify(body) };
    const { json, status } = await callJson<AnthropicResponseBody>(deployment, upstream, context.signal, readAnthropicError);
    const { body: answer, usage } = fromAnthropicResponse(json, { model: deployment.upstreamModel, jsonToolName });
    return { body: answer, usage, status };
  }

  async chatCompletionStream(deployment: Deployment, req: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
    const { body, jsonToolName } = toAnthropicRequest(withDefaults(deployment, req), { model: deployment.upstreamModel, stream: true });
    const translator = new AnthropicStreamTranslator({ model: deployment.upstreamModel, includeUsage: req.stream_options?.include_usage === true, jsonToolName });
    const upstream = { url: messagesUrl(deployment.params), headers: headers(deployment.params, 'text/event-stream'), body: JSON.stringify(body) };
    const { response, deadline } = await openStream(deployment, upstream, context.signal, readAnthropicError);
    return relayAnthropicStream(response, deployment, deadline, translator);
  }
}

export const anthropicProvider = new AnthropicProvider();

/** Provider parameters from `litellm_params` under the request's own (the request wins). */
function withDefaults(deployment: Deployment, req: ChatCompletionRequest): Record<string, unknown> {
  const defaults = providerDefaults(deployment.params);
  return defaults ? overDefaults(defaults, req) : req;
}

function apiBase(params: LitellmParams): string {
  return setting(params, 'api_base', API_BASE_ENV) ?? ANTHROPIC_DEFAULT_API_BASE;
}

/**
 * `{api_base}/v1/messages`, as LiteLLM builds it; a base that already ends with `/v1/messages` is used as
 * it is, and one ending with `/v1` only gains `/messages` (so a proxy base like `https://host/v1` works).
 */
export function messagesUrl(params: LitellmParams): string {
  return underApiBase(apiBase(params), (base) => {
    if (/\/v1\/messages$/.test(base)) return base;
    return /\/v1$/.test(base) ? `${base}/messages` : `${base}/v1/messages`;
  });
}

function headers(params: LitellmParams, accept = 'application/json'): Record<string, string> {
  const result: Record<string, string> = { 'content-type': 'application/json', accept, 'anthropic-version': ANTHROPIC_VERSION, ...extraHeaders(params) };
  const key = setting(params, 'api_key', API_KEY_ENV);
  if (key) result['x-api-key'] = key;
  return result;
}
