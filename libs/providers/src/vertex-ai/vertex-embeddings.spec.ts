import { describe, expect, it } from 'vitest';
import { fromPredictResponse, toPredictRequest } from './vertex-embeddings';

describe('Vertex text embeddings', () => {
  it('sends one instance per text with task_type, and dimensions as outputDimensionality', () => {
    expect(toPredictRequest({ model: 'm', input: ['a', 'b'], input_type: 'search_query', dimensions: 256, autoTruncate: false, title: 'Doc' }, undefined)).toEqual({
      instances: [
        { content: 'a', task_type: 'RETRIEVAL_QUERY', title: 'Doc' },
        { content: 'b', task_type: 'RETRIEVAL_QUERY', title: 'Doc' },
      ],
      parameters: { outputDimensionality: 256, autoTruncate: false },
    });
    expect(toPredictRequest({ model: 'm', input: 'only' }, undefined)).toEqual({ instances: [{ content: 'only' }] });
  });

  it('refuses token-id input and unknown input types', () => {
    expect(() => toPredictRequest({ model: 'm', input: [1, 2, 3] }, undefined)).toThrow(/text input/);
    expect(() => toPredictRequest({ model: 'm', input: 'x', input_type: 'poetry' }, undefined)).toThrow(/input_type "poetry"/);
  });

  it('reads predictions (shaped like the predict reference) and sums token_count into usage', () => {
    const result = fromPredictResponse(
      {
        predictions: [
          { embeddings: { values: [0.25, -0.5], statistics: { token_count: 3, truncated: false } } },
          { embeddings: { values: [1, 0], statistics: { token_count: 4, truncated: false } } },
        ],
      },
      2,
      'text-embedding-005',
      'float',
    );
    expect(JSON.parse(result.body.toString())).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.25, -0.5] },
        { object: 'embedding', index: 1, embedding: [1, 0] },
      ],
      model: 'text-embedding-005',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    expect(result.usage).toEqual({ promptTokens: 7, completionTokens: 0, totalTokens: 7 });
  });

  it('encodes base64 like OpenAI (little-endian float32) and rejects a count mismatch', () => {
    const result = fromPredictResponse({ predictions: [{ embeddings: { values: [0.25, -0.5] } }] }, 1, 'm', 'base64');
    const encoded = JSON.parse(result.body.toString()).data[0].embedding;
    const bytes = Buffer.from(encoded, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.25, -0.5]);
    expect(() => fromPredictResponse({ predictions: [] }, 1, 'm', 'float')).toThrow(/0 embeddings for 1 inputs/);
  });
});
