import { describe, expect, it } from 'vitest';
import { estimateEmbeddingTokens, fromBatchEmbedResponse, toBatchEmbedRequest } from './gemini-embeddings';
import { geminiMethodUrl } from './gemini-url';

describe('Gemini batchEmbedContents', () => {
  it('sends one request per text with outputDimensionality, taskType and provider-specific fields', () => {
    expect(toBatchEmbedRequest({ model: 'x', input: ['alpha', 'beta'], dimensions: 768, input_type: 'search_document', title: 'Notes' }, undefined, 'gemini-embedding-001')).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'alpha' }] }, outputDimensionality: 768, taskType: 'RETRIEVAL_DOCUMENT', title: 'Notes' },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'beta' }] }, outputDimensionality: 768, taskType: 'RETRIEVAL_DOCUMENT', title: 'Notes' },
      ],
    });
    expect(toBatchEmbedRequest({ model: 'x', input: 'one', input_type: 'semantic_similarity' }, undefined, 'text-embedding-004').requests[0].taskType).toBe('SEMANTIC_SIMILARITY');
  });

  it('answers in OpenAI shape with an estimated token count (the API reports none)', () => {
    const result = fromBatchEmbedResponse({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }, ['alpha', 'beta'], 'gemini-embedding-001', 'float');
    expect(JSON.parse(result.body.toString())).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
      ],
      model: 'gemini-embedding-001',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it('estimates about four characters per token, at least one per non-empty text', () => {
    expect(estimateEmbeddingTokens(['alpha', 'beta', '', 'a'])).toBe(2 + 1 + 0 + 1);
  });
});

describe('geminiMethodUrl', () => {
  it('builds v1beta model URLs, keeping a version already in api_base and resource names as given', () => {
    expect(geminiMethodUrl('https://generativelanguage.googleapis.com', undefined, 'gemini-2.5-flash', 'generateContent')).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(geminiMethodUrl('https://proxy/v1/', undefined, 'gemini-2.5-flash', 'streamGenerateContent')).toBe('https://proxy/v1/models/gemini-2.5-flash:streamGenerateContent');
    expect(geminiMethodUrl('https://g', 'v1', 'tunedModels/my-model', 'generateContent')).toBe('https://g/v1/tunedModels/my-model:generateContent');
  });
});
