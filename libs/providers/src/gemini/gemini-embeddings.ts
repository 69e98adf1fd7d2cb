import { GatewayError } from '@tollgate/common';
import type { EmbeddingRequest, TokenUsage } from '../provider.types';
import { OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';
import { resourceName } from './gemini-url';
import { embeddingListBody, embeddingTexts, taskTypeOf } from '../google-common/embedding-io';
import { overDefaults } from '../shared/deployment-params';

/** Keys of an OpenAI embeddings request that are translated, not passed through. */
const TRANSLATED = new Set([...OPENAI_EMBEDDING_PARAMS, 'model', 'input', 'input_type']);

export interface BatchEmbedRequest {
  requests: Array<{ model: string; content: { parts: Array<{ text: string }> }; outputDimensionality?: number; taskType?: string; [extra: string]: unknown }>;
}

interface BatchEmbedResponse {
  embeddings?: Array<{ values?: number[] }>;
}

/**
 * An OpenAI embeddings request as Gemini's `batchEmbedContents` body: one request per input text,
 * `dimensions` as `outputDimensionality`, `input_type` as `taskType`. Provider-specific keys (`title`,
 * `taskType`, ...) go into every per-text request, where Gemini reads them.
 */
export function toBatchEmbedRequest(request: EmbeddingRequest, defaults: Record<string, unknown> | undefined, model: string): BatchEmbedRequest {
  const req: Record<string, unknown> = overDefaults(defaults, request);
  const shared: Record<string, unknown> = {};
  if (typeof req.dimensions === 'number') shared.outputDimensionality = req.dimensions;
  const taskType = taskTypeOf(req.input_type);
  if (taskType) shared.taskType = taskType;
  for (const [key, value] of Object.entries(req)) {
    if (value !== undefined && !TRANSLATED.has(key)) shared[key] = value;
  }
  return {
    requests: embeddingTexts(request, 'gemini').map((text) => ({ model: resourceName(model), content: { parts: [{ text }] }, ...shared })),
  };
}

/**
 * Gemini's embedding responses carry no token counts. Tollgate records an estimate so spend and token
 * limits still see the call: about four characters per token (the usual rule of thumb for English text),
 * at least one token per non-empty input.
 */
export function estimateEmbeddingTokens(texts: string[]): number {
  return texts.reduce((sum, text) => sum + (text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4))), 0);
}

export function fromBatchEmbedResponse(json: BatchEmbedResponse, texts: string[], model: string, format: unknown): { body: Buffer; usage: TokenUsage } {
  const vectors = (json.embeddings ?? []).map((e) => e.values ?? []);
  if (vectors.length !== texts.length) {
    throw new GatewayError(502, 'api_error', `Gemini returned ${vectors.length} embeddings for ${texts.length} inputs.`, { code: 'upstream_invalid_response' });
  }
  const tokens = estimateEmbeddingTokens(texts);
  const usage: TokenUsage = { promptTokens: tokens, completionTokens: 0, totalTokens: tokens };
  return { body: embeddingListBody(vectors, model, format, usage), usage };
}
