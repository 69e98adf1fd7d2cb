import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { chatError, chatOk, deployment, header, routingConfig, SERVER_ERROR, startRoutingGateway, upstreamError, type RoutingGateway } from './routing-test-kit';

const CONTEXT_TOO_LONG = upstreamError(
  400,
  "This model's maximum context length is 16385 tokens. However, your messages resulted in 20012 tokens.",
  'invalid_request_error',
  'context_length_exceeded',
);
const CONTENT_POLICY = upstreamError(400, 'Your request was rejected as a result of our safety system.', 'invalid_request_error', 'content_policy_violation');
const BAD_VALUE = upstreamError(400, "Invalid value for 'temperature'", 'invalid_request_error', 'invalid_value');

/**
 * Issue 6's proof for fallbacks, through the real gateway and the official SDK: which group answered is read
 * from the body's `model` (the upstream model that answered), the x-litellm-* headers, and the calls each
 * upstream model received. `fb-wrong` answers too, so that a fallback taken from the wrong list shows.
 */
describe('fallbacks', () => {
  const upstream = new FakeOpenAIUpstream();
  let t: RoutingGateway;
  let client: OpenAI;

  beforeAll(async () => {
    await upstream.start();
    for (const model of ['m-fb-a', 'm-emb-broken', 'm-df-broken', 'm-mf', 'm-mf-two', 'm-mf-broken-1', 'm-mf-broken-2', 'm-pr-broken']) upstream.script(model, SERVER_ERROR);
    upstream.script('m-cw-small', CONTEXT_TOO_LONG);
    upstream.script('m-cp-strict', CONTENT_POLICY);
    upstream.script('m-plain-400', BAD_VALUE);
    const groups = ['fb-a', 'fb-b', 'emb-broken', 'emb-ok', 'fb-wrong', 'cw-small', 'cw-big', 'cp-strict', 'cp-lenient', 'df-broken', 'df-rescue', 'plain-400'];
    const yaml = routingConfig(
      [
        ...groups.map((group) => deployment(group, upstream, `m-${group}`)),
        ...['mf', 'mf-two', 'mf-broken-1', 'mf-broken-2', 'mf-ok', 'pr-broken', 'pr-rescue'].map((group) => deployment(group, upstream, `m-${group}`)),
      ],
      [
        'num_retries: 0',
        'disable_cooldowns: true',
        'max_fallbacks: 2',
        'fallbacks: [{fb-a: [fb-b]}, {emb-broken: [emb-ok]}, {cw-small: [fb-wrong]}, {cp-strict: [fb-wrong]}, {mf: [mf-broken-1, mf-broken-2, mf-ok]}, {mf-two: [mf-broken-1, mf-ok]}, {pr-broken: [fb-wrong]}]',
        'context_window_fallbacks: [{cw-small: [cw-big]}]',
        'content_policy_fallbacks: [{cp-strict: [cp-lenient]}]',
        'default_fallbacks: [df-rescue]',
      ],
    );
    t = await startRoutingGateway('routing_fallbacks', yaml);
    client = t.client();
  });

  afterAll(async () => {
    await t?.close();
    await upstream.stop();
  });

  const calls = (model: string) => upstream.requestsFor(model).length;

  it("group A always 500 with fallbacks [{A: [B]}]: 200 from B, B's model in the body, x-litellm-attempted-fallbacks: 1", async () => {
    const answer = await chatOk(client, 'fb-a');
    expect(answer.model).toBe('m-fb-b');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe('0');
    expect(header(answer.headers, 'x-litellm-model-group')).toBe('fb-b');
    expect(calls('m-fb-a')).toBe(1);
    expect(calls('m-fb-b')).toBe(1);
  });

  it('embeddings go through the same router: a failing group falls back, with the same headers', async () => {
    const { data, response } = await client.embeddings.create({ model: 'emb-broken', input: 'hello' }).withResponse();
    expect(data.model).toBe('m-emb-ok');
    expect(data.data[0]?.embedding).toHaveLength(3);
    expect(header(response.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    expect(header(response.headers, 'x-litellm-model-group')).toBe('emb-ok');
    expect(calls('m-emb-broken')).toBe(1);
  });

  it('the group is retried before falling back, and both show in the headers', async () => {
    const [aBefore, bBefore] = [calls('m-fb-a'), calls('m-fb-b')];
    const answer = await chatOk(client, 'fb-a', { num_retries: 1 });
    expect(answer.model).toBe('m-fb-b');
    expect(header(answer.headers, 'x-litellm-attempted-retries')).toBe('1');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    expect(calls('m-fb-a') - aBefore).toBe(2);
    expect(calls('m-fb-b') - bBefore).toBe(1);
  });

  it("an upstream context_length_exceeded falls back along context_window_fallbacks, not the group's fallbacks", async () => {
    const answer = await chatOk(client, 'cw-small');
    expect(answer.model).toBe('m-cw-big');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    expect(calls('m-cw-small')).toBe(1);
    expect(calls('m-fb-wrong')).toBe(0);
  });

  it("a content-policy refusal falls back along content_policy_fallbacks, not the group's fallbacks", async () => {
    const answer = await chatOk(client, 'cp-strict');
    expect(answer.model).toBe('m-cp-lenient');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    expect(calls('m-cp-strict')).toBe(1);
    expect(calls('m-fb-wrong')).toBe(0);
  });

  it('default_fallbacks rescue a group without a fallbacks entry', async () => {
    const answer = await chatOk(client, 'df-broken');
    expect(answer.model).toBe('m-df-rescue');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
  });

  it("a plain bad request (the caller's mistake) falls back nowhere, not even to default_fallbacks", async () => {
    const before = calls('m-df-rescue');
    const failed = await chatError(client, 'plain-400');
    expect(failed.error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(failed.error.message).toMatch(/temperature/);
    expect(calls('m-df-rescue')).toBe(before);
  });

  it('max_fallbacks: 2 stops the chain before its third group', async () => {
    const failed = await chatError(client, 'mf');
    expect(failed.error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(calls('m-mf')).toBe(1);
    expect(calls('m-mf-broken-1')).toBe(1);
    expect(calls('m-mf-broken-2')).toBe(1);
    expect(calls('m-mf-ok')).toBe(0);

    // The same target two steps down the chain is reached.
    const answer = await chatOk(client, 'mf-two');
    expect(answer.model).toBe('m-mf-ok');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('2');
  });

  it('per-request fallbacks in the body replace the configured chain (plain names and {model} objects)', async () => {
    const answer = await chatOk(client, 'pr-broken', { fallbacks: ['pr-rescue'] });
    expect(answer.model).toBe('m-pr-rescue');
    expect(header(answer.headers, 'x-litellm-attempted-fallbacks')).toBe('1');
    expect(calls('m-fb-wrong')).toBe(0);

    const viaObject = await chatOk(client, 'pr-broken', { fallbacks: [{ model: 'mf-broken-1' }, { model: 'pr-rescue' }] });
    expect(viaObject.model).toBe('m-pr-rescue');
    expect(header(viaObject.headers, 'x-litellm-attempted-fallbacks')).toBe('2');
    expect(calls('m-fb-wrong')).toBe(0);
  });
});
