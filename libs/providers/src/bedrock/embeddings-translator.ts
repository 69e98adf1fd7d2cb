import { badRequest } from '@tollgate/common';
import type { EmbeddingRequest } from '../provider.types';

/** The embedding model families Tollgate calls through InvokeModel, each with its own body. */
export type EmbeddingFamily = 'titan-text' | 'titan-image' | 'cohere';

export function embeddingFamily(modelId: string): EmbeddingFamily | undefined {
  if (/amazon\.titan-embed-image/i.test(modelId)) return 'titan-image';
  if (/amazon\.titan-embed/i.test(modelId)) return 'titan-text';
  if (/cohere\.embed/i.test(modelId)) return 'cohere';
  return undefined;
}

/** Cohere on Bedrock takes at most 96 texts per call. */
export const COHERE_BATCH = 96;

const COHERE_INPUT_TYPES = new Set(['search_document', 'search_query', 'classification', 'clustering']);

/** The texts to embed: Bedrock's embedding models take text, not token ids. */
export function embeddingTexts(input: EmbeddingRequest['input']): string[] {
  const items = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(items) || items.length === 0) throw badRequest('input must be a string or a non-empty array of strings.', 'input');
  if (items.some((item) => typeof item !== 'string')) throw badRequest('Bedrock embedding models take text input, not token arrays.', 'input');
  return items as string[];
}

/** Amazon Titan: one text per call (`{inputText, dimensions, normalize}`); extra keys pass through. */
export function titanBody(family: 'titan-text' | 'titan-image', text: string, request: EmbeddingRequest, extra: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { inputText: text, ...extra };
  if (typeof request.dimensions === 'number') {
    if (family === 'titan-image') body.embeddingConfig = Object.assign({}, body.embeddingConfig as object | undefined, { outputEmbeddingLength: request.dimensions });
    else body.dimensions = request.dimensions;
  }
  return body;
}

/** Cohere Embed: `{texts, input_type}` (`search_document` unless the caller's `input_type` says otherwise). */
export function cohereBody(texts: string[], request: EmbeddingRequest, extra: Record<string, unknown>): Record<string, unknown> {
  const inputType = typeof request.input_type === 'string' ? request.input_type : undefined;
  if (inputType !== undefined && !COHERE_INPUT_TYPES.has(inputType)) {
    throw badRequest(`input_type must be one of ${[...COHERE_INPUT_TYPES].join(', ')} for Cohere embeddings on Bedrock.`, 'input_type');
  }
  const body: Record<string, unknown> = { texts, input_type: inputType ?? 'search_document', ...extra };
  if (typeof request.dimensions === 'number') body.output_dimension = request.dimensions;
  return body;
}

const isVector = (value: unknown): value is number[] => Array.isArray(value) && value.every((n) => typeof n === 'number');

export function titanResult(json: unknown): { embedding: number[]; tokens: number } {
  const body = json as { embedding?: unknown; inputTextTokenCount?: unknown };
  if (!isVector(body?.embedding)) throw new Error('the Titan response has no embedding');
  return { embedding: body.embedding, tokens: typeof body.inputTextTokenCount === 'number' ? body.inputTextTokenCount : 0 };
}

/** Cohere's `embeddings`: a list of vectors, or by type (`{float: [...]}`) when `embedding_types` was set. */
export function cohereResult(json: unknown, expected: number): number[][] {
  const raw = (json as { embeddings?: unknown })?.embeddings;
  const byType = raw && !Array.isArray(raw) && typeof raw === 'object' ? (raw as Record<string, unknown>) : undefined;
  const vectors = byType ? (byType.float ?? Object.values(byType)[0]) : raw;
  if (!Array.isArray(vectors) || vectors.length !== expected || !vectors.every(isVector)) throw new Error(`the Cohere response does not hold ${expected} embeddings`);
  return vectors;
}

/**
 * Tokens in texts when the upstream does not count them (Cohere on Bedrock without the token-count header):
 * about four characters per token, the usual estimate for English text, and at least one per text.
 */
export function estimateTokens(texts: string[]): number {
  return texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
}

/** OpenAI's `base64` encoding: the vector's float32 values, little-endian, in base64. */
function base64Vector(vector: number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString('base64');
}

/** The OpenAI embeddings `list` body. */
export function embeddingListBody(vectors: number[][], model: string, promptTokens: number, encodingFormat: unknown): Buffer {
  const data = vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encodingFormat === 'base64' ? base64Vector(vector) : vector }));
  return Buffer.from(JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }));
}
