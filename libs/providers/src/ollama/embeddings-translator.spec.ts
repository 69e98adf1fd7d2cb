import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { fromOllamaEmbedResponse, toOllamaEmbedRequest } from './embeddings-translator';

describe('toOllamaEmbedRequest', () => {
  it('sends the input as a list, keeps dimensions and native keys, drops OpenAI-only ones', () => {
    expect(toOllamaEmbedRequest({ model: 'g', input: 'Why is the sky blue?', dimensions: 256, encoding_format: 'float', user: 'u', truncate: false }, 'all-minilm')).toEqual({
      model: 'all-minilm',
      input: ['Why is the sky blue?'],
      dimensions: 256,
      truncate: false,
    });
  });

  it('refuses token-array input with a 400', () => {
    expect(() => toOllamaEmbedRequest({ input: [1, 2, 3] }, 'm')).toThrow(GatewayError);
  });
});

describe('fromOllamaEmbedResponse', () => {
  const response = { model: 'all-minilm', embeddings: [[0.25, -0.5], [1, 2]], total_duration: 14143917, load_duration: 1019500, prompt_eval_count: 8 };

  it('returns an OpenAI embedding list with prompt_eval_count as usage', () => {
    const { body, usage } = fromOllamaEmbedResponse(response, 'all-minilm', undefined);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.25, -0.5] },
        { object: 'embedding', index: 1, embedding: [1, 2] },
      ],
      model: 'all-minilm',
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
    expect(usage).toEqual({ promptTokens: 8, completionTokens: 0, totalTokens: 8 });
  });

  it('encodes base64 output as little-endian float32', () => {
    const json = JSON.parse(fromOllamaEmbedResponse(response, 'm', 'base64').body.toString('utf8'));
    const bytes = Buffer.from(json.data[1].embedding, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([1, 2]);
  });

  it('fails with a 502 when the upstream sent no embeddings', () => {
    expect(() => fromOllamaEmbedResponse({ model: 'm' }, 'm', 'float')).toThrow(/without embeddings/);
  });
});
