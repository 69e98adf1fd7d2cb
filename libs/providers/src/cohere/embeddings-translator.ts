import { encodeEmbedding } from '../shared/embedding-encoding';
import { badRequest, GatewayError } from '@tollgate/common';
import type { EmbeddingRequest, TokenUsage } from '../provider.types';
import { OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';
import type { CohereEmbedRequest, CohereEmbedResponse } from './cohere.types';

/** v3+ embedding models require an input type; documents is what an OpenAI-style caller usually embeds. */
const DEFAULT_INPUT_TYPE = 'search_document';

const OPENAI_KEYS = new Set(['model', 'input', 'input_type', ...OPENAI_EMBEDDING_PARAMS]);

/**
 * An OpenAI embeddings request (merged with the deployment's provider parameters) as a Cohere `/v2/embed`
 * body: `input` -> `texts`, `input_type` kept (default `search_document`), `dimensions` -> `output_dimension`.
 * Float vectors are always requested; base64 output is encoded by Tollgate the way OpenAI encodes it.
 */
export function toCohereEmbedRequest(request: Record<string, unknown>, model: string): CohereEmbedRequest {
  const body: CohereEmbedRequest = {
    model,
    texts: embedTexts(request.input),
    input_type: typeof request.input_type === 'string' ? request.input_type : DEFAULT_INPUT_TYPE,
    embedding_types: ['float'],
  };
  if (typeof request.dimensions === 'number') body.output_dimension = request.dimensions;
  for (const [key, value] of Object.entries(request)) {
    if (value !== undefined && !OPENAI_KEYS.has(key)) body[key] = value;
  }
  return body;
}

function embedTexts(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input as string[];
  throw badRequest('cohere embeddings take text input: a string or an array of strings (not token arrays).', 'input', 'unsupported_parameter');
}

/** A Cohere embed response as OpenAI's `list` of `embedding` objects. */
export function fromCohereEmbedResponse(
  response: CohereEmbedResponse,
  model: string,
  encodingFormat: EmbeddingRequest['encoding_format'],
): { body: Buffer; usage?: TokenUsage } {
  const vectors = Array.isArray(response.embeddings) ? response.embeddings : response.embeddings?.float;
  if (!Array.isArray(vectors)) {
    throw new GatewayError(502, 'api_error', 'Cohere answered the embed request without float embeddings.', { code: 'upstream_invalid_response' });
  }
  const tokens = response.meta?.billed_units?.input_tokens;
  const usage = typeof tokens === 'number' ? { promptTokens: tokens, completionTokens: 0, totalTokens: tokens } : undefined;
  const body = {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encodeEmbedding(vector, encodingFormat) })),
    model,
    usage: { prompt_tokens: usage?.promptTokens ?? 0, total_tokens: usage?.totalTokens ?? 0 },
  };
  return { body: Buffer.from(JSON.stringify(body)), usage };
}
