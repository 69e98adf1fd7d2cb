import { GatewayError } from '@tollgate/common';
import type { EmbeddingRequest, TokenUsage } from '../provider.types';
import { OPENAI_EMBEDDING_PARAMS } from '../shared/openai-params';
import { embeddingListBody, embeddingTexts, taskTypeOf } from '../google-common/embedding-io';
import { overDefaults } from '../shared/deployment-params';

/** Keys of an OpenAI embeddings request that are translated, not passed through. */
const TRANSLATED = new Set([...OPENAI_EMBEDDING_PARAMS, 'model', 'input', 'input_type']);
/** Provider-specific keys that belong to each instance rather than to `parameters`. */
const INSTANCE_KEYS = new Set(['task_type', 'title']);

export interface VertexPredictRequest {
  instances: Array<{ content: string; task_type?: string; [extra: string]: unknown }>;
  parameters?: Record<string, unknown>;
}

interface VertexPredictResponse {
  predictions?: Array<{ embeddings?: { values?: number[]; statistics?: { token_count?: number; truncated?: boolean } } }>;
}

/**
 * An OpenAI embeddings request as the Vertex text-embedding `predict` body: one instance per text,
 * `input_type` as each instance's `task_type`, `dimensions` as `parameters.outputDimensionality`.
 * Provider-specific keys pass through: `task_type` / `title` on each instance, the rest (`autoTruncate`, ...)
 * in `parameters`.
 */
export function toPredictRequest(request: EmbeddingRequest, defaults: Record<string, unknown> | undefined): VertexPredictRequest {
  const req: Record<string, unknown> = overDefaults(defaults, request);
  const instanceExtras: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  const taskType = taskTypeOf(req.input_type);
  if (taskType) instanceExtras.task_type = taskType;
  if (typeof req.dimensions === 'number') parameters.outputDimensionality = req.dimensions;
  for (const [key, value] of Object.entries(req)) {
    if (value === undefined || TRANSLATED.has(key)) continue;
    if (INSTANCE_KEYS.has(key)) instanceExtras[key] = value;
    else parameters[key] = value;
  }
  const body: VertexPredictRequest = { instances: embeddingTexts(request, 'vertex_ai').map((content) => ({ content, ...instanceExtras })) };
  if (Object.keys(parameters).length > 0) body.parameters = parameters;
  return body;
}

/** The `predict` answer as OpenAI's list; usage is the sum of each prediction's `statistics.token_count`. */
export function fromPredictResponse(json: VertexPredictResponse, inputs: number, model: string, format: unknown): { body: Buffer; usage: TokenUsage } {
  const predictions = json.predictions ?? [];
  if (predictions.length !== inputs) {
    throw new GatewayError(502, 'api_error', `Vertex AI returned ${predictions.length} embeddings for ${inputs} inputs.`, { code: 'upstream_invalid_response' });
  }
  const tokens = predictions.reduce((sum, p) => sum + (p.embeddings?.statistics?.token_count ?? 0), 0);
  const usage: TokenUsage = { promptTokens: tokens, completionTokens: 0, totalTokens: tokens };
  return { body: embeddingListBody(predictions.map((p) => p.embeddings?.values ?? []), model, format, usage), usage };
}
