import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeysKit, type KeysKit } from './keys-test-kit';

let kit: KeysKit;
let viewerKey: string;
let internalKey: string;

async function newCustomer(body: Record<string, unknown>, path = '/customer/new'): Promise<any> {
  const answer = await kit.call('POST', path, { body });
  if (answer.status !== 200) throw new Error(`${path} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const audit = (objectId: string) => kit.db.auditLog.findMany({ where: { objectType: 'end_user', objectId }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  kit = await startKeysKit('customers-e2e');
  await kit.db.user.createMany({ data: [{ id: 'viewer', role: 'proxy_admin_viewer' }, { id: 'worker', role: 'internal_user' }] });
  viewerKey = (await kit.generate({ user_id: 'viewer' })).key;
  internalKey = (await kit.generate({ user_id: 'worker' })).key;
  await kit.db.budget.create({ data: { id: 'tier-gold', maxBudget: 50, rpmLimit: 100 } });
});

afterAll(async () => {
  await kit?.close();
});

describe('POST /customer/new', () => {
  it('creates a customer with its own budget from inline limits, and audits both', async () => {
    const created = await newCustomer({
      user_id: 'acme',
      alias: 'Acme Corp',
      max_budget: 25.5,
      tpm_limit: 1000,
      budget_duration: '1mo',
      allowed_model_region: 'eu',
      default_model: 'fake-chat',
      metadata: { plan: 'pro' },
    });
    expect(created).toMatchObject({
      user_id: 'acme',
      alias: 'Acme Corp',
      spend: 0,
      allowed_model_region: 'eu',
      default_model: 'fake-chat',
      blocked: false,
      metadata: { plan: 'pro' },
      litellm_budget_table: { max_budget: 25.5, tpm_limit: 1000, budget_duration: '1mo' },
    });
    expect(created.budget_id).toBe(created.litellm_budget_table.budget_id);
    expect(created.litellm_budget_table.budget_reset_at).not.toBeNull();
    expect(await audit('acme')).toMatchObject([{ action: 'create', actor: 'master' }]);
    expect(await kit.db.auditLog.count({ where: { objectType: 'budget', objectId: created.budget_id, action: 'create' } })).toBe(1);
  });

  it('links an existing budget by budget_id, and answers on the /end_user/new alias too', async () => {
    const created = await newCustomer({ user_id: 'globex', budget_id: 'tier-gold' }, '/end_user/new');
    expect(created).toMatchObject({ user_id: 'globex', budget_id: 'tier-gold', litellm_budget_table: { budget_id: 'tier-gold', max_budget: 50 } });
    const bare = await newCustomer({ user_id: 'initech' });
    expect(bare).toMatchObject({ budget_id: null, litellm_budget_table: null, alias: null });
  });

  it('refuses budget_id with inline limits, an unknown budget, a taken id and bad values', async () => {
    const both = await kit.call('POST', '/customer/new', { body: { user_id: 'both', budget_id: 'tier-gold', max_budget: 5 } });
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ param: 'max_budget', message: expect.stringContaining('budget_id') });
    const unknownBudget = await kit.call('POST', '/customer/new', { body: { user_id: 'lost', budget_id: 'tier-none' } });
    expect(unknownBudget.status).toBe(404);
    expect(unknownBudget.body.error).toMatchObject({ param: 'budget_id', message: expect.stringContaining('"tier-none"') });
    const taken = await kit.call('POST', '/customer/new', { body: { user_id: 'acme' } });
    expect(taken.status).toBe(400);
    expect(taken.body.error).toMatchObject({ param: 'user_id', message: expect.stringContaining('already exists') });
    for (const [body, param] of [
      [{}, 'user_id'],
      [{ user_id: 'x', allowed_model_region: 'mars' }, 'allowed_model_region'],
      [{ user_id: 'x', max_budget: -1 }, 'max_budget'],
      [{ user_id: 'x', rpm_limit: -1 }, 'rpm_limit'],
      [{ user_id: 'x', budget_duration: 'fortnight' }, 'budget_duration'],
      [{ user_id: 'x', blocked: 'yes' }, 'blocked'],
    ] as const) {
      const answer = await kit.call('POST', '/customer/new', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.param).toBe(param);
    }
    expect(await kit.db.endUser.count({ where: { id: { in: ['both', 'lost', 'x'] } } })).toBe(0);
  });
});

describe('POST /customer/update', () => {
  it('changes fields and the customer’s own budget in place', async () => {
    const before = await kit.db.endUser.findUnique({ where: { id: 'acme' } });
    const answer = await kit.call('POST', '/customer/update', { body: { user_id: 'acme', alias: 'ACME', allowed_model_region: 'us', max_budget: 30 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ alias: 'ACME', allowed_model_region: 'us', budget_id: before?.budgetId, litellm_budget_table: { max_budget: 30, tpm_limit: 1000 } });
    expect((await audit('acme')).at(-1)).toMatchObject({ action: 'update', beforeValue: expect.objectContaining({ alias: 'Acme Corp' }), afterValue: expect.objectContaining({ alias: 'ACME' }) });
  });

  it('gives a customer on a shared budget its own copy instead of changing the shared one', async () => {
    await newCustomer({ user_id: 'hooli', budget_id: 'tier-gold' });
    const answer = await kit.call('POST', '/customer/update', { body: { user_id: 'hooli', max_budget: 75 } });
    expect(answer.status).toBe(200);
    expect(answer.body.budget_id).not.toBe('tier-gold');
    expect(answer.body.litellm_budget_table).toMatchObject({ max_budget: 75, rpm_limit: 100 });
    expect((await kit.db.budget.findUnique({ where: { id: 'tier-gold' } }))?.maxBudget?.toString()).toBe('50');
    const unlinked = await kit.call('POST', '/customer/update', { body: { user_id: 'hooli', budget_id: null } });
    expect(unlinked.body).toMatchObject({ budget_id: null, litellm_budget_table: null });
  });

  it('answers 404 naming an unknown customer or budget, 400 for budget_id with limits', async () => {
    const unknown = await kit.call('POST', '/customer/update', { body: { user_id: 'ghost', alias: 'x' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'user_id', message: expect.stringContaining('"ghost"') });
    const unknownBudget = await kit.call('POST', '/customer/update', { body: { user_id: 'acme', budget_id: 'tier-none' } });
    expect(unknownBudget.status).toBe(404);
    expect(unknownBudget.body.error.param).toBe('budget_id');
    const both = await kit.call('POST', '/customer/update', { body: { user_id: 'acme', budget_id: 'tier-gold', rpm_limit: 1 } });
    expect(both.status).toBe(400);
    expect(both.body.error.param).toBe('rpm_limit');
  });
});

describe('reading customers', () => {
  it('GET /customer/info shows one customer with its budget; 404 names an unknown one', async () => {
    const answer = await kit.call('GET', '/customer/info?end_user_id=globex');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ user_id: 'globex', litellm_budget_table: { budget_id: 'tier-gold' } });
    const unknown = await kit.call('GET', '/customer/info?end_user_id=ghost');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'end_user_id', message: expect.stringContaining('"ghost"') });
    expect((await kit.call('GET', '/customer/info')).body.error.param).toBe('end_user_id');
  });

  it('GET /customer/list answers every customer (by id), or a page of them', async () => {
    const all = await kit.call('GET', '/customer/list');
    expect(all.status).toBe(200);
    expect(all.body.map((c: any) => c.user_id)).toEqual(['acme', 'globex', 'hooli', 'initech']);
    expect(all.body[0].litellm_budget_table).toMatchObject({ max_budget: 30 });
    const page = await kit.call('GET', '/customer/list?page=2&page_size=2');
    expect(page.body.map((c: any) => c.user_id)).toEqual(['hooli', 'initech']);
  });
});

describe('POST /customer/block and /customer/unblock', () => {
  it('blocks known customers and records unknown ones as blocked; unblocks them again', async () => {
    const blocked = await kit.call('POST', '/customer/block', { body: { user_ids: ['acme', 'newcomer'] } });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toEqual({ blocked_users: ['acme', 'newcomer'] });
    expect(await kit.db.endUser.findMany({ where: { blocked: true }, orderBy: { id: 'asc' }, select: { id: true } })).toEqual([{ id: 'acme' }, { id: 'newcomer' }]);
    expect((await audit('newcomer')).map((r) => [r.action, r.beforeValue])).toEqual([['block', null]]);

    const unblocked = await kit.call('POST', '/customer/unblock', { body: { user_ids: ['acme'] } });
    expect(unblocked.status).toBe(200);
    expect((await kit.db.endUser.findUnique({ where: { id: 'acme' } }))?.blocked).toBe(false);
    expect((await audit('acme')).at(-1)).toMatchObject({ action: 'unblock' });
  });

  it('answers 404 when unblocking unknown customers (changing none) and 400 without ids', async () => {
    const unknown = await kit.call('POST', '/customer/unblock', { body: { user_ids: ['newcomer', 'ghost'] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'user_ids', message: expect.stringContaining('"ghost"') });
    expect((await kit.db.endUser.findUnique({ where: { id: 'newcomer' } }))?.blocked).toBe(true);
    expect((await kit.call('POST', '/customer/block', { body: { user_ids: [] } })).body.error.param).toBe('user_ids');
    expect((await kit.call('POST', '/end_user/block', { body: { user_ids: 'acme' } })).status).toBe(400);
  });
});

describe('POST /customer/delete', () => {
  it('deletes the customers and keeps their budgets; 404 names unknown ones, deleting none', async () => {
    const unknown = await kit.call('POST', '/customer/delete', { body: { user_ids: ['initech', 'ghost'] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('"ghost"');
    expect(await kit.db.endUser.findUnique({ where: { id: 'initech' } })).not.toBeNull();

    const answer = await kit.call('POST', '/customer/delete', { body: { user_ids: ['globex', 'initech'] } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ deleted_customers: ['globex', 'initech'] });
    expect(await kit.db.endUser.count({ where: { id: { in: ['globex', 'initech'] } } })).toBe(0);
    expect(await kit.db.budget.findUnique({ where: { id: 'tier-gold' } })).not.toBeNull();
    expect((await audit('globex')).at(-1)).toMatchObject({ action: 'delete', beforeValue: expect.objectContaining({ budgetId: 'tier-gold' }) });
  });
});

describe('who may call the customer routes', () => {
  it('viewers read but never write; internal users do neither; a bad key is a 401', async () => {
    expect((await kit.call('GET', '/customer/list', { key: viewerKey })).status).toBe(200);
    expect((await kit.call('GET', '/customer/info?end_user_id=acme', { key: viewerKey })).status).toBe(200);
    const writes: Array<[string, unknown]> = [
      ['/customer/new', { user_id: 'viewer-made' }],
      ['/customer/update', { user_id: 'acme', alias: 'x' }],
      ['/customer/delete', { user_ids: ['acme'] }],
      ['/customer/block', { user_ids: ['acme'] }],
      ['/customer/unblock', { user_ids: ['newcomer'] }],
    ];
    for (const [path, body] of writes) {
      for (const key of [viewerKey, internalKey]) {
        const answer = await kit.call('POST', path, { key, body });
        expect(answer.status, `${path}`).toBe(403);
        expect(answer.body.error.type).toBe('permission_error');
      }
    }
    expect((await kit.call('GET', '/customer/list', { key: internalKey })).status).toBe(403);
    expect((await kit.call('GET', '/customer/list', { key: 'sk-wrong' })).status).toBe(401);
    expect(await kit.db.endUser.findUnique({ where: { id: 'acme' } })).toMatchObject({ alias: 'ACME', blocked: false });
  });
});
