import type { GatewayEventMap } from '@tollgate/observability';
import { createTestDatabase, type TestDatabase } from '@tollgate/testing';
import OpenAI from 'openai';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayRuntime } from '../../src/gateway-runtime';
import { FakeOpenAIUpstream } from '../support/fake-openai-upstream';
import { eventually, MASTER_KEY, startTestGateway, type TestGateway } from '../support/test-gateway';
import { UPSTREAM_API_KEY } from '../support/upstream-config';

/** Every request on the "priced" model costs exactly 0.0000345 USD (11 prompt and 9 completion tokens). */
const COST = 0.0000345;

/**
 * Budgets on the request path (embedded mode: live spend in memory, seeded from the database): the request that
 * crosses a budget completes, the next is refused with LiteLLM's 429 budget_exceeded naming the owner.
 */
describe('budgets', () => {
  let upstream: FakeOpenAIUpstream;
  let db: TestDatabase;
  let pg: Client;
  let t: TestGateway;
  let yaml: string;
  const alerts: GatewayEventMap['budget_alert'][] = [];

  const start = async () => {
    t = await startTestGateway(yaml, { DATABASE_URL: db.url, UPSTREAM_API_KEY, TEST_MASTER_KEY: MASTER_KEY });
    t.gateway.app.get(GatewayRuntime).events.on('budget_alert', (alert) => alerts.push(alert));
  };

  beforeAll(async () => {
    upstream = await new FakeOpenAIUpstream().start();
    db = await createTestDatabase('budgets_e2e');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    yaml = `model_list:
  - model_name: priced
    litellm_params:
      model: openai/m-ok
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
      input_cost_per_token: 0.0000015
      output_cost_per_token: 0.000002
  - model_name: other
    litellm_params:
      model: openai/m-other
      api_base: ${upstream.url}/v1
      api_key: os.environ/UPSTREAM_API_KEY
      input_cost_per_token: 0.0000015
      output_cost_per_token: 0.000002
litellm_settings:
  max_end_user_budget: 0.00005
general_settings:
  master_key: os.environ/TEST_MASTER_KEY
`;
    await start();
  });

  afterAll(async () => {
    await t?.close();
    await pg?.end();
    await upstream?.stop();
    await db?.drop();
  });

  const manage = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(json)).toBe(200);
    return json;
  };
  const generate = async (body: Record<string, unknown>) => (await manage('/key/generate', body)).key as string;
  const ask = (key: string, extra: Record<string, unknown> = {}, model = 'priced') =>
    t.client(key).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming);
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.type).toBe('budget_exceeded');
    return e;
  };

  it('a key: the crossing request completes, the next is refused naming the key, its spend and budget', async () => {
    const key = await generate({ key_alias: 'budget-key', max_budget: 0.00005 });
    await ask(key);
    await ask(key); // spend 0.0000345 < 0.00005 before it: admitted, and crosses the budget
    const error = await refusal(ask(key));
    expect(error.message).toBe(
      '429 Budget has been exceeded! Key=budget-key Current cost: 0.000069, Max budget: 0.00005. The budget does not reset; ask an administrator to raise it.',
    );
    expect(error.headers?.get('retry-after')).toBeNull();
  });

  it('a team budget stops every key of the team', async () => {
    const team = await manage('/team/new', { team_alias: 'budget-team', max_budget: 0.00003 });
    const [first, second] = [await generate({ team_id: team.team_id }), await generate({ team_id: team.team_id })];
    await ask(first);
    const error = await refusal(ask(second));
    expect(error.message).toContain(`Team=budget-team Current cost: ${COST}, Max budget: 0.00003.`);
  });

  it("a user's budget stops their personal keys; a budget_duration reset within the hour sends retry-after", async () => {
    await manage('/user/new', { user_id: 'budget-user', max_budget: 0.00003, budget_duration: '30m', auto_create_key: false });
    const key = await generate({ user_id: 'budget-user' });
    await ask(key);
    const error = await refusal(ask(key));
    expect(error.message).toContain('User=budget-user Current cost');
    expect(error.message).toMatch(/The budget resets at \d{4}-/);
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(1700);
    expect(retryAfter).toBeLessThanOrEqual(1800);
  });

  it('a team member budget (max_budget_in_team) stops that member only', async () => {
    const team = await manage('/team/new', { team_alias: 'member-team' });
    await manage('/user/new', { user_id: 'capped-member', auto_create_key: false });
    await manage('/user/new', { user_id: 'free-member', auto_create_key: false });
    await manage('/team/member_add', { team_id: team.team_id, member: { user_id: 'capped-member', role: 'user' }, max_budget_in_team: 0.00003 });
    await manage('/team/member_add', { team_id: team.team_id, member: { user_id: 'free-member', role: 'user' } });
    const capped = await generate({ team_id: team.team_id, user_id: 'capped-member' });
    const free = await generate({ team_id: team.team_id, user_id: 'free-member' });
    await ask(capped);
    const error = await refusal(ask(capped));
    expect(error.message).toContain('Team member=capped-member in team member-team');
    await ask(free);
    await ask(free);
  });

  it('an organization budget stops its teams', async () => {
    const org = await manage('/organization/new', { organization_alias: 'budget-org', max_budget: 0.00003 });
    const team = await manage('/team/new', { team_alias: 'org-team', organization_id: org.organization_id });
    const key = await generate({ team_id: team.team_id });
    await ask(key);
    expect((await refusal(ask(key))).message).toContain(`Organization=${org.organization_id as string}`);
  });

  it("an end user's own budget, and the default end-user budget for unknown end users", async () => {
    await manage('/customer/new', { user_id: 'budget-customer', max_budget: 0.00003 });
    const key = await generate({});
    await ask(key, { user: 'budget-customer' });
    expect((await refusal(ask(key, { user: 'budget-customer' }))).message).toContain('End User=budget-customer');
    // Under max_end_user_budget (0.00005): two requests, the second crossing it.
    await ask(MASTER_KEY, { user: 'stranger-1' });
    await ask(MASTER_KEY, { user: 'stranger-1' });
    expect((await refusal(ask(MASTER_KEY, { user: 'stranger-1' }))).message).toContain('End User=stranger-1 Current cost: 0.000069');
    await ask(MASTER_KEY, { user: 'stranger-2' });
  });

  it('end-user rate limits from their budget row', async () => {
    await manage('/customer/new', { user_id: 'rpm-customer', rpm_limit: 1 });
    await ask(MASTER_KEY, { user: 'rpm-customer' });
    const error = await ask(MASTER_KEY, { user: 'rpm-customer' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as Error).message).toMatch(/end user rpm-customer: rpm_limit 1/);
  });

  it('model_max_budget limits one model of a key and leaves the others', async () => {
    const key = await generate({ model_max_budget: { priced: { budget_limit: 0.00003, time_period: '1d' } } });
    await ask(key);
    expect((await refusal(ask(key))).message).toContain('Key=');
    expect((await refusal(ask(key))).message).toContain('on model=priced');
    await ask(key, {}, 'other');
  });

  it('raises one budget_alert when a soft budget is crossed', async () => {
    const key = await generate({ key_alias: 'soft-key', soft_budget: 0.00005 });
    alerts.length = 0;
    for (let i = 0; i < 4; i++) await ask(key);
    expect(alerts.filter((a) => a.subject === 'soft-key')).toEqual([
      { threshold: 'soft_budget', scope: 'key', subject: 'soft-key', spend: 0.000069, budget: 0.00005, resetsAt: undefined, model: undefined },
    ]);
  });

  it('a restarted gateway refuses a key whose recorded spend reached its budget (live spend reconciled from the database)', async () => {
    const key = await generate({ key_alias: 'restart-key', max_budget: 0.00003 });
    const { response } = await ask(key).withResponse();
    const callId = response.headers.get('x-litellm-call-id');
    await t.close(); // the in-process log sink writes what it holds before closing
    const row = await pg.query('SELECT spend::text FROM virtual_keys WHERE key_alias = $1', ['restart-key']);
    expect(row.rows[0].spend).toBe('0.000034500000');
    expect((await pg.query('SELECT 1 FROM request_logs WHERE call_id = $1', [callId])).rowCount).toBe(1);
    await start();
    expect((await refusal(ask(key))).message).toContain('Key=restart-key Current cost: 0.0000345, Max budget: 0.00003.');
  });

  it('an administrator resetting spend lets the key through again', async () => {
    const key = await generate({ key_alias: 'reset-key', max_budget: 0.00003 });
    await ask(key);
    await refusal(ask(key));
    await eventually(async () => ((await pg.query("SELECT spend FROM virtual_keys WHERE key_alias = 'reset-key' AND spend > 0")).rowCount ? true : undefined));
    await manage('/key/update', { key, spend: 0 });
    await ask(key);
  });

  it("answers only once the request's charges have been written: JSON, the end of a stream, embeddings", async () => {
    const key = await generate({ key_alias: 'charges-gate', max_budget: 1 });
    const limits = t.gateway.app.get(GatewayRuntime).limits;
    const write = limits.chargesTogether;
    let open = () => undefined as void;
    // Holds every answer as a connection whose write is still pending would (see batchedCharges).
    limits.chargesTogether = (send) => {
      void write(send);
      return new Promise<void>((resolve) => (open = resolve));
    };
    const heldUntilWritten = async (call: () => Promise<unknown>) => {
      let ended = false;
      const done = call().then(() => (ended = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(ended).toBe(false);
      open();
      await done;
      expect(ended).toBe(true);
    };
    try {
      await heldUntilWritten(() => ask(key));
      await heldUntilWritten(async () => {
        const stream = await t.client(key).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hi' }], stream: true });
        for await (const chunk of stream) void chunk;
      });
      await heldUntilWritten(() => t.client(key).embeddings.create({ model: 'priced', input: 'hi' }));
    } finally {
      limits.chargesTogether = write;
    }
  });
});
