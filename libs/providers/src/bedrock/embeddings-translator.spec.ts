import { describe, expect, it } from 'vitest';
import { GatewayError } from '@tollgate/common';
import type { EmbeddingRequest } from '../provider.types';
import { cohereBody, cohereResult, embeddingFamily, embeddingListBody, embeddingTexts, estimateTokens, titanBody, titanResult } from './embeddings-translator';

const request = (extra: Partial<EmbeddingRequest> = {}): EmbeddingRequest => ({ model: 'e', input: ['a'], ...extra });

describe('Bedrock embeddings translation', () => {
  it('recognises Titan text, Titan image and Cohere models (also through profiles)', () => {
    expect(embeddingFamily('amazon.titan-embed-text-v2:0')).toBe('titan-text');
    expect(embeddingFamily('amazon.titan-embed-text-v1')).toBe('titan-text');
    expect(embeddingFamily('amazon.titan-embed-image-v1')).toBe('titan-image');
    expect(embeddingFamily('cohere.embed-multilingual-v3')).toBe('cohere');
    expect(embeddingFamily('us.cohere.embed-v4:0')).toBe('cohere');
    expect(embeddingFamily('anthropic.claude-v2')).toBeUndefined();
  });

  it('takes strings and refuses token arrays', () => {
    expect(embeddingTexts('one')).toEqual(['one']);
    expect(embeddingTexts(['a', 'b'])).toEqual(['a', 'b']);
    expect(() => embeddingTexts([1, 2, 3])).toThrow(GatewayError);
    expect(() => embeddingTexts([])).toThrow(GatewayError);
  });

  it('builds Titan bodies with dimensions where each model takes them, plus extra keys', () => {
    expect(titanBody('titan-text', 'hi', request({ dimensions: 256 }), { normalize: true })).toEqual({ inputText: 'hi', normalize: true, dimensions: 256 });
    expect(titanBody('titan-image', 'hi', request({ dimensions: 384 }), {})).toEqual({ inputText: 'hi', embeddingConfig: { outputEmbeddingLength: 384 } });
    expect(titanBody('titan-text', 'hi', request(), {})).toEqual({ inputText: 'hi' });
  });

  it('builds Cohere bodies with search_document by default and the caller input_type otherwise', () => {
    expect(cohereBody(['a', 'b'], request(), { truncate: 'END' })).toEqual({ texts: ['a', 'b'], input_type: 'search_document', truncate: 'END' });
    expect(cohereBody(['a'], request({ input_type: 'search_query', dimensions: 512 }), {})).toEqual({ texts: ['a'], input_type: 'search_query', output_dimension: 512 });
    expect(() => cohereBody(['a'], request({ input_type: 'query' }), {})).toThrow(/input_type/);
  });

  it('reads Titan and Cohere responses', () => {
    expect(titanResult({ embedding: [0.1, 0.2], inputTextTokenCount: 3 })).toEqual({ embedding: [0.1, 0.2], tokens: 3 });
    expect(() => titanResult({ message: 'x' })).toThrow();
    expect(cohereResult({ id: 'x', embeddings: [[1], [2]], texts: ['a', 'b'], response_type: 'embeddings_floats' }, 2)).toEqual([[1], [2]]);
    expect(cohereResult({ embeddings: { float: [[1]], int8: [[9]] }, response_type: 'embeddings_by_type' }, 1)).toEqual([[1]]);
    expect(() => cohereResult({ embeddings: [[1]] }, 2)).toThrow(/2 embeddings/);
  });

  it('estimates about four characters per token, at least one per text', () => {
    expect(estimateTokens(['alpha', 'beta', ''])).toBe(2 + 1 + 1);
  });

  it('writes the OpenAI list, with base64 float32 vectors when asked', () => {
    const list = JSON.parse(embeddingListBody([[0.5, -1]], 'titan', 4, 'float').toString('utf8'));
    expect(list).toEqual({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5, -1] }], model: 'titan', usage: { prompt_tokens: 4, total_tokens: 4 } });
    const encoded = JSON.parse(embeddingListBody([[0.5, -1]], 'titan', 4, 'base64').toString('utf8')).data[0].embedding;
    const bytes = Buffer.from(encoded, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -1]);
  });
});
