import { hashApiKey } from '@tollgate/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeysKit, type KeysKit } from './keys-test-kit';

let kit: KeysKit;
beforeAll(async () => {
  kit = await startKeysKit('keys-e2e');
  await kit.db.organization.create({ data: { id: 'org-k', alias: 'Keys org' } });
  await kit.db.team.create({ data: { id: 'team-k', organizationId: 'org-k' } });
  await kit.db.team.create({ data: { id: 'team-free' } });
  await kit.db.budget.create({ data: { id: 'tier-1', maxBudget: 5 } });
});
afterAll(async () => kit?.close());

describe('POST /key/generate', () => {
  it('issues sk- + 32 random characters, stores only the hash and an abbreviated name, and the key works', async () => {
    const issued = await kit.generate({});
    expect(issued.key).toMatch(/^sk-[A-Za-z0-9_-]{32}$/);
    expect(issued.token).toBe(hashApiKey(issued.key));
    expect(issued.token_id).toBe(issued.token);
    expect(issued.key_name).toBe(`sk-...${issued.key.slice(-4)}`);
    const row = await kit.db.virtualKey.findUniqueOrThrow({ where: { tokenHash: issued.token } });
    expect(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(issued.key);
    expect((await kit.chat(issued.key)).status).toBe(200);
  });

  it('works without a request body', async () => {
    const answer = await kit.call('POST', '/key/generate');
    expect(answer.status).toBe(200);
    expect(answer.body.key).toMatch(/^sk-/);
  });

  it('stores and echoes every setting in LiteLLM field names', async () => {
    const before = Date.now();
    const issued = await kit.generate({
      key_alias: 'all-settings',
      duration: '7d',
      models: ['fake-chat', 'openai/*', 'group-a'],
      aliases: { small: 'fake-chat' },
      max_budget: 12.5,
      soft_budget: 10,
      budget_duration: '30d',
      budget_id: 'tier-1',
      tpm_limit: 1000,
      rpm_limit: 20,
      max_parallel_requests: 3,
      model_max_budget: { 'fake-chat': { budget_limit: 1, time_period: '30d' } },
      model_rpm_limit: { 'fake-chat': 5 },
      model_tpm_limit: { 'fake-chat': 500 },
      metadata: { owner: 'ci' },
      tags: ['ci'],
      permissions: { get_spend_routes: true },
      allowed_routes: ['/v1/chat/completions'],
      guardrails: ['pii'],
      team_id: 'team-k',
      user_id: 'someone',
      unknown_field: 'ignored',
    });
    expect(issued).toMatchObject({
      key_alias: 'all-settings',
      models: ['fake-chat', 'openai/*', 'group-a'],
      aliases: { small: 'fake-chat' },
      max_budget: 12.5,
      soft_budget: 10,
      budget_duration: '30d',
      budget_id: 'tier-1',
      tpm_limit: 1000,
      rpm_limit: 20,
      max_parallel_requests: 3,
      model_max_budget: { 'fake-chat': { budget_limit: 1, time_period: '30d' } },
      model_rpm_limit: { 'fake-chat': 5 },
      model_tpm_limit: { 'fake-chat': 500 },
      metadata: { owner: 'ci' },
      tags: ['ci'],
      permissions: { get_spend_routes: true },
      allowed_routes: ['/v1/chat/completions'],
      guardrails: ['pii'],
      team_id: 'team-k',
      user_id: 'someone',
      organization_id: 'org-k',
      blocked: false,
      spend: 0,
      created_by: 'master',
    });
    expect(issued).not.toHaveProperty('unknown_field');
    const expires = Date.parse(issued.expires as string);
    expect(expires - before).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
    expect(expires - before).toBeLessThan(7 * 86_400_000 + 60_000);
    expect(Date.parse(issued.budget_reset_at as string)).toBeGreaterThan(before + 29 * 86_400_000);
  });

  it('accepts a custom key and an ISO expiry', async () => {
    const issued = await kit.generate({ key: 'sk-my-custom-key-0001', expires: '2099-01-01T00:00:00Z' });
    expect(issued).toMatchObject({ key: 'sk-my-custom-key-0001', token: hashApiKey('sk-my-custom-key-0001'), expires: '2099-01-01T00:00:00.000Z' });
    expect((await kit.chat('sk-my-custom-key-0001')).status).toBe(200);
  });

  it.each([
    [{ key: 'my-key-without-prefix' }, 'key', /must start with "sk-"/],
    [{ key: 'sk-test-master-key' }, 'key', /master key/],
    [{ max_budget: -1 }, 'max_budget', /max_budget/],
    [{ tpm_limit: 'many' }, 'tpm_limit', /tpm_limit/],
    [{ models: 'fake-chat' }, 'models', /models/],
    [{ blocked: 'yes' }, 'blocked', /blocked/],
    [{ duration: 'soon' }, 'duration', /duration/],
    [{ duration: '1d', expires: '2099-01-01T00:00:00Z' }, 'duration', /either "duration" or "expires"/],
    [{ expires: 'next week' }, 'expires', /expires/],
    [{ budget_duration: 'monthly' }, 'budget_duration', /budget_duration/],
    [{ model_rpm_limit: { 'fake-chat': -5 } }, 'model_rpm_limit.fake-chat', /model_rpm_limit/],
    [{ team_id: 'team-k', organization_id: 'org-other' }, 'organization_id', /conflicts with team "team-k"/],
  ])('rejects %j with a 400 naming %s', async (body, param, message) => {
    const answer = await kit.call('POST', '/key/generate', { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(answer.body.error.message).toMatch(message);
  });

  it('rejects a taken key value or alias with a 400', async () => {
    await kit.generate({ key: 'sk-taken-value', key_alias: 'taken-alias' });
    const sameKey = await kit.call('POST', '/key/generate', { body: { key: 'sk-taken-value' } });
    expect(sameKey.status).toBe(400);
    expect(sameKey.body.error.message).toMatch(/already exists/);
    const sameAlias = await kit.call('POST', '/key/generate', { body: { key_alias: 'taken-alias' } });
    expect(sameAlias.status).toBe(400);
    expect(sameAlias.body.error).toMatchObject({ param: 'key_alias', message: expect.stringMatching(/already exists/) });
  });

  it.each([
    [{ team_id: 'no-such-team' }, 'team_id', 'no-such-team'],
    [{ organization_id: 'no-such-org' }, 'organization_id', 'no-such-org'],
    [{ budget_id: 'no-such-budget' }, 'budget_id', 'no-such-budget'],
  ])('answers 404 for %j', async (body, param, id) => {
    const answer = await kit.call('POST', '/key/generate', { body });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ param, message: expect.stringContaining(id) });
  });

  it('answers 401 to a wrong key', async () => {
    const answer = await kit.call('POST', '/key/generate', { key: 'sk-wrong', body: {} });
    expect(answer.status).toBe(401);
    expect(answer.body.error.type).toBe('authentication_error');
  });
});

describe('GET /key/info and /key/list', () => {
  it('shows a key by value or by hash, never the key itself', async () => {
    const issued = await kit.generate({ key_alias: 'info-me', models: ['fake-chat'] });
    for (const named of [issued.key, issued.token]) {
      const answer = await kit.call('GET', `/key/info?key=${encodeURIComponent(named)}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ key: issued.token, info: { token: issued.token, key_alias: 'info-me', key_name: issued.key_name, models: ['fake-chat'] } });
      expect(JSON.stringify(answer.body)).not.toContain(issued.key);
    }
  });

  it('needs a key to describe when the caller is the master key', async () => {
    const answer = await kit.call('GET', '/key/info');
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('key');
  });

  it('answers 404 naming an unknown key (abbreviated)', async () => {
    const answer = await kit.call('GET', '/key/info?key=sk-never-issued-9999');
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toContain('sk-...9999');
    expect(answer.body.error.message).not.toContain('never-issued');
  });

  it('filters and pages, with hashes by default and objects on request', async () => {
    const issued = [];
    for (let i = 0; i < 3; i++) issued.push(await kit.generate({ team_id: 'team-free', key_alias: `listed-${i}` }));
    const firstPage = await kit.call('GET', '/key/list?team_id=team-free&size=2&page=1');
    expect(firstPage.body).toMatchObject({ total_count: 3, current_page: 1, total_pages: 2 });
    expect(firstPage.body.keys).toHaveLength(2);
    const secondPage = await kit.call('GET', '/key/list?team_id=team-free&size=2&page=2');
    expect([...firstPage.body.keys, ...secondPage.body.keys].sort()).toEqual(issued.map((k) => k.token).sort());

    const full = await kit.call('GET', '/key/list?key_alias=listed-1&return_full_object=true');
    expect(full.body.total_count).toBe(1);
    expect(full.body.keys[0]).toMatchObject({ token: issued[1].token, key_alias: 'listed-1', team_id: 'team-free' });
    const partial = await kit.call('GET', '/key/list?key_alias=LISTED&substring_matching=true');
    expect(partial.body.total_count).toBe(3);
    expect((await kit.call('GET', '/key/list?organization_id=org-k')).body.total_count).toBeGreaterThan(0);
    expect((await kit.call('GET', '/key/list?user_id=nobody')).body).toMatchObject({ keys: [], total_count: 0 });
  });

  it('rejects bad paging values with a 400 naming them', async () => {
    for (const [query, param] of [['size=0', 'size'], ['page=abc', 'page'], ['size=1000', 'size'], ['return_full_object=maybe', 'return_full_object']]) {
      const answer = await kit.call('GET', `/key/list?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.param).toBe(param);
    }
  });
});

describe('POST /key/update', () => {
  it('changes settings, and a model restriction applies to the very next request', async () => {
    const issued = await kit.generate({ models: ['fake-chat'] });
    expect((await kit.chat(issued.key, 'fake-chat')).status).toBe(200);
    const denied = await kit.chat(issued.key, 'fake-other');
    expect(denied.status).toBe(401);
    expect(denied.body.error.type).toBe('key_model_access_denied');
    expect(denied.body.error.message).toContain('fake-other');

    const updated = await kit.call('POST', '/key/update', { body: { key: issued.key, models: ['fake-other'], max_budget: 3, metadata: { v: 2 } } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ key: issued.token, token: issued.token, models: ['fake-other'], max_budget: 3, metadata: { v: 2 } });
    expect(JSON.stringify(updated.body)).not.toContain(issued.key);
    expect((await kit.chat(issued.key, 'fake-other')).status).toBe(200);
    expect((await kit.chat(issued.key, 'fake-chat')).status).toBe(401);

    const cleared = await kit.call('POST', '/key/update', { body: { key: issued.token, models: null, max_budget: null } });
    expect(cleared.body).toMatchObject({ models: [], max_budget: null, metadata: { v: 2 } });
  });

  it('answers 404 for an unknown key, 400 for a taken alias or a missing key', async () => {
    expect((await kit.call('POST', '/key/update', { body: { key: 'sk-unknown-1234', models: [] } })).status).toBe(404);
    await kit.generate({ key_alias: 'first-alias' });
    const second = await kit.generate({ key_alias: 'second-alias' });
    const clash = await kit.call('POST', '/key/update', { body: { key: second.key, key_alias: 'first-alias' } });
    expect(clash.status).toBe(400);
    expect(clash.body.error.param).toBe('key_alias');
    const sameAlias = await kit.call('POST', '/key/update', { body: { key: second.key, key_alias: 'second-alias' } });
    expect(sameAlias.status).toBe(200);
    const missing = await kit.call('POST', '/key/update', { body: { models: [] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe('key');
  });
});

describe('audit log', () => {
  it('records each write with its actor, without the key or its hash in before/after', async () => {
    const issued = await kit.generate({ key_alias: 'audited' });
    const headers = { 'litellm-changed-by': 'ops@example.com' };
    await kit.call('POST', '/key/update', { body: { key: issued.key, rpm_limit: 4 }, headers });
    await kit.call('POST', '/key/block', { body: { key: issued.key } });
    await kit.call('POST', '/key/unblock', { body: { key: issued.key } });
    const rotated = (await kit.call('POST', `/key/${issued.key}/regenerate`, { body: {} })).body;
    await kit.call('POST', '/key/delete', { body: { keys: [rotated.key] } });

    const rows = await kit.db.auditLog.findMany({ where: { objectType: 'key', objectId: { in: [issued.token, rotated.token] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.action, r.actor])).toEqual([
      ['create', 'master'],
      ['update', 'ops@example.com'],
      ['block', 'master'],
      ['unblock', 'master'],
      ['regenerate', 'master'],
      ['delete', 'master'],
    ]);
    expect(rows[1]).toMatchObject({ beforeValue: expect.objectContaining({ rpm_limit: null }), afterValue: expect.objectContaining({ rpm_limit: 4, key_alias: 'audited' }) });
    for (const row of rows) {
      const values = JSON.stringify([row.beforeValue, row.afterValue]);
      for (const secret of [issued.key, issued.token, rotated.key, rotated.token]) expect(values).not.toContain(secret);
    }
  });
});
