import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import IORedis from 'ioredis';
import OpenAI from 'openai';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';
import { chatError, chatOk, header, SERVER_ERROR, upstreamError } from './routing-test-kit';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'libs', 'config', 'fixtures', 'litellm-docs');
const MASTER = 'sk-docs-configs-master';

/** LiteLLM's routing, reliability and load-balancing examples (libs/config/fixtures/litellm-docs). */
const ROUTING_EXAMPLES = [
  'config-settings-router-settings.yaml',
  'configs-load-balancing.yaml',
  'load-balancing-order.yaml',
  'load-balancing-rate-limits.yaml',
  'load-balancing-router-settings.yaml',
  'reliability-content-policy-fallbacks.yaml',
  'reliability-context-window-fallbacks.yaml',
  'reliability-default-fallbacks.yaml',
  'reliability-fallback-model-id.yaml',
  'reliability-fallbacks.yaml',
  'reliability-pre-call-checks.yaml',
  'reliability-quick-start.yaml',
  'reliability-wildcard-fallbacks.yaml',
  'repo-load-balancer.yaml',
  'routing-cooldowns.yaml',
  'routing-latency-args.yaml',
  'routing-retry-allowed-fails-policy.yaml',
  'routing-usage-based-v2.yaml',
  'tag-routing.yaml',
  'wildcard-routing.yaml',
];

/** `litellm_params` that shape routing; the rest (provider credentials and options) go with the real provider. */
const ROUTING_PARAMS = ['rpm', 'tpm', 'weight', 'order', 'tags', 'timeout', 'stream_timeout', 'cooldown_time', 'max_parallel_requests'];

type Entry = { model_name: string; litellm_params: Record<string, unknown>; [key: string]: unknown };

/**
 * The example with every deployment pointed at the fake upstream, its routing settings untouched: deployment
 * `i` with model `<provider>/<name>` becomes `openai/<tag>.d<i>.<provider>.<name>` (wildcards keep their `*`),
 * so the upstream model a request reaches names the example and the deployment that served it. Redis hosts
 * the examples invent are replaced by the test Redis.
 */
function pointedAtFake(text: string, upstreamUrl: string, tag: string): { yaml: string; usesRedis: boolean } {
  const config = (parse(text) ?? {}) as Record<string, unknown>;
  const entries = (config.model_list ?? []) as Entry[];
  entries.forEach((entry, index) => {
    const model = String(entry.litellm_params.model);
    const slash = model.indexOf('/');
    const [provider, name] = slash === -1 ? ['openai', model] : [model.slice(0, slash), model.slice(slash + 1)];
    const kept = Object.fromEntries(ROUTING_PARAMS.filter((key) => key in entry.litellm_params).map((key) => [key, entry.litellm_params[key]]));
    entry.litellm_params = { model: `openai/${tag}.d${index}.${provider}.${name}`, api_base: `${upstreamUrl}/v1`, api_key: 'os.environ/UPSTREAM_API_KEY', ...kept };
  });
  let usesRedis = false;
  const router = config.router_settings as Record<string, unknown> | undefined;
  if (router?.redis_host !== undefined) {
    usesRedis = true;
    Object.assign(router, { redis_host: '127.0.0.1', redis_port: 6379 });
    delete router.redis_password;
  }
  const variables = config.environment_variables as Record<string, unknown> | undefined;
  if (variables?.REDIS_HOST !== undefined) {
    usesRedis = true;
    Object.assign(variables, { REDIS_HOST: '127.0.0.1', REDIS_PORT: '6379' });
    delete variables.REDIS_PASSWORD;
  }
  return { yaml: stringify(config), usesRedis };
}

/** The upstream model deployment `index` of an example is called with, for a model without `*`. */
function upstreamName(text: string, tag: string, index: number): string {
  const model = String(((parse(text) as { model_list: Entry[] }).model_list[index] as Entry).litellm_params.model);
  return `${tag}.d${index}.${model.includes('/') ? model.replace('/', '.') : `openai.${model}`}`;
}

/** What a check gets: the SDK client, the running gateway, and the upstream model of deployment `index`. */
interface Example {
  client: OpenAI;
  gateway: TestGateway;
  text: string;
  /** The example's tag in upstream model names (`<tag>.d<i>.<provider>.<name>`). */
  tag: string;
  upstreamOf(index: number): string;
}

/**
 * Issue 6's proof that LiteLLM's routing examples load in the real gateway and behave as their pages say.
 * Each example starts the gateway as it is, except that deployments call the local fake upstream (so that
 * they can be scripted to fail) and invented Redis hosts become the test Redis.
 */
