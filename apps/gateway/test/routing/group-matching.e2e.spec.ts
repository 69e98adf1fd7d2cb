import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { chatError, chatOk, deployment, header, routingConfig, startRoutingGateway, type RoutingGateway } from './routing-test-kit';

/** A prompt of well over 50 tokens (about 600). */
const LONG_PROMPT = [{ role: 'user', content: 'please summarise this text '.repeat(150) }];

/**
 * Issue 6's proof for how a requested model name finds its deployments, through the real gateway and the
 * official SDK: wildcard groups, model_group_alias, tag routing (with a `default` tag) and the context-window
 * pre-call check. Which deployment answered is read from the upstream model in the body and the calls the
 * upstream received.
 */
describe('model groups: wildcards, aliases, tags, pre-call checks', () => {
  const upstream = new FakeOpenAIUpstream();
  let t: RoutingGateway;
  let client: OpenAI;

  beforeAll(async () => {
    await upstream.start();
    const yaml = routingConfig(
      [
        [
          '  - model_name: "openai/*"',
          '    litellm_params:',
          '      model: "openai/*"',
          `      api_base: ${upstream.url}/v1`,
          '      api_key: os.environ/UPSTREAM_API_KEY',
        ].join('\n'),
        deployment('real-group', upstream, 'm-real'),
        deployment('tagged', upstream, 'm-tag-paid', ['tags: ["paid"]']),
        deployment('tagged', upstream, 'm-tag-free', ['tags: ["free"]']),
        deployment('tagged', upstream, 'm-tag-default', ['tags: ["default"]']),
        deployment('ctx', upstream, 'm-ctx-small', [], ['max_input_tokens: 50']),
        deployment('ctx', upstream, 'm-ctx-big', [], ['max_input_tokens: 100000']),
        deployment('ctx-only-small', upstream, 'm-ctx-only-small', [], ['max_input_tokens: 50']),
      ],
      ['enable_tag_filtering: true', 'enable_pre_call_checks: true', 'model_group_alias: {gpt-4: real-group}'],
    );
    t = await startRoutingGateway('routing_groups', yaml);
    client = t.client();
  });

  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  const calls = (model: string) => upstream.requestsFor(model).length;

  it('a wildcard group "openai/*" serves any openai/<model>, calling <model> upstream', async () => {
    for (const model of ['wild-one', 'wild-two']) {
      const answer = await chatOk(client, `openai/${model}`);
      expect(answer.model).toBe(model);
      expect(header(answer.headers, 'x-litellm-model-group')).toBe(`openai/${model}`);
      expect(calls(model)).toBe(1);
    }
    // The wildcard name itself names a family, not a model.
    const refused = await chatError(client, 'openai/*');
    expect(refused.error).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('model_group_alias sends gpt-4 to the real-group deployments', async () => {
    const answer = await chatOk(client, 'gpt-4');
    expect(answer.model).toBe('m-real');
    expect(header(answer.headers, 'x-litellm-model-group')).toBe('real-group');
  });

  it('tag routing: metadata.tags pick the tagged deployment; untagged and unclaimed tags go to the default-tagged one', async () => {
    const answeredBy = async (extra: Record<string, unknown>) => (await chatOk(client, 'tagged', extra)).model;
    for (let i = 0; i < 8; i++) {
      expect(await answeredBy({ metadata: { tags: ['paid'] } })).toBe('m-tag-paid');
      expect(await answeredBy({ metadata: { tags: ['free'] } })).toBe('m-tag-free');
      expect(await answeredBy({})).toBe('m-tag-default');
      expect(await answeredBy({ metadata: { tags: ['nobody-has-this'] } })).toBe('m-tag-default');
    }
    expect(calls('m-tag-paid')).toBe(8);
    expect(calls('m-tag-free')).toBe(8);
    expect(calls('m-tag-default')).toBe(16);
  });

  it('enable_pre_call_checks skips a deployment whose context window is smaller than the prompt', async () => {
    for (let i = 0; i < 10; i++) expect((await chatOk(client, 'ctx', { messages: LONG_PROMPT })).model).toBe('m-ctx-big');
    expect(calls('m-ctx-small')).toBe(0);
    // A short prompt fits both: the small deployment is in rotation for it.
    for (let i = 0; i < 60 && calls('m-ctx-small') === 0; i++) await chatOk(client, 'ctx');
    expect(calls('m-ctx-small')).toBeGreaterThan(0);
  });

  it('a prompt too large for every deployment is a 400 context_length_exceeded, without an upstream call', async () => {
    const refused = await chatError(client, 'ctx-only-small', { messages: LONG_PROMPT });
    expect(refused.error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused.error.code).toBe('context_length_exceeded');
    expect(refused.error.message).toContain('"ctx-only-small"');
    expect(calls('m-ctx-only-small')).toBe(0);
  });
});
