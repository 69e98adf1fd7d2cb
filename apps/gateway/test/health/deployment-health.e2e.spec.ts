import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';

const WRONG_KEY = 'sk-wrong-upstream-key-0123456789';

/** GET /health through the real gateway, checking deployments on demand against a scripted upstream. */
describe('GET /health (deployment health, on demand)', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let t: TestGateway;

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('gpt-broken', { kind: 'error', status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } } });
    db = await createTestDatabase('deployment_health_e2e');
    const yaml = `model_list:
  - model_name: chat-ok
    litellm_params:
      model: openai/gpt-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
  - model_name: chat-broken
    litellm_params:
      model: openai/gpt-broken
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
  - model_name: chat-bad-key
    litellm_params:
      model: openai/gpt-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/WRONG_KEY
  - model_name: embed
    litellm_params:
      model: fake/embedder
    model_info:
      mode: embedding
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;
    t = await startTestGateway(yaml, { DATABASE_URL: db.url, UPSTREAM_API_KEY, WRONG_KEY, TEST_MASTER_KEY: MASTER_KEY });
  });

  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
    await db?.drop();
  });

  const get = async (path: string, key?: string) => {
    const response = await fetch(`${t.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
  };

  it('lists healthy and unhealthy deployments in LiteLLM\'s shape, with no credential anywhere', async () => {
    const { status, text, body } = await get('/health', MASTER_KEY);
    expect(status).toBe(200);
    expect(body).toMatchObject({ healthy_count: 2, unhealthy_count: 2 });
    const byGroup = (list: unknown) => Object.fromEntries((list as Array<Record<string, unknown>>).map((e) => [e.model_name, e]));
    const healthy = byGroup(body.healthy_endpoints);
    const unhealthy = byGroup(body.unhealthy_endpoints);
    expect(Object.keys(healthy).sort()).toEqual(['chat-ok', 'embed']);
    expect(Object.keys(unhealthy).sort()).toEqual(['chat-bad-key', 'chat-broken']);
    expect(healthy['chat-ok']).toEqual({
      model: 'openai/gpt-ok',
      model_name: 'chat-ok',
      model_id: expect.stringMatching(/^[0-9a-f]{64}$/),
      provider: 'openai',
      api_base: `${upstream.url}/v1`,
      mode: 'chat',
    });
    expect(healthy.embed).toMatchObject({ model: 'fake/embedder', provider: 'fake', mode: 'embedding' });
    expect(healthy.embed.api_base).toBeUndefined();
    expect(unhealthy['chat-broken'].error).toBe('The server had an error while processing your request.');
    // The upstream echoes the wrong key in its 401 message; the gateway must not.
    expect(unhealthy['chat-bad-key'].error).toMatch(/^Incorrect API key provided: Bearer \[redacted\]/);
    for (const secret of [WRONG_KEY, UPSTREAM_API_KEY, MASTER_KEY]) expect(text).not.toContain(secret);
  });

  it('checks with a one-token "ping" completion through the provider', async () => {
    const before = upstream.received.length;
    await get('/health?model=chat-ok', MASTER_KEY);
    const sent = upstream.received.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].path).toBe('/v1/chat/completions');
    expect(sent[0].body).toEqual({ model: 'gpt-ok', messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 });
  });

  it('narrows to one model group with ?model= and to one deployment with ?model_id=', async () => {
    const one = await get('/health?model=chat-broken', MASTER_KEY);
    expect(one.body).toMatchObject({ healthy_count: 0, unhealthy_count: 1 });
    const id = ((await get('/health?model=embed', MASTER_KEY)).body.healthy_endpoints as Array<{ model_id: string }>)[0].model_id;
    const byId = await get(`/health?model_id=${id}`, MASTER_KEY);
    expect(byId.body).toMatchObject({ healthy_count: 1, unhealthy_count: 0, healthy_endpoints: [{ model_name: 'embed' }] });
  });

  it('is for proxy admins only: 401 without a key, 403 for a virtual key', async () => {
    const anonymous = await get('/health');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { type: 'authentication_error' } });
    const generated = await fetch(`${t.url}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    const { key } = (await generated.json()) as { key: string };
    const member = await get('/health', key);
    expect(member.status).toBe(403);
    expect(member.body).toMatchObject({ error: { type: 'permission_error' } });
  });

  it('leaves liveliness and readiness public and about the gateway itself', async () => {
    const live = await fetch(`${t.url}/health/liveliness`);
    expect(live.status).toBe(200);
    expect(await live.text()).toBe("I'm alive!");
    const before = upstream.received.length;
    const ready = await get('/health/readiness');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect(upstream.received.length).toBe(before);
  });
});