describe("LiteLLM's routing examples in the real gateway", () => {
  const upstream = new FakeOpenAIUpstream();
  let db: TestDatabase;

  beforeAll(async () => {
    await upstream.start();
    db = await createTestDatabase('routing_docs_configs');
  });

  afterAll(async () => {
    await upstream.stop();
    await db?.drop();
  });

  /** Each run of an example gets its own tag, so upstream model names never carry over between runs. */
  let examples = 0;

  /** Starts the gateway with the example pointed at the fake, runs `check` against it, and stops it. */
  async function withExample(file: string, check: (example: Example) => Promise<void>): Promise<void> {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const tag = `x${++examples}`;
    const { yaml, usesRedis } = pointedAtFake(text, upstream.url, tag);
    const prefix = usesRedis ? uniquePrefix('docs-configs') : undefined;
    const gateway = await startTestGateway(yaml, { DATABASE_URL: db.url, UPSTREAM_API_KEY, LITELLM_MASTER_KEY: MASTER }, prefix);
    try {
      await check({ client: gateway.client(MASTER), gateway, text, tag, upstreamOf: (index) => upstreamName(text, tag, index) });
    } finally {
      await gateway.close();
      if (prefix) {
        const redis = new IORedis(testRedisUrl());
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
    }
  }

  it.each(ROUTING_EXAMPLES)('%s starts, lists its models and serves every model group', async (file) => {
    await withExample(file, async ({ client, gateway, text, upstreamOf }) => {
      const entries = ((parse(text) as { model_list?: Entry[] }).model_list ?? []) as Entry[];
      const listed = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${MASTER}` } });
      expect(listed.status).toBe(200);
      const ids = ((await listed.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
      for (const entry of entries) expect(ids).toContain(entry.model_name);
      for (const group of new Set(entries.map((entry) => entry.model_name).filter((name) => !name.includes('*')))) {
        const answer = await chatOk(client, group);
        const served = entries.map((entry, index) => (entry.model_name === group ? upstreamOf(index) : undefined));
        expect(served).toContain(answer.model);
      }
    });
  });

  it('reliability-quick-start: a failing gpt-3.5-turbo falls back to gpt-4', async () => {
    await withExample('reliability-quick-start.yaml', async ({ client, upstreamOf }) => {
      upstream.script(upstreamOf(0), SERVER_ERROR);
      const answer = await chatOk(client, 'gpt-3.5-turbo');
      expect(answer.model).toBe(upstreamOf(1));
      expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    });
  });

  it('reliability-fallbacks: zephyr-beta is tried num_retries (3) more times across its deployments, then gpt-4o-mini answers', async () => {
    await withExample('reliability-fallbacks.yaml', async ({ client, upstreamOf }) => {
      const zephyr = [0, 1, 2].map((index) => upstreamOf(index));
      for (const model of zephyr) upstream.script(model, SERVER_ERROR);
      const answer = await chatOk(client, 'zephyr-beta');
      expect(answer.model).toBe(upstreamOf(3));
      expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe('3');
      expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
      const calls = zephyr.map((model) => upstream.requestsFor(model).length);
      expect(calls.reduce((sum, n) => sum + n, 0)).toBe(4);
      // The first two retries go to the two deployments not tried yet.
      expect(calls.every((n) => n >= 1)).toBe(true);
    });
  });

  it('configs-load-balancing: router_settings.num_retries (2) wins over litellm_settings (3); alias and context-window fallbacks', async () => {
    await withExample('configs-load-balancing.yaml', async ({ client, upstreamOf }) => {
      const zephyr = [0, 1, 2].map((index) => upstreamOf(index));
      for (const model of zephyr) upstream.script(model, SERVER_ERROR);
      const failing = await chatOk(client, 'zephyr-beta');
      expect(failing.model).toBe(upstreamOf(3)); // fallbacks: zephyr-beta -> gpt-4o
      expect(header(failing.headers, 'x-litellm-attempted-retries')).toBe('2');

      for (const model of zephyr) upstream.script(model, upstreamError(400, 'maximum context length exceeded', 'invalid_request_error', 'context_length_exceeded'));
      const tooLong = await chatOk(client, 'zephyr-beta');
      expect(tooLong.model).toBe(upstreamOf(4)); // context_window_fallbacks: zephyr-beta -> gpt-4o-mini

      const aliased = await chatOk(client, 'gpt-4');
      expect(aliased.model).toBe(upstreamOf(3)); // model_group_alias: gpt-4 -> gpt-4o
    });
  });

  it('reliability-context-window-fallbacks: an upstream context_length_exceeded moves to gpt-3.5-turbo-large', async () => {
    await withExample('reliability-context-window-fallbacks.yaml', async ({ client, upstreamOf }) => {
      upstream.script(upstreamOf(0), upstreamError(400, 'maximum context length exceeded', 'invalid_request_error', 'context_length_exceeded'));
      const answer = await chatOk(client, 'gpt-3.5-turbo-small');
      expect(answer.model).toBe(upstreamOf(1));
    });
  });

  it('reliability-content-policy-fallbacks: a content-policy refusal moves to claude-opus', async () => {
    await withExample('reliability-content-policy-fallbacks.yaml', async ({ client, upstreamOf }) => {
      upstream.script(upstreamOf(0), upstreamError(400, 'rejected by the safety system', 'invalid_request_error', 'content_policy_violation'));
      const answer = await chatOk(client, 'gpt-3.5-turbo-small');
      expect(answer.model).toBe(upstreamOf(1));
    });
  });

  it('reliability-default-fallbacks: any failing group without its own entry moves to claude-opus', async () => {
    await withExample('reliability-default-fallbacks.yaml', async ({ client, upstreamOf }) => {
      upstream.script(upstreamOf(0), SERVER_ERROR);
      const answer = await chatOk(client, 'gpt-3.5-turbo-small');
      expect(answer.model).toBe(upstreamOf(1));
    });
  });

  it('reliability-wildcard-fallbacks: gpt-4o falls back to azure/gpt-4o, served through the azure/* wildcard', async () => {
    await withExample('reliability-wildcard-fallbacks.yaml', async ({ client, tag, upstreamOf }) => {
      upstream.script(upstreamOf(0), SERVER_ERROR);
      const answer = await chatOk(client, 'gpt-4o');
      expect(answer.model).toBe(`${tag}.d1.azure.gpt-4o`);
      expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    });
  });

  it('reliability-fallback-model-id: the fallback goes to the deployment named by its model_info.id', async () => {
    await withExample('reliability-fallback-model-id.yaml', async ({ client, upstreamOf }) => {
      const azure = upstreamOf(1);
      upstream.script(azure, SERVER_ERROR);
      const azureTried = () => upstream.requestsFor(azure).length;
      // Without retries, a call that picks the failing azure deployment first can only be rescued by the fallback.
      for (let i = 0; i < 40 && azureTried() === 0; i++) {
        const answer = await chatOk(client, 'gpt-4o', { num_retries: 0 });
        expect(header(answer.headers, 'x-litellm-model-id')).toBe('my-specific-model-id');
        expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe(String(azureTried()));
      }
      expect(azureTried()).toBe(1);
    });
  });

  it('tag-routing: free and paid requests reach their deployments, untagged ones the default deployment', async () => {
    await withExample('tag-routing.yaml', async ({ client, upstreamOf }) => {
      for (let i = 0; i < 4; i++) {
        expect((await chatOk(client, 'gpt-4', { metadata: { tags: ['free'] } })).model).toBe(upstreamOf(0));
        expect((await chatOk(client, 'gpt-4', { metadata: { tags: ['paid'] } })).model).toBe(upstreamOf(1));
        expect((await chatOk(client, 'gpt-4')).model).toBe(upstreamOf(2));
      }
    });
  });

  it('wildcard-routing: provider wildcards pass the requested model on, including the multi-wildcard pattern', async () => {
    await withExample('wildcard-routing.yaml', async ({ client, tag }) => {
      expect((await chatOk(client, 'anthropic/claude-sonnet-4-5')).model).toBe(`${tag}.d0.anthropic.claude-sonnet-4-5`);
      expect((await chatOk(client, 'groq/llama-3.1-8b-instant')).model).toBe(`${tag}.d1.groq.llama-3.1-8b-instant`);
      expect((await chatOk(client, 'fo::hello:static::world')).model).toBe(`${tag}.d2.openai.fo::hello:static::world`);
      const unknown = await chatError(client, 'mistral/unknown');
      expect(unknown.error).toBeInstanceOf(OpenAI.BadRequestError);
    });
  });

  it('load-balancing-router-settings: model_group_alias gpt-4 is served by gpt-3.5-turbo (least-busy)', async () => {
    await withExample('load-balancing-router-settings.yaml', async ({ client, upstreamOf }) => {
      const answer = await chatOk(client, 'gpt-4');
      expect([upstreamOf(0), upstreamOf(1)]).toContain(answer.model);
      expect(header(answer.headers, 'x-litellm-model-group')).toBe('gpt-3.5-turbo');
    });
  });

  it('routing-cooldowns: cooldown_time: 0 on the deployment keeps it in rotation however often it fails', async () => {
    await withExample('routing-cooldowns.yaml', async ({ client, upstreamOf }) => {
      const model = upstreamOf(0);
      upstream.script(model, SERVER_ERROR);
      // allowed_fails: 3 would cool it down (for 30 s) after the fourth failure; each call still reaches it.
      for (let i = 0; i < 6; i++) {
        const failed = await chatError(client, 'fake-openai-endpoint', { num_retries: 0 });
        expect(failed.error).toBeInstanceOf(OpenAI.InternalServerError);
      }
      expect(upstream.requestsFor(model)).toHaveLength(6);
    });
  });
});
