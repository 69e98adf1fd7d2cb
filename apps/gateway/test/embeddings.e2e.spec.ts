import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY, startTestGateway, type TestGateway } from './support/test-gateway';

/** POST /v1/embeddings through the built-in fake model (provider-specific embeddings run in the conformance suite). */
describe('embeddings endpoint', () => {
  let db: TestDatabase;
  let t: TestGateway;

  beforeAll(async () => {
    db = await createTestDatabase('embeddings_e2e');
    t = await startTestGateway(
      `model_list:
  - model_name: fake-embed
    litellm_params:
      model: fake/embedder
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`,
      { DATABASE_URL: db.url, TEST_MASTER_KEY: MASTER_KEY },
    );
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('returns one deterministic unit vector per input, in order, with usage', async () => {
    const first = await t.client().embeddings.create({ model: 'fake-embed', input: ['alpha', 'beta gamma'], encoding_format: 'float' });
    const again = await t.client().embeddings.create({ model: 'fake-embed', input: ['alpha', 'beta gamma'], encoding_format: 'float' });
    expect(first.data.map((d) => d.index)).toEqual([0, 1]);
    expect(first.data[0].embedding).toHaveLength(8);
    expect(Math.hypot(...first.data[0].embedding)).toBeCloseTo(1, 4);
    expect(first.data[0].embedding).not.toEqual(first.data[1].embedding);
    expect(again.data).toEqual(first.data);
    expect(first.usage.prompt_tokens).toBe(3);
  });

  it('honours dimensions and answers on /embeddings too', async () => {
    const result = await t.client().embeddings.create({ model: 'fake-embed', input: 'alpha', dimensions: 16, encoding_format: 'float' });
    expect(result.data[0].embedding).toHaveLength(16);
    const plain = await fetch(`${t.url}/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-embed', input: 'alpha' }),
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-litellm-model-id')).toBeTruthy();
  });

  it('rejects a missing or empty input with a 400 naming "input"', async () => {
    for (const input of [undefined, '', [], [1.5]]) {
      const err = await t.client().embeddings.create({ model: 'fake-embed', input } as never).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('input');
    }
  });

  it('rejects an unknown model listing the available ones', async () => {
    const err = await t.client().embeddings.create({ model: 'nope', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('fake-embed');
  });
});
