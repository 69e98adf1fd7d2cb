import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';
import { SCENARIOS, type ConformanceFake, type StartConformanceFake } from './conformance-contract';
import { runEmbeddingScenario, runScenario, scenarioRequest } from './scenario-checks';

/** Every `fakes/<provider>.fake.ts` module exports `startFake`; adding a provider's fake adds it here. */
const FAKE_FILES = readdirSync(join(__dirname, 'fakes')).filter((f) => f.endsWith('.fake.ts')).sort();

/**
 * The suite checks each provider's translation of single upstream answers (errors included), so the router
 * must pass every failure straight through: no retries, no cooldowns. Routing has its own tests.
 */
const CONFORMANCE_ROUTING = { num_retries: 0, disable_cooldowns: true };

describe('provider conformance through the gateway (openai client)', () => {
  /** By fake file name without `.fake.ts` (several fakes may serve one provider, e.g. vertex_ai). */
  const fakes = new Map<string, ConformanceFake>();
  const keyOf = (file: string) => file.replace(/\.fake\.ts$/, '');
  let db: TestDatabase;
  let t: TestGateway;

  beforeAll(async () => {
    for (const file of FAKE_FILES) {
      const module = (await import(join(__dirname, 'fakes', file))) as { startFake: StartConformanceFake };
      fakes.set(keyOf(file), await module.startFake());
    }
    const entries = [...fakes].flatMap(([key, fake]) => {
      const chat = { model_name: `conf-${key}`, litellm_params: fake.litellmParams };
      return fake.embeddingParams ? [chat, { model_name: `conf-embed-${key}`, litellm_params: fake.embeddingParams }] : [chat];
    });
    db = await createTestDatabase('conformance');
    const env = Object.assign({ DATABASE_URL: db.url, TEST_MASTER_KEY: MASTER_KEY }, ...[...fakes.values()].map((f) => f.env ?? {}));
    for (const [name, value] of Object.entries(env)) process.env[name] = value as string;
    t = await startTestGateway(`${JSON.stringify({ model_list: entries, general_settings: { master_key: 'os.environ/TEST_MASTER_KEY' }, router_settings: CONFORMANCE_ROUTING })}\n`, env);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([...fakes.values()].map((f) => f.close()));
    await db?.drop();
  });

  it('has a fake upstream for every registered provider with its own wire format', () => {
    expect(FAKE_FILES.length).toBeGreaterThan(0);
  });

  for (const file of FAKE_FILES) {
    const key = keyOf(file);
    describe(key, () => {
      const fake = () => fakes.get(key) as ConformanceFake;

      for (const scenario of SCENARIOS) {
        it(scenario, async () => {
          const f = fake();
          const model = `conf-${key}`;
          if (f.unsupported?.[scenario] === '400') {
            const err = await t
              .client()
              .chat.completions.create(scenarioRequest(scenario, model))
              .then(
                () => undefined,
                (e: unknown) => e,
              );
            expect(err).toBeInstanceOf(OpenAI.BadRequestError);
            return;
          }
          await runScenario(t.client(), scenario, model);
        });
      }

      it('embeddings', async (ctx) => {
        const f = fake();
        if (!f.embeddingParams) return ctx.skip();
        await runEmbeddingScenario(t.client(), `conf-embed-${key}`, f.embeddingUsage);
      });
    });
  }
});
