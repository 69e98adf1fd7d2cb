import { badRequest, GatewayError } from '@tollgate/common';
import type { Deployment, EmbeddingRequest, EmbeddingResult } from '../provider.types';
import type { Deadline } from '../shared/deadline';
import { header, readJsonBody } from '../shared/upstream-http';
import { postToBedrock } from './bedrock-http';
import { withoutRoute } from './bedrock-settings';
import {
  COHERE_BATCH,
  cohereBody,
  cohereResult,
  embeddingFamily,
  embeddingListBody,
  embeddingTexts,
  estimateTokens,
  titanBody,
  titanResult,
} from './embeddings-translator';

/** Request keys with an OpenAI meaning (translated or refused); every other key passes into the native body. */
const OPENAI_KEYS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user', 'input_type']);
/** Titan embeds one text per call: this many calls run at once for a list of inputs. */
const TITAN_CONCURRENCY = 8;

async function invoke(deployment: Deployment, modelId: string, body: unknown, deadline: Deadline): Promise<{ json: unknown; tokenCount?: string }> {
  const what = { action: 'respond', ms: deployment.timeoutMs };
  const response = await postToBedrock(deployment, 'invoke', modelId, JSON.stringify(body), deadline, what);
  const { json } = await readJsonBody<unknown>(deployment, response, deadline, what);
  return { json, tokenCount: header(response.headers, 'x-amzn-bedrock-input-token-count') };
}

function invalidResponse(deployment: Deployment, err: unknown): GatewayError {
  return new GatewayError(502, 'api_error', `Deployment "${deployment.modelName}" (id ${deployment.id}) returned an unexpected embeddings response: ${(err as Error).message}.`, {
    code: 'upstream_invalid_response',
  });
}

/** Runs `work` over `items` with at most `limit` at a time, in order; stops starting new work after a failure. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Embeddings through InvokeModel. Titan takes one text per call, so a list becomes parallel calls whose
 * `inputTextTokenCount`s are summed; Cohere takes up to 96 texts per call and reports no count in its body,
 * so the `x-amzn-bedrock-input-token-count` header is used, else an estimate (see `estimateTokens`).
 */
export async function embedWithBedrock(
  deployment: Deployment,
  modelId: string,
  request: EmbeddingRequest,
  defaults: Record<string, unknown> | undefined,
  deadline: Deadline,
): Promise<EmbeddingResult> {
  const family = embeddingFamily(modelId);
  if (!family) {
    throw badRequest(`Tollgate embeds with Amazon Titan (amazon.titan-embed-*) and Cohere (cohere.embed-*) models on Bedrock; "${modelId}" is neither.`, 'model');
  }
  const texts = embeddingTexts(request.input);
  const extra: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(request)) if (!OPENAI_KEYS.has(key) && value !== undefined) extra[key] = value;

  let vectors: number[][] = [];
  let tokens = 0;
  if (family === 'cohere') {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += COHERE_BATCH) batches.push(texts.slice(i, i + COHERE_BATCH));
    for (const batch of batches) {
      const { json, tokenCount } = await invoke(deployment, modelId, cohereBody(batch, request, extra), deadline);
      try {
        vectors.push(...cohereResult(json, batch.length));
      } catch (err) {
        throw invalidResponse(deployment, err);
      }
      const counted = Number(tokenCount);
      tokens += tokenCount !== undefined && Number.isFinite(counted) ? counted : estimateTokens(batch);
    }
  } else {
    const results = await inPool(texts, TITAN_CONCURRENCY, async (text) => {
      const { json } = await invoke(deployment, modelId, titanBody(family, text, request, extra), deadline);
      try {
        return titanResult(json);
      } catch (err) {
        throw invalidResponse(deployment, err);
      }
    });
    vectors = results.map((r) => r.embedding);
    tokens = results.reduce((sum, r) => sum + r.tokens, 0);
  }
  return {
    body: embeddingListBody(vectors, withoutRoute(deployment.upstreamModel), tokens, request.encoding_format),
    usage: { promptTokens: tokens, completionTokens: 0, totalTokens: tokens },
    status: 200,
  };
}
