import { hashApiKey } from '@tollgate/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeysKit, type KeysKit } from './keys-test-kit';

let kit: KeysKit;

/** Creates a user with the master key and returns the answer (with its personal key). */
async function newUser(body: Record<string, unknown>): Promise<any> {
  const answer = await kit.call('POST', '/user/new', { body });
  if (answer.status !== 200) throw new Error(`user/new failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function auditRows(objectType: string, objectId: string) {
  return kit.db.auditLog.findMany({ where: { objectType, objectId }, orderBy: { id: 'asc' } });
}

let viewerKey: string;
let internalKey: string;
let internalViewerKey: string;

beforeAll(async () => {
  kit = await startKeysKit('users-e2e');
  await kit.db.team.createMany({ data: [{ id: 'team-red', alias: 'Red' }, { id: 'team-blue', alias: 'Blue' }] });
  viewerKey = (await newUser({ user_id: 'viewer', user_role: 'proxy_admin_viewer' })).key;
  internalKey = (await newUser({ user_id: 'worker', user_role: 'internal_user', user_email: 'worker@example.com' })).key;
  internalViewerKey = (await newUser({ user_id: 'watcher', user_role: 'internal_user_viewer' })).key;
});

afterAll(async () => {
  await kit?.close();
});

describe('POST /user/new', () => {
  it('creates the user with team memberships and a working personal key, and audits it', async () => {
    const created = await newUser({
      user_email: 'ann@example.com',
      user_alias: 'Ann',
      teams: ['team-red'],
      max_budget: 12.5,
      budget_duration: '30d',
      models: ['fake-chat'],
      tpm_limit: 1000,
      rpm_limit: 10,
      max_parallel_requests: 2,
      metadata: { cost_center: 'r&d' },
      'litellm-ignored-field': true,
    });
    expect(created.user_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created).toMatchObject({
      user_email: 'ann@example.com',
      user_alias: 'Ann',
      user_role: 'internal_user',
      teams: ['team-red'],
      max_budget: 12.5,
      budget_duration: '30d',
      models: ['fake-chat'],
      tpm_limit: 1000,
      rpm_limit: 10,
      max_parallel_requests: 2,
      metadata: { cost_center: 'r&d' },
      spend: 0,
    });
    expect(Date.parse(created.budget_reset_at) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(created.key).toMatch(/^sk-[A-Za-z0-9_-]{32}$/);
    expect(created.key_name).toBe(`sk-...${created.key.slice(-4)}`);
    expect(created.token_id).toBe(hashApiKey(created.key));

    const key = await kit.db.virtualKey.findUnique({ where: { tokenHash: hashApiKey(created.key) } });
    expect(key).toMatchObject({ userId: created.user_id, teamId: null });
    expect(await kit.db.teamMember.findUnique({ where: { userId_teamId: { userId: created.user_id, teamId: 'team-red' } } })).toMatchObject({ role: 'user' });
    expect((await kit.chat(created.key)).status).toBe(200);

    const userAudit = await auditRows('user', created.user_id);
    expect(userAudit).toMatchObject([{ action: 'create', actor: 'master', afterValue: expect.objectContaining({ email: 'ann@example.com' }) }]);
    expect(await auditRows('team', 'team-red')).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'member_add' })]));
    expect(await auditRows('key', hashApiKey(created.key))).toHaveLength(1);
  });

  it('skips the key when auto_create_key is false and records litellm-changed-by as the actor', async () => {
    const answer = await kit.call('POST', '/user/new', { body: { user_id: 'no-key', auto_create_key: false }, headers: { 'litellm-changed-by': 'ops-bot' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ user_id: 'no-key', key: null });
    expect(await kit.db.virtualKey.count({ where: { userId: 'no-key' } })).toBe(0);
    expect(await auditRows('user', 'no-key')).toMatchObject([{ actor: 'ops-bot' }]);
  });

  it('refuses a taken user_id or user_email with a 400 naming the field', async () => {
    const sameId = await kit.call('POST', '/user/new', { body: { user_id: 'worker' } });
    expect(sameId.status).toBe(400);
    expect(sameId.body.error).toMatchObject({ param: 'user_id', message: expect.stringContaining('already exists') });
    const sameEmail = await kit.call('POST', '/user/new', { body: { user_email: 'worker@example.com' } });
    expect(sameEmail.status).toBe(400);
    expect(sameEmail.body.error).toMatchObject({ param: 'user_email', message: expect.stringContaining('worker@example.com') });
  });

  it('answers 404 naming an unknown team, creating nothing', async () => {
    const answer = await kit.call('POST', '/user/new', { body: { user_id: 'lost', teams: ['team-red', 'team-nope'] } });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ param: 'teams', message: expect.stringContaining('"team-nope"') });
    expect(await kit.db.user.findUnique({ where: { id: 'lost' } })).toBeNull();
  });

  it.each([
    [{ max_budget: -1 }, 'max_budget'],
    [{ tpm_limit: -5 }, 'tpm_limit'],
    [{ rpm_limit: 1.5 }, 'rpm_limit'],
    [{ user_role: 'emperor' }, 'user_role'],
    [{ budget_duration: 'forever' }, 'budget_duration'],
    [{ teams: 'team-red' }, 'teams'],
    [{ metadata: 'text' }, 'metadata'],
  ])('rejects %j with a 400 naming %s', async (body, param) => {
    const answer = await kit.call('POST', '/user/new', { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param, message: expect.stringContaining(param) });
  });

  it('answers 401 to a bad key and 403 to anyone but a proxy admin (so only admins create admins)', async () => {
    expect((await kit.call('POST', '/user/new', { key: 'sk-wrong', body: {} })).status).toBe(401);
    for (const key of [internalKey, viewerKey, internalViewerKey]) {
      const answer = await kit.call('POST', '/user/new', { key, body: { user_role: 'proxy_admin' } });
      expect(answer.status).toBe(403);
      expect(answer.body.error.type).toBe('permission_error');
    }
    const admin = await newUser({ user_id: 'admin-2', user_role: 'proxy_admin' });
    const byAdmin = await kit.call('POST', '/user/new', { key: admin.key, body: { user_id: 'admin-3', user_role: 'proxy_admin' } });
    expect(byAdmin.status).toBe(200);
    expect(await auditRows('user', 'admin-3')).toMatchObject([{ actor: 'user:admin-2' }]);
  });
});

describe('POST /user/update', () => {
  it('lets an admin change role, budget and limits, naming the user by id or by email', async () => {
    await newUser({ user_id: 'upd-1', user_email: 'upd1@example.com' });
    const byId = await kit.call('POST', '/user/update', { body: { user_id: 'upd-1', user_role: 'internal_user_viewer', max_budget: 3, budget_duration: '1mo', user_email: 'new1@example.com' } });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ user_id: 'upd-1', user_role: 'internal_user_viewer', max_budget: 3, budget_duration: '1mo', user_email: 'new1@example.com' });
    expect(byId.body.budget_reset_at).not.toBeNull();
    const byEmail = await kit.call('POST', '/user/update', { body: { user_email: 'new1@example.com', rpm_limit: 7, max_budget: null } });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ user_id: 'upd-1', rpm_limit: 7, max_budget: null, user_email: 'new1@example.com' });
    const audit = await auditRows('user', 'upd-1');
    expect(audit.at(-1)).toMatchObject({ action: 'update', beforeValue: expect.objectContaining({ rpmLimit: null }), afterValue: expect.objectContaining({ rpmLimit: 7 }) });
  });

  it('lets users change their own alias, email and metadata but nothing else, and nobody else', async () => {
    const own = await kit.call('POST', '/user/update', { key: internalKey, body: { user_id: 'worker', user_alias: 'Worker', metadata: { desk: 4 } } });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ user_alias: 'Worker', metadata: { desk: 4 } });

    const role = await kit.call('POST', '/user/update', { key: internalKey, body: { user_id: 'worker', user_role: 'proxy_admin', max_budget: 100 } });
    expect(role.status).toBe(403);
    expect(role.body.error.message).toContain('user_role, max_budget');
    const other = await kit.call('POST', '/user/update', { key: internalKey, body: { user_id: 'viewer', user_alias: 'x' } });
    expect(other.status).toBe(403);
    expect(await kit.db.user.findUnique({ where: { id: 'viewer' } })).toMatchObject({ alias: null });
    for (const key of [viewerKey, internalViewerKey]) {
      expect((await kit.call('POST', '/user/update', { key, body: { user_id: 'watcher', user_alias: 'x' } })).status).toBe(403);
    }
  });

  it('answers 404 naming an unknown user, 400 without a user and for a taken email', async () => {
    const unknown = await kit.call('POST', '/user/update', { body: { user_id: 'ghost', user_alias: 'x' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'user_id', message: expect.stringContaining('"ghost"') });
    const unknownEmail = await kit.call('POST', '/user/update', { body: { user_email: 'ghost@example.com', user_alias: 'x' } });
    expect(unknownEmail.status).toBe(404);
    expect(unknownEmail.body.error.message).toContain('ghost@example.com');
    const nobody = await kit.call('POST', '/user/update', { body: { user_alias: 'x' } });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.param).toBe('user_id');
    const taken = await kit.call('POST', '/user/update', { body: { user_id: 'no-key', user_email: 'worker@example.com' } });
    expect(taken.status).toBe(400);
    expect(taken.body.error.param).toBe('user_email');
    const negative = await kit.call('POST', '/user/update', { body: { user_id: 'no-key', max_parallel_requests: -1 } });
    expect(negative.status).toBe(400);
    expect(negative.body.error.param).toBe('max_parallel_requests');
  });

  it('applies to the next LLM request: a model restriction, then a block', async () => {
    const user = await newUser({ user_id: 'limited' });
    expect((await kit.chat(user.key, 'fake-other')).status).toBe(200);
    await kit.call('POST', '/user/update', { body: { user_id: 'limited', models: ['fake-chat'] } });
    const denied = await kit.chat(user.key, 'fake-other');
    expect(denied.status).toBe(401);
    expect(denied.body.error.message).toContain('fake-other');
    expect((await kit.chat(user.key, 'fake-chat')).status).toBe(200);
    await kit.call('POST', '/user/update', { body: { user_id: 'limited', blocked: true } });
    const blocked = await kit.chat(user.key, 'fake-chat');
    expect(blocked.status).toBe(401);
    expect(blocked.body.error.message).toContain('"limited"');
  });
});

describe('GET /user/info', () => {
  it('shows the user, their keys (never the key itself) and their teams with their role', async () => {
    const user = await newUser({ user_id: 'info-1', teams: ['team-red', 'team-blue'] });
    const answer = await kit.call('GET', '/user/info?user_id=info-1');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ user_id: 'info-1', user_info: { user_id: 'info-1', user_role: 'internal_user' } });
    expect(answer.body.keys).toEqual([expect.objectContaining({ key_name: user.key_name, user_id: 'info-1' })]);
    expect(JSON.stringify(answer.body)).not.toContain(user.key);
    expect(answer.body.teams.map((t: any) => [t.team_id, t.role])).toEqual([
      ['team-blue', 'user'],
      ['team-red', 'user'],
    ]);
  });

  it('lets users read themselves (also without user_id), admins and viewers anyone, others nobody', async () => {
    expect((await kit.call('GET', '/user/info?user_id=worker', { key: internalKey })).body.user_id).toBe('worker');
    expect((await kit.call('GET', '/user/info', { key: internalKey })).body.user_id).toBe('worker');
    expect((await kit.call('GET', '/user/info?user_id=worker', { key: viewerKey })).status).toBe(200);
    const other = await kit.call('GET', '/user/info?user_id=viewer', { key: internalKey });
    expect(other.status).toBe(403);
    expect((await kit.call('GET', '/user/info?user_id=worker', { key: 'sk-wrong' })).status).toBe(401);
  });

  it('answers 404 naming an unknown user, and 400 when the master key names nobody', async () => {
    const unknown = await kit.call('GET', '/user/info?user_id=ghost');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'user_id', message: expect.stringContaining('"ghost"') });
    const nobody = await kit.call('GET', '/user/info');
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.param).toBe('user_id');
  });
});

describe('GET /user/list', () => {
  it('pages through users oldest first, with filters by role, ids, email and team', async () => {
    const first = await kit.call('GET', '/user/list?page=1&page_size=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, page_size: 2, users: [{ user_id: 'viewer' }, { user_id: 'worker' }] });
    expect(first.body.total_pages).toBe(Math.ceil(first.body.total / 2));
    const viewers = await kit.call('GET', '/user/list?role=proxy_admin_viewer');
    expect(viewers.body.users.map((u: any) => u.user_id)).toEqual(['viewer']);
    const byIds = await kit.call('GET', '/user/list?user_ids=worker,watcher');
    expect(byIds.body.users.map((u: any) => u.user_id).sort()).toEqual(['watcher', 'worker']);
    const byEmail = await kit.call('GET', '/user/list?user_email=WORKER@');
    expect(byEmail.body.users.map((u: any) => u.user_id)).toEqual(['worker']);
    const inTeam = await kit.call('GET', '/user/list?team=team-blue');
    expect(inTeam.body.users.map((u: any) => u.user_id)).toEqual(['info-1']);
    expect(inTeam.body.users[0].teams).toEqual(['team-blue', 'team-red']);
  });

  it('is for admins and viewers only, and checks its paging values', async () => {
    expect((await kit.call('GET', '/user/list', { key: viewerKey })).status).toBe(200);
    expect((await kit.call('GET', '/user/list', { key: internalKey })).status).toBe(403);
    expect((await kit.call('GET', '/user/list', { key: internalViewerKey })).status).toBe(403);
    const bad = await kit.call('GET', '/user/list?page=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('page');
    const badRole = await kit.call('GET', '/user/list?role=king');
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.param).toBe('role');
  });
});

describe('POST /user/delete', () => {
  it('deletes the users, their memberships (with their own budgets) and personal keys; team keys stay with the team', async () => {
    const user = await newUser({ user_id: 'leaver', teams: ['team-red'] });
    const teamKey = 'sk-team-key-of-the-leaver-000000001';
    await kit.db.virtualKey.create({ data: { tokenHash: hashApiKey(teamKey), keyName: 'sk-...0001', userId: 'leaver', teamId: 'team-red' } });
    // The team membership has a budget of its own; the organization membership shares a tier with a key.
    await kit.db.budget.createMany({ data: [{ id: 'leaver-in-red', maxBudget: 3 }, { id: 'shared-tier', maxBudget: 9 }] });
    await kit.db.teamMember.update({ where: { userId_teamId: { userId: 'leaver', teamId: 'team-red' } }, data: { budgetId: 'leaver-in-red' } });
    await kit.db.organization.create({ data: { id: 'org-leaver', alias: 'Org' } });
    await kit.db.organizationMember.create({ data: { userId: 'leaver', organizationId: 'org-leaver', role: 'internal_user', budgetId: 'shared-tier' } });
    await kit.db.virtualKey.update({ where: { tokenHash: hashApiKey(teamKey) }, data: { budgetId: 'shared-tier' } });
    expect((await kit.chat(user.key)).status).toBe(200);

    const answer = await kit.call('POST', '/user/delete', { body: { user_ids: ['leaver'] } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ deleted_users: ['leaver'], deleted_keys: 1 });
    expect(await kit.db.user.findUnique({ where: { id: 'leaver' } })).toBeNull();
    expect(await kit.db.teamMember.count({ where: { userId: 'leaver' } })).toBe(0);
    expect(await kit.db.organizationMember.count({ where: { userId: 'leaver' } })).toBe(0);
    expect(await kit.db.budget.findUnique({ where: { id: 'leaver-in-red' } })).toBeNull();
    expect(await kit.db.budget.findUnique({ where: { id: 'shared-tier' } })).not.toBeNull();
    expect(await kit.db.virtualKey.findUnique({ where: { tokenHash: hashApiKey(user.key) } })).toBeNull();
    expect(await kit.db.virtualKey.findUnique({ where: { tokenHash: hashApiKey(teamKey) } })).toMatchObject({ userId: null, teamId: 'team-red' });

    expect((await kit.chat(user.key)).status).toBe(401);
    expect((await kit.chat(teamKey)).status).toBe(200);
    expect(await auditRows('user', 'leaver')).toMatchObject([{ action: 'create' }, { action: 'delete', beforeValue: expect.objectContaining({ teamMemberships: [expect.objectContaining({ teamId: 'team-red' })] }) }]);
    expect((await auditRows('key', hashApiKey(user.key))).map((r) => r.action)).toEqual(['create', 'delete']);
  });

  it('answers 404 naming unknown users (deleting none), 400 without ids, 403 to non-admins', async () => {
    const unknown = await kit.call('POST', '/user/delete', { body: { user_ids: ['no-key', 'ghost'] } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ param: 'user_ids', message: expect.stringContaining('"ghost"') });
    expect(await kit.db.user.findUnique({ where: { id: 'no-key' } })).not.toBeNull();
    const empty = await kit.call('POST', '/user/delete', { body: { user_ids: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.param).toBe('user_ids');
    expect((await kit.call('POST', '/user/delete', { key: viewerKey, body: { user_ids: ['no-key'] } })).status).toBe(403);
    expect((await kit.call('POST', '/user/delete', { key: internalKey, body: { user_ids: ['worker'] } })).status).toBe(403);
  });
});
