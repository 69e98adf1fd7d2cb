import type { CallContext, ChatCompletionRequest, ChatCompletionResult, ChatCompletionStream, Deployment } from '../provider.types';
import { Deadline } from '../shared/deadline';
import { readJsonBody } from '../shared/upstream-http';
import {
  fromAnthropicResponse,
  readAnthropicError,
  relayAnthropicStream,
  toAnthropicRequest,
  AnthropicStreamTranslator,
  type AnthropicResponseBody,
} from '../anthropic';
import { sendGoogleUpstream } from '../google-common/google-errors';
import { overDefaults } from '../shared/deployment-params';

/** Vertex AI's version tag for Anthropic's Messages format, sent in the body instead of a header. */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/** Where a Claude call goes and with which headers (the URLs name the model, so the body does not). */
export interface ClaudeTarget {
  /** `...publishers/anthropic/models/{model}:rawPredict`. */
  rawPredictUrl: string;
  /** `...:streamRawPredict`. */
  streamRawPredictUrl: string;
  headers(deadline: Deadline, accept: string): Promise<Record<string, string>>;
  model: string;
  defaults: Record<string, unknown> | undefined;
}

/**
 * Claude on Vertex AI: Anthropic's Messages body (translated by the Anthropic provider's translators, without
 * `model`, with `anthropic_version: vertex-2023-10-16`) posted to `rawPredict`, or `streamRawPredict` for
 * Anthropic's SSE events. Errors are Google's (authentication, quota) or Anthropic's (relayed from the model).
 */
export async function claudeChat(deployment: Deployment, target: ClaudeTarget, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
  const { body, jsonToolName } = toAnthropicRequest(overDefaults(target.defaults, request), { anthropicVersion: VERTEX_ANTHROPIC_VERSION });
  const deadline = new Deadline(context.signal);
  const what = { action: 'respond', ms: deployment.timeoutMs };
  deadline.arm(deployment.timeoutMs);
  try {
    const headers = await target.headers(deadline, 'application/json');
    const upstream = { url: target.rawPredictUrl, headers, body: JSON.stringify(body) };
    const response = await sendGoogleUpstream(deployment, upstream, deadline, what, readAnthropicError);
    const { json } = await readJsonBody<AnthropicResponseBody>(deployment, response, deadline, what);
    const { body: answer, usage } = fromAnthropicResponse(json, { model: target.model, jsonToolName });
    return { body: answer, usage, status: response.statusCode };
  } finally {
    deadline.dispose();
  }
}

export async function claudeChatStream(deployment: Deployment, target: ClaudeTarget, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
  const { body, jsonToolName } = toAnthropicRequest(overDefaults(target.defaults, request), { anthropicVersion: VERTEX_ANTHROPIC_VERSION, stream: true });
  const translator = new AnthropicStreamTranslator({ model: target.model, includeUsage: request.stream_options?.include_usage === true, jsonToolName });
  const deadline = new Deadline(context.signal);
  deadline.arm(deployment.streamTimeoutMs);
  try {
    const headers = await target.headers(deadline, 'text/event-stream');
    const upstream = { url: target.streamRawPredictUrl, headers, body: JSON.stringify(body) };
    const response = await sendGoogleUpstream(deployment, upstream, deadline, { action: 'start streaming', ms: deployment.streamTimeoutMs }, readAnthropicError);
    return relayAnthropicStream(response, deployment, deadline, translator);
  } catch (err) {
    deadline.dispose();
    throw err;
  }
}
