import { encodeEmbedding } from '../shared/embedding-encoding';
import { badRequest, GatewayError } from '@tollgate/common';
import type { EmbeddingRequest, TokenUsage } from '../provider.types';
import { OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';
import type { OllamaEmbedRequest, OllamaEmbedResponse } from './ollama.types';

const OPENAI_KEYS = new Set(['model', 'input', ...OPENAI_EMBEDDING_PARAMS]);

/**
 * An OpenAI embeddings request (merged with the deployment's provider parameters) as an Ollama `/api/embed`
 * body: `input` as a list of texts, `dimensions` kept; native keys (`truncate`, `keep_alive`, `options`) pass
 * through. Ollama returns floats; base64 output is encoded by Tollgate the way OpenAI encodes it.
 */
export function toOllamaEmbedRequest(request: Record<string, unknown>, model: string): OllamaEmbedRequest {
  const input = request.input;
  let texts: string[];
  if (typeof input === 'string') texts = [input];
  else if (Array.isArray(input) && input.every((item) => typeof item === 'string')) texts = input as string[];
  else throw badRequest('ollama embeddings take text input: a string or an array of strings (not token arrays).', 'input', 'unsupported_parameter');
  const body: OllamaEmbedRequest = { model, input: texts };
  if (typeof request.dimensions === 'number') body.dimensions = request.dimensions;
  for (const [key, value] of Object.entries(request)) {
    if (value !== undefined && !OPENAI_KEYS.has(key)) body[key] = value;
  }
  return body;
}

/** An Ollama embed response as OpenAI's `list` of `embedding` objects. */
export function fromOllamaEmbedResponse(
  response: OllamaEmbedResponse,
  model: string,
  encodingFormat: EmbeddingRequest['encoding_format'],
): { body: Buffer; usage?: TokenUsage } {
  if (!Array.isArray(response.embeddings)) {
    throw new GatewayError(502, 'api_error', 'Ollama answered the embed request without embeddings.', { code: 'upstream_invalid_response' });
  }
  const tokens = response.prompt_eval_count;
  const usage = typeof tokens === 'number' ? { promptTokens: tokens, completionTokens: 0, totalTokens: tokens } : undefined;
  const body = {
    object: 'list',
    data: response.embeddings.map((vector, index) => ({ object: 'embedding', index, embedding: encodeEmbedding(vector, encodingFormat) })),
    model,
    usage: { prompt_tokens: usage?.promptTokens ?? 0, total_tokens: usage?.totalTokens ?? 0 },
  };
  return { body: Buffer.from(JSON.stringify(body)), usage };
}
