import { encodeEmbedding } from '../shared/embedding-encoding';
import { badRequest } from '@tollgate/common';
import type { EmbeddingRequest, TokenUsage } from '../provider.types';

/** The texts to embed; Google's embedding APIs take text only, so token-id inputs are refused. */
export function embeddingTexts(request: EmbeddingRequest, provider: string): string[] {
  const input = request.input;
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input as string[];
  throw badRequest(`${provider} embeddings take text input (a string or an array of strings), not token ids.`, 'input');
}

/**
 * Cohere-style `input_type` values as Google task types; Google's own task type names are accepted as they
 * are (any case).
 */
const TASK_TYPES: Record<string, string> = {
  search_document: 'RETRIEVAL_DOCUMENT',
  search_query: 'RETRIEVAL_QUERY',
  classification: 'CLASSIFICATION',
  clustering: 'CLUSTERING',
};
const GOOGLE_TASK_TYPES = new Set([
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
]);

export function taskTypeOf(inputType: unknown): string | undefined {
  if (inputType === undefined || inputType === null) return undefined;
  const value = String(inputType);
  const mapped = TASK_TYPES[value] ?? (GOOGLE_TASK_TYPES.has(value.toUpperCase()) ? value.toUpperCase() : undefined);
  if (!mapped) {
    throw badRequest(`input_type "${value}" has no Google task type; use one of ${[...Object.keys(TASK_TYPES), ...GOOGLE_TASK_TYPES].join(', ')}.`, 'input_type');
  }
  return mapped;
}


/** OpenAI's embeddings `list` body. */
export function embeddingListBody(vectors: number[][], model: string, format: unknown, usage: TokenUsage): Buffer {
  return Buffer.from(
    JSON.stringify({
      object: 'list',
      data: vectors.map((values, index) => ({ object: 'embedding', index, embedding: encodeEmbedding(values, format) })),
      model,
      usage: { prompt_tokens: usage.promptTokens, total_tokens: usage.totalTokens },
    }),
  );
}
