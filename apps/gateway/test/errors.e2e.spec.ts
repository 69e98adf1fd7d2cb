import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from './support/fake-openai-upstream';
import { MASTER_KEY, startTestGateway, type TestGateway } from './support/test-gateway';
import { UPSTREAM_API_KEY, upstreamConfigYaml } from './support/upstream-config';

const openaiError = (status: number, message: string, type = 'invalid_request_error', code: string | null = null) => ({
  kind: 'error' as const,
  status,
  body: { error: { message, type, param: null, code } },
});

/** Resolves to the error a promise rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(OpenAI.APIError);
    return err as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error('expected the call to fail');
}

describe('errors in OpenAI shape, raised as the SDK exception classes', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let t: TestGateway;
  const user = [{ role: 'user' as const, content: 'Hi' }];

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    upstream.script('m-429', { ...openaiError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), headers: { 'retry-after': '7' } });
    upstream.script('m-400', openaiError(400, "Invalid value for 'temperature'", 'invalid_request_error', 'invalid_value'));
    upstream.script('m-404', openaiError(404, 'The model `m-404` does not exist', 'invalid_request_error', 'model_not_found'));
    upstream.script('m-403', openaiError(403, 'Project does not have access', 'permission_error'));
    upstream.script('m-422', openaiError(422, 'Unprocessable', 'invalid_request_error'));
    upstream.script('m-500', openaiError(500, 'The server had an error', 'server_error'));
    upstream.script('m-html', { kind: 'html-error', status: 503 });
    upstream.script('m-hang', { kind: 'hang' });
    db = await createTestDatabase('errors_e2e');
    const yaml = upstreamConfigYaml(upstream.url, [
      { name: 'ok', upstreamModel: 'm-ok' },
      ...['429', '400', '404', '403', '422', '500', 'html'].map((s) => ({ name: `up-${s}`, upstreamModel: `m-${s}` })),
      { name: 'slow', upstreamModel: 'm-hang', extra: '      timeout: 0.3\n' },
      { name: 'slow-stream', upstreamModel: 'm-hang', extra: '      timeout: 30\n      stream_timeout: 0.3\n' },
    ]).replace(
      'model_list:\n',
      `model_list:
  - model_name: unreachable
    litellm_params:
      model: openai/m-ok
      api_base: http://127.0.0.1:9/v1
      api_key: os.environ/UPSTREAM_API_KEY
  - model_name: env-key
    litellm_params:
      model: openai/m-ok
      api_base: ${upstream.url}/v1
  - model_name: wrong-upstream-key
    litellm_params:
      model: openai/m-ok
      api_base: ${upstream.url}/v1
      api_key: sk-wrong-secret-0123456789
`,
    );
    // A key only in the environment (the provider's usual variable) must be redacted as well as one in the config.
    process.env.OPENAI_API_KEY = 'sk-env-only-secret-4242';
    t = await startTestGateway(`${yaml}  max_request_size_mb: 0.01\n`, { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY });
  });

  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
    await db?.drop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', ...headers },
      body,
    });

  async function expectOpenAIShape(response: Response, status: number): Promise<{ message: string; type: string; param: unknown; code: unknown }> {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { message: string; type: string; param: unknown; code: unknown } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    return body.error;
  }

  it('malformed JSON is a 400 saying the body is not valid JSON', async () => {
    const error = await expectOpenAIShape(await post('{"model": "ok", '), 400);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.code).toBe('invalid_json');
  });

  it('an empty JSON body is a 400 saying the body is empty, coded invalid_json', async () => {
    const error = await expectOpenAIShape(await post(''), 400);
    expect(error.message).toMatch(/cannot be empty/);
    expect(error.code).toBe('invalid_json');
  });

  it('a form-encoded body is a 415 asking for application/json', async () => {
    const error = await expectOpenAIShape(await post('model=ok', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    expect(error.message).toMatch(/application\/json/);
    expect(error.code).toBe('unsupported_media_type');
  });

  it('a missing or ill-typed model is a BadRequestError naming the parameter', async () => {
    const missing = await rejection(t.client().chat.completions.create({ messages: user } as never));
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing.param).toBe('model');
    const wrongType = await rejection(t.client().chat.completions.create({ model: 42, messages: user } as never));
    expect(wrongType).toBeInstanceOf(OpenAI.BadRequestError);
    expect(wrongType.message).toMatch(/"model" must be a non-empty string, got the number 42/);
  });

  it('missing or ill-typed messages are a BadRequestError naming the parameter', async () => {
    const missing = await rejection(t.client().chat.completions.create({ model: 'ok' } as never));
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing.param).toBe('messages');
    const notArray = await rejection(t.client().chat.completions.create({ model: 'ok', messages: 'hello' } as never));
    expect(notArray.param).toBe('messages');
    const noRole = await rejection(t.client().chat.completions.create({ model: 'ok', messages: [{ content: 'x' }] } as never));
    expect(noRole.param).toBe('messages[0].role');
  });

  it('an unknown model is a BadRequestError listing the available names', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'gpt-nope', messages: user }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('gpt-nope');
    expect(err.message).toContain('env-key, ok, slow, slow-stream, unreachable');
    expect(err.code).toBe('model_not_found');
  });

  it('a body over max_request_size_mb is a 413', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] }));
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/larger than this gateway accepts \(10485 bytes\)/);
  });

  it('a missing key is 401 and a wrong key is an AuthenticationError', async () => {
    const error = await expectOpenAIShape(await post(JSON.stringify({ model: 'ok', messages: user }), { authorization: '' }), 401);
    expect(error.message).toMatch(/No API key provided/);
    const err = await rejection(t.client('sk-wrong').chat.completions.create({ model: 'ok', messages: user }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it.each([
    ['up-429', OpenAI.RateLimitError, 429],
    ['up-400', OpenAI.BadRequestError, 400],
    ['up-404', OpenAI.NotFoundError, 404],
    ['up-403', OpenAI.PermissionDeniedError, 403],
    ['up-422', OpenAI.UnprocessableEntityError, 422],
    ['up-500', OpenAI.InternalServerError, 500],
  ])('upstream errors keep their status: %s', async (model, errorClass, status) => {
    const err = await rejection(t.client().chat.completions.create({ model, messages: user }));
    expect(err).toBeInstanceOf(errorClass);
    expect(err.status).toBe(status);
    if (status === 429) {
      expect(err.message).toContain('Rate limit reached');
      expect(err.headers?.get('retry-after')).toBe('7');
    }
  });

  it('an upstream error page that is not JSON keeps its status with a readable message', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'up-html', messages: user }));
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/Upstream answered HTTP 503/);
  });

  it('an upstream that rejects its own key gives 401 without revealing that key', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'wrong-upstream-key', messages: user }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(JSON.stringify(err.error)).not.toContain('sk-wrong-secret-0123456789');
    expect(err.message).toContain('[redacted]');
  });

  it('an upstream echoing a key taken from the environment (OPENAI_API_KEY) does not reveal it either', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'env-key', messages: user }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(upstream.received.at(-1)?.headers.authorization).toBe('Bearer sk-env-only-secret-4242');
    expect(JSON.stringify(err.error)).not.toContain('sk-env-only-secret-4242');
    expect(err.message).toContain('[redacted]');
  });

  it('an unreachable upstream is a 502 naming the deployment, never its key', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'unreachable', messages: user }));
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(502);
    expect(err.message).toContain('"unreachable"');
    expect(err.message).toContain('http://127.0.0.1:9/v1');
    expect(err.message).not.toContain(UPSTREAM_API_KEY);
  });

  it('an upstream past its timeout is a 504 naming the deployment, and the upstream call is cancelled', async () => {
    const started = Date.now();
    const err = await rejection(t.client().chat.completions.create({ model: 'slow', messages: user }));
    expect(err.status).toBe(504);
    expect(err.message).toMatch(/Deployment "slow" .* did not respond within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    const call = upstream.received.at(-1);
    expect(call?.body.model).toBe('m-hang');
    await call?.aborted;
  });

  it('a stream whose first byte is late is a 504 before any event is sent', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'slow-stream', messages: user, stream: true }));
    expect(err.status).toBe(504);
    expect(err.message).toMatch(/did not start streaming within 300 ms/);
  });

  it('an upstream error on a stream request is raised before streaming starts', async () => {
    const err = await rejection(t.client().chat.completions.create({ model: 'up-429', messages: user, stream: true }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('unknown routes are a 404 in OpenAI shape', async () => {
    const response = await fetch(`${t.url}/v1/nope`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    await expectOpenAIShape(response, 404);
  });
});
