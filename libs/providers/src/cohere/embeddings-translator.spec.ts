import { GatewayError } from '@tollgate/common';
import { describe, expect, it } from 'vitest';
import { float32Base64 } from '../shared/embedding-encoding';
import { fromCohereEmbedResponse, toCohereEmbedRequest } from './embeddings-translator';

describe('toCohereEmbedRequest', () => {
  it('sends texts with the search_document input type and float embeddings by default', () => {
    expect(toCohereEmbedRequest({ model: 'g', input: 'hello', encoding_format: 'float', user: 'u' }, 'embed-v4.0')).toEqual({
      model: 'embed-v4.0',
      texts: ['hello'],
      input_type: 'search_document',
      embedding_types: ['float'],
    });
  });

  it('keeps the caller input_type, maps dimensions to output_dimension and passes native keys through', () => {
    expect(toCohereEmbedRequest({ input: ['a', 'b'], input_type: 'search_query', dimensions: 256, truncate: 'END' }, 'embed-v4.0')).toEqual({
      model: 'embed-v4.0',
      texts: ['a', 'b'],
      input_type: 'search_query',
      embedding_types: ['float'],
      output_dimension: 256,
      truncate: 'END',
    });
  });

  it('refuses token-array input with a 400', () => {
    expect(() => toCohereEmbedRequest({ input: [[1, 2, 3]] }, 'm')).toThrow(GatewayError);
  });
});

describe('fromCohereEmbedResponse', () => {
  const response = {
    id: 'da6e531f',
    embeddings: { float: [[0.5, -1.25], [2, 0]] },
    texts: ['a', 'b'],
    meta: { api_version: { version: '2' }, billed_units: { input_tokens: 4 } },
    response_type: 'embeddings_by_type',
  };

  it('returns an OpenAI embedding list with billed input tokens as usage', () => {
    const { body, usage } = fromCohereEmbedResponse(response, 'embed-v4.0', 'float');
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1.25] },
        { object: 'embedding', index: 1, embedding: [2, 0] },
      ],
      model: 'embed-v4.0',
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
    expect(usage).toEqual({ promptTokens: 4, completionTokens: 0, totalTokens: 4 });
  });

  it('encodes base64 output as little-endian float32, like OpenAI', () => {
    const json = JSON.parse(fromCohereEmbedResponse(response, 'm', 'base64').body.toString('utf8'));
    const bytes = Buffer.from(json.data[0].embedding, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -1.25]);
    expect(float32Base64([])).toBe('');
  });

  it('fails with a 502 when the upstream sent no float embeddings', () => {
    expect(() => fromCohereEmbedResponse({ embeddings: { int8: [[1]] } }, 'm', 'float')).toThrow(/without float embeddings/);
  });
});
