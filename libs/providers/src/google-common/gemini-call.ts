import type { UpstreamResponse } from '../shared/streaming-call';
import { badRequest } from '@tollgate/common';
import type { CallContext, ChatCompletionRequest, ChatCompletionResult, ChatCompletionStream, Deployment } from '../provider.types';
import { Deadline } from '../shared/deadline';
import { sseEventData } from '../shared/sse-event-splitter';
import { parseFrameJson, relayTranslatedStream, sseFraming } from '../shared/translated-stream';
import { readJsonBody } from '../shared/upstream-http';
import type { GeminiRequest, GeminiResponse } from './gemini.types';
import { fromGeminiResponse } from './response-translator';
import { toGeminiRequest } from './request-translator';
import { GeminiStreamError, GeminiStreamTranslator } from './stream-translator';
import { googleStreamError, sendGoogleUpstream } from './google-errors';

/** Where and how to send one Gemini call; headers are resolved per call (Vertex needs a fresh OAuth token). */
export interface GeminiTarget {
  /** `...:generateContent` URL. */
  generateUrl: string;
  /** `...:streamGenerateContent?alt=sse` URL. */
  streamUrl: string;
  headers(deadline: Deadline): Promise<Record<string, string>>;
  /** Model name reported in OpenAI responses. */
  model: string;
  /** Provider parameters from the deployment, sent with every request. */
  defaults: Record<string, unknown> | undefined;
}

export function geminiBody(target: GeminiTarget, request: ChatCompletionRequest): GeminiRequest {
  return toGeminiRequest(request, target.defaults, target.model);
}

/** One `generateContent` call, answered as an OpenAI `chat.completion`. */
export async function geminiChat(deployment: Deployment, target: GeminiTarget, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionResult> {
  const body = JSON.stringify(geminiBody(target, request));
  const deadline = new Deadline(context.signal);
  const what = { action: 'respond', ms: deployment.timeoutMs };
  deadline.arm(deployment.timeoutMs);
  try {
    const headers = await target.headers(deadline);
    const response = await sendGoogleUpstream(deployment, { url: target.generateUrl, headers, body }, deadline, what);
    const { json } = await readJsonBody<GeminiResponse>(deployment, response, deadline, what);
    const { body: out, usage } = fromGeminiResponse(json, target.model);
    return { body: out, usage, status: response.statusCode };
  } finally {
    deadline.dispose();
  }
}

/** One `streamGenerateContent?alt=sse` call, relayed as OpenAI chunks as the events arrive. */
export async function geminiChatStream(deployment: Deployment, target: GeminiTarget, request: ChatCompletionRequest, context: CallContext): Promise<ChatCompletionStream> {
  const native = geminiBody(target, request);
  if ((native.generationConfig?.candidateCount ?? 1) > 1) {
    throw badRequest(`${deployment.provider} cannot stream several candidates: use n > 1 without stream.`, 'n');
  }
  const deadline = new Deadline(context.signal);
  deadline.arm(deployment.streamTimeoutMs);
  try {
    const headers = await target.headers(deadline);
    const upstream = { url: target.streamUrl, headers: Object.assign({}, headers, { accept: 'text/event-stream' }), body: JSON.stringify(native) };
    const response = await sendGoogleUpstream(deployment, upstream, deadline, { action: 'start streaming', ms: deployment.streamTimeoutMs });
    return relayGeminiStream(response, deployment, deadline, new GeminiStreamTranslator(target.model, request.stream_options?.include_usage === true));
  } catch (err) {
    deadline.dispose();
    throw err;
  }
}

function relayGeminiStream(response: UpstreamResponse, deployment: Deployment, deadline: Deadline, translator: GeminiStreamTranslator): ChatCompletionStream {
  return relayTranslatedStream(response, deployment, deadline, sseFraming(), {
    translate: (event) => {
      const data = sseEventData(event);
      return data === undefined || data.trim() === '' ? [] : translator.push(parseFrameJson<GeminiResponse>(data, 'event'));
    },
    isComplete: () => translator.finished,
    endMarker: 'a finishReason',
    end: () => translator.end(),
    usage: () => translator.usage,
    mapError: (err) => (err instanceof GeminiStreamError ? googleStreamError(deployment, err.detail) : undefined),
  });
}
