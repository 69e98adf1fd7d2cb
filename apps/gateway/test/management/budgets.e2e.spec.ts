import { hashApiKey } from '@tollgate/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeysKit, type KeysKit } from './keys-test-kit';

let kit: KeysKit;
let viewerKey: string;
let internalKey: string;

async function newBudget(body: Record<string, unknown>): Promise<any> {
  const answer = await kit.call('POST', '/budget/new', { body });
  if (answer.status !== 200) throw new Error(`budget/new failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

beforeAll(async () => {
  kit = await startKeysKit('budgets-e2e');
  await kit.db.user.createMany({ data: [{ id: 'viewer', role: 'proxy_admin_viewer' }, { id: 'worker', role: 'internal_user' }] });
  viewerKey = (await kit.generate({ user_id: 'viewer' })).key;
  internalKey = (await kit.generate({ user_id: 'worker' })).key;
});

afterAll(async () => {
  await kit?.close();
});

describe('POST /budget/new', () => {
  it('creates a budget with every limit, starting its period, and audits it', async () => {
    const created = await newBudget({
      budget_id: 'gold',
      max_budget: 100.25,
      soft_budget: 80,
      max_parallel_requests: 4,
      tpm_limit: 100000,
      rpm_limit: 60,
      budget_duration: '7d',
      model_max_budget: { 'fake-chat': { max_budget: 10, budget_duration: '1d', tpm_limit: 500, rpm_limit: 5 } },
    });
    expect(created).toMatchObject({
      budget_id: 'gold',
      max_budget: 100.25,
      soft_budget: 80,
      max_parallel_requests: 4,
      tpm_limit: 100000,
      rpm_limit: 60,
      budget_duration: '7d',
      model_max_budget: { 'fake-chat': { max_budget: 10, budget_duration: '1d', tpm_limit: 500, rpm_limit: 5 } },
      created_by: 'master',
    });
    const resetIn = Date.parse(created.budget_reset_at) - Date.now();
    expect(resetIn).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(resetIn).toBeLessThanOrEqual(7 * 86_400_000);
    const stored = await kit.db.budget.findUnique({ where: { id: 'gold' } });
    expect(stored?.maxBudget?.toString()).toBe('100.25');
    expect(await kit.db.auditLog.findMany({ where: { objectType: 'budget', objectId: 'gold' } })).toMatchObject([{ action: 'create', actor: 'master' }]);
  });

  it('generates an id when none is given', async () => {
    const created = await newBudget({ max_budget: 1 });
    expect(created.budget_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.budget_reset_at).toBeNull();
  });

  it('refuses a taken budget_id with a 400', async () => {
    const answer = await kit.call('POST', '/budget/new', { body: { budget_id: 'gold' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ param: 'budget_id', message: expect.stringContaining('already exists') });
  });

  it.each([
    [{ max_budget: -0.01 }, 'max_budget'],
    [{ soft_budget: 'lots' }, 'soft_budget'],
    [{ tpm_limit: -1 }, 'tpm_limit'],
    [{ rpm_limit: 2.5 }, 'rpm_limit'],
    [{ max_parallel_requests: -3 }, 'max_parallel_requests'],
    [{ budget_duration: '3 weeks' }, 'budget_duration'],
    [{ model_max_budget: { 'fake-chat': { max_budget: -1 } } }, 'model_max_budget.fake-chat.max_budget'],
    [{ model_max_budget: { 'fake-chat': 5 } }, 'model_max_budget.fake-chat'],
    [{ model_max_budget: { 'fake-chat': { budget_duration: 'soon' } } }, 'model_max_budget.fake-chat.budget_duration'],
  ])('rejects %j with a 400 naming %s, creating nothing', async (body, param) => {
    const before = await kit.db.budget.count();
    const answer = await kit.call('POST', '/budget/new', { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param, message: expect.stringContaining(param) });
    expect(await kit.db.budget.count()).toBe(before);
  });
});

describe('POST /budget/update', () => {
  it('changes only the fields sent, clears with null, and audits before and after', async () => {
    await newBudget({ budget_id: 'silver', max_budget: 10, rpm_limit: 5, budget_duration: '1d' });
    const answer = await kit.call('POST', '/budget/update', { body: { budget_id: 'silver', max_budget: 20, budget_duration: null } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ budget_id: 'silver', max_budget: 20, rpm_limit: 5, budget_duration: null, budget_reset_at: null, updated_by: 'master' });
    const audit = await kit.db.auditLog.findMany({ where: { objectType: 'budget', objectId: 'silver' }, orderBy: { id: 'asc' } });
    expect(audit.at(-1)).toMatchObject({ action: 'update', beforeValue: expect.objectContaining({ maxBudget: 10 }), afterValue: expect.objectContaining({ maxBudget: 20 }) });
  });

  it('answers 404 naming an unknown budget and 400 without budget_id', async () => {
    const unknown = await kit.call('POST', '/budget/update', { body: { budget_id: 'platinum', max_budget: 1 } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'budget_id', message: expect.stringContaining('"platinum"') });
    const missing = await kit.call('POST', '/budget/update', { body: { max_budget: 1 } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe('budget_id');
    const negative = await kit.call('POST', '/budget/update', { body: { budget_id: 'silver', soft_budget: -2 } });
    expect(negative.status).toBe(400);
    expect(negative.body.error.param).toBe('soft_budget');
  });
});

describe('POST /budget/delete', () => {
  it('refuses while keys, organizations, end users or memberships use the budget, naming them', async () => {
    await newBudget({ budget_id: 'bronze', max_budget: 1 });
    await kit.db.virtualKey.create({ data: { tokenHash: hashApiKey('sk-bronze-key'), keyName: 'sk-...-key', keyAlias: 'bronze-key', budgetId: 'bronze' } });
    await kit.db.organization.create({ data: { id: 'org-bronze', alias: 'Bronze org', budgetId: 'bronze' } });
    await kit.db.endUser.create({ data: { id: 'customer-bronze', budgetId: 'bronze' } });
    await kit.db.team.create({ data: { id: 'team-bronze' } });
    await kit.db.teamMember.create({ data: { userId: 'worker', teamId: 'team-bronze', role: 'user', budgetId: 'bronze' } });

    const refused = await kit.call('POST', '/budget/delete', { body: { id: 'bronze' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('id');
    for (const name of ['bronze-key', 'org-bronze', 'customer-bronze', 'worker in team team-bronze']) expect(refused.body.error.message).toContain(name);
    expect(await kit.db.budget.findUnique({ where: { id: 'bronze' } })).not.toBeNull();

    await kit.db.virtualKey.updateMany({ where: { budgetId: 'bronze' }, data: { budgetId: null } });
    await kit.db.organization.updateMany({ where: { budgetId: 'bronze' }, data: { budgetId: null } });
    await kit.db.endUser.updateMany({ where: { budgetId: 'bronze' }, data: { budgetId: null } });
    const stillMember = await kit.call('POST', '/budget/delete', { body: { id: 'bronze' } });
    expect(stillMember.status).toBe(400);
    expect(stillMember.body.error.message).toContain('1 team memberships');
    expect(stillMember.body.error.message).not.toContain('org-bronze');

    await kit.db.teamMember.updateMany({ where: { budgetId: 'bronze' }, data: { budgetId: null } });
    const deleted = await kit.call('POST', '/budget/delete', { body: { id: 'bronze' } });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ budget_id: 'bronze', max_budget: 1 });
    expect(await kit.db.budget.findUnique({ where: { id: 'bronze' } })).toBeNull();
    const audit = await kit.db.auditLog.findMany({ where: { objectType: 'budget', objectId: 'bronze' }, orderBy: { id: 'asc' } });
    expect(audit.map((row) => row.action)).toEqual(['create', 'delete']);
  });

  it('answers 404 naming an unknown budget and 400 without an id', async () => {
    const unknown = await kit.call('POST', '/budget/delete', { body: { id: 'bronze' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'id', message: expect.stringContaining('"bronze"') });
    expect((await kit.call('POST', '/budget/delete', { body: {} })).body.error.param).toBe('id');
  });
});

describe('reading budgets', () => {
  it('POST /budget/info answers the named budgets in order; GET /budget/info one', async () => {
    const many = await kit.call('POST', '/budget/info', { body: { budgets: ['silver', 'gold'] } });
    expect(many.status).toBe(200);
    expect(many.body.map((b: any) => b.budget_id)).toEqual(['silver', 'gold']);
    const one = await kit.call('GET', '/budget/info?budget_id=gold');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ budget_id: 'gold', max_budget: 100.25 });
  });

  it('answers 404 naming unknown budgets and 400 for a missing or empty list', async () => {
    const unknown = await kit.call('POST', '/budget/info', { body: { budgets: ['gold', 'nope', 'nada'] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('"nope", "nada"');
    const unknownOne = await kit.call('GET', '/budget/info?budget_id=nope');
    expect(unknownOne.status).toBe(404);
    expect(unknownOne.body.error.param).toBe('budget_id');
    expect((await kit.call('POST', '/budget/info', { body: { budgets: [] } })).body.error.param).toBe('budgets');
    expect((await kit.call('GET', '/budget/info')).body.error.param).toBe('budget_id');
  });

  it('GET /budget/list answers every budget, oldest first', async () => {
    const answer = await kit.call('GET', '/budget/list');
    expect(answer.status).toBe(200);
    const ids = answer.body.map((b: any) => b.budget_id);
    expect(ids[0]).toBe('gold');
    expect(ids).toContain('silver');
    expect(ids).toHaveLength(await kit.db.budget.count());
  });
});

describe('who may call the budget routes', () => {
  it('viewers read but never write; internal users do neither; a bad key is a 401', async () => {
    expect((await kit.call('GET', '/budget/list', { key: viewerKey })).status).toBe(200);
    expect((await kit.call('GET', '/budget/info?budget_id=gold', { key: viewerKey })).status).toBe(200);
    expect((await kit.call('POST', '/budget/info', { key: viewerKey, body: { budgets: ['gold'] } })).status).toBe(200);
    for (const [path, body] of [
      ['/budget/new', { budget_id: 'viewer-made' }],
      ['/budget/update', { budget_id: 'gold', max_budget: 1 }],
      ['/budget/delete', { id: 'silver' }],
    ] as const) {
      const answer = await kit.call('POST', path, { key: viewerKey, body });
      expect(answer.status).toBe(403);
      expect(answer.body.error.type).toBe('permission_error');
      expect((await kit.call('POST', path, { key: internalKey, body })).status).toBe(403);
    }
    expect((await kit.call('GET', '/budget/list', { key: internalKey })).status).toBe(403);
    expect((await kit.call('GET', '/budget/list', { key: 'sk-wrong' })).status).toBe(401);
    expect(await kit.db.budget.findUnique({ where: { id: 'gold' } })).toMatchObject({ maxBudget: expect.anything() });
    expect((await kit.db.budget.findUnique({ where: { id: 'gold' } }))?.maxBudget?.toString()).toBe('100.25');
  });
});
