import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';

/** A blocked customer (the OpenAI `user` of a request) is refused on the LLM routes at once. */
describe('customer blocks on the request path', () => {
  let db: TestDatabase;
  let t: TestGateway;

  beforeAll(async () => {
    db = await createTestDatabase('customer_enforcement');
    t = await startTestGateway('model_list:\n  - model_name: fake\n    litellm_params:\n      model: fake/x\ngeneral_settings:\n  master_key: os.environ/TEST_MASTER_KEY\n', {
      DATABASE_URL: db.url,
      TEST_MASTER_KEY: MASTER_KEY,
    });
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const manage = (path: string, body: unknown) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ask = (user: string, headers: Record<string, string> = {}) =>
    t.client().chat.completions.create({ model: 'fake', user, messages: [{ role: 'user', content: 'hi' }] }, { headers });
  /** Changes reach the in-memory set of blocked customers within a second (a pub/sub message, then a reload). */
  const within1s = async (expected: 'served' | 'refused', user: string) => {
    const deadline = Date.now() + 1_000;
    for (;;) {
      const outcome = await ask(user).then(() => 'served', () => 'refused');
      if (outcome === expected || Date.now() > deadline) return outcome;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('refuses a blocked customer named in `user` or x-litellm-end-user-id, and serves it again once unblocked', async () => {
    expect((await manage('/customer/new', { user_id: 'acme-42' })).status).toBe(200);
    await expect(ask('acme-42')).resolves.toBeDefined();

    expect((await manage('/customer/block', { user_ids: ['acme-42'] })).status).toBe(200);
    expect(await within1s('refused', 'acme-42')).toBe('refused');
    const refused = await ask('acme-42').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as Error).message).toContain('"acme-42" is blocked');
    await expect(ask('someone-else', { 'x-litellm-end-user-id': 'acme-42' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(ask('someone-else')).resolves.toBeDefined();

    expect((await manage('/customer/unblock', { user_ids: ['acme-42'] })).status).toBe(200);
    expect(await within1s('served', 'acme-42')).toBe('served');
  });
});
