import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from '@tollgate/testing';
import IORedis from 'ioredis';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { Behaviour, FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';

/** An upstream error in OpenAI's wire shape. */
export function upstreamError(status: number, message: string, type: string, code: string | null = null, headers?: Record<string, string>): Behaviour {
  return { kind: 'error', status, body: { error: { message, type, param: null, code } }, ...(headers && { headers }) };
}

export const SERVER_ERROR = upstreamError(500, 'The server had an error while processing your request.', 'server_error');

/**
 * One `model_list` entry served by `upstream` as upstream model `upstreamModel` (the fake is scripted by that
 * name); `params` and `modelInfo` are extra YAML lines under `litellm_params` / `model_info`.
 */
export function deployment(modelName: string, upstream: FakeOpenAIUpstream, upstreamModel: string, params: string[] = [], modelInfo: string[] = []): string {
  const lines = [
    `  - model_name: ${JSON.stringify(modelName)}`,
    '    litellm_params:',
    `      model: ${JSON.stringify(`openai/${upstreamModel}`)}`,
    `      api_base: ${upstream.url}/v1`,
    '      api_key: os.environ/UPSTREAM_API_KEY',
    ...params.map((line) => `      ${line}`),
  ];
  if (modelInfo.length > 0) lines.push('    model_info:', ...modelInfo.map((line) => `      ${line}`));
  return lines.join('\n');
}

/** A whole config: the deployments, then `router_settings` lines, with the test master key. */
export function routingConfig(deployments: string[], routerSettings: string[] = []): string {
  return [
    'model_list:',
    ...deployments,
    ...(routerSettings.length > 0 ? ['router_settings:', ...routerSettings.map((line) => `  ${line}`)] : []),
    'general_settings:',
    '  master_key: os.environ/TEST_MASTER_KEY',
    '',
  ].join('\n');
}

export interface RoutingGateway extends TestGateway {
  client: () => OpenAI;
}

/**
 * The real gateway, in this process, on its own database (and, with `redis`, its own Redis key prefix,
 * removed again on close).
 */
export async function startRoutingGateway(label: string, yaml: string, options: { redis?: boolean } = {}): Promise<RoutingGateway> {
  const db: TestDatabase = await createTestDatabase(label);
  const prefix = options.redis ? uniquePrefix(label) : undefined;
  let gateway: TestGateway;
  try {
    gateway = await startTestGateway(
      yaml,
      { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY, ...(options.redis && { REDIS_URL: testRedisUrl() }) },
      prefix,
    );
  } catch (err) {
    await db.drop();
    throw err;
  }
  return {
    ...gateway,
    client: () => gateway.client(MASTER_KEY),
    close: async () => {
      await gateway.close();
      await db.drop();
      if (prefix) await deleteKeys(prefix);
    },
  };
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new IORedis(testRedisUrl());
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

const USER = [{ role: 'user' as const, content: 'Hi' }];

/** What a chat call ended with, as the official SDK reports it: the answer and its headers, or the error. */
export type ChatOutcome =
  | { ok: true; status: number; headers: Headers; model: string; content: string; elapsedMs: number }
  | { ok: false; error: InstanceType<typeof OpenAI.APIError>; status: number | undefined; elapsedMs: number };

/**
 * One non-streaming chat completion through the SDK. `extra` goes into the body as it is (LiteLLM's
 * per-request `num_retries`, `fallbacks`, `timeout`, `metadata`, ...); `headers` are sent with it.
 */
export async function chat(client: OpenAI, model: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Promise<ChatOutcome> {
  const started = Date.now();
  const params = { model, messages: USER, ...extra } as ChatCompletionCreateParamsNonStreaming;
  try {
    const { data, response } = await client.chat.completions.create(params, headers ? { headers } : undefined).withResponse();
    return { ok: true, status: response.status, headers: response.headers, model: data.model, content: data.choices[0]?.message.content ?? '', elapsedMs: Date.now() - started };
  } catch (err) {
    if (!(err instanceof OpenAI.APIError)) throw err;
    return { ok: false, error: err, status: err.status, elapsedMs: Date.now() - started };
  }
}

/** A chat call that must succeed. */
export async function chatOk(client: OpenAI, model: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Promise<Extract<ChatOutcome, { ok: true }>> {
  const outcome = await chat(client, model, extra, headers);
  if (!outcome.ok) throw new Error(`expected ${model} to answer, got ${outcome.status}: ${outcome.error.message}`);
  return outcome;
}

/** A chat call that must fail; its SDK error. */
export async function chatError(client: OpenAI, model: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Promise<Extract<ChatOutcome, { ok: false }>> {
  const outcome = await chat(client, model, extra, headers);
  if (outcome.ok) throw new Error(`expected ${model} to fail, but it answered (model ${outcome.model})`);
  return outcome;
}

/** What a streamed chat call ended with: the headers, the text received, and the error raised while reading, if any. */
export interface StreamOutcome {
  status: number;
  headers: Headers;
  text: string;
  chunks: number;
  error?: unknown;
  elapsedMs: number;
  /** ms from the call to the first chunk. */
  firstChunkMs?: number;
}

/** One streamed chat completion through the SDK, read to its end (or to the error it raises). */
export async function chatStream(client: OpenAI, model: string, extra: Record<string, unknown> = {}): Promise<StreamOutcome> {
  const started = Date.now();
  const params = { model, messages: USER, stream: true, ...extra } as ChatCompletionCreateParamsStreaming;
  const { data, response } = await client.chat.completions.create(params).withResponse();
  const outcome: StreamOutcome = { status: response.status, headers: response.headers, text: '', chunks: 0, elapsedMs: 0 };
  try {
    for await (const chunk of data) {
      outcome.firstChunkMs ??= Date.now() - started;
      outcome.chunks++;
      outcome.text += chunk.choices[0]?.delta?.content ?? '';
    }
  } catch (err) {
    outcome.error = err;
  }
  outcome.elapsedMs = Date.now() - started;
  return outcome;
}

/** Runs `count` tasks with at most `width` in flight; results in task order. */
export async function inParallel<T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
  return results;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits, if needed, until at least `neededMs` are left in the current wall-clock minute. Failure counts
 * (cooldowns) and usage (usage-based routing) are kept per minute; a test that must see one minute's counts
 * must not straddle two.
 */
export async function withinOneMinute(neededMs: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < neededMs) await sleep(left + 50);
}

/** Header value, failing clearly when it is missing. */
export function header(headers: Headers, name: string): string {
  const value = headers.get(name);
  if (value === null) throw new Error(`response has no ${name} header`);
  return value;
}
