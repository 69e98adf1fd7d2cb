import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf, startTenancyKit, type TenancyKit } from './tenancy-test-kit';

/** /team/member_add, /team/member_update and /team/member_delete over HTTP: budgets, audit rows, roles. */
describe('team member management API', () => {
  let kit: TenancyKit;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startTenancyKit('team_members_e2e');
    for (const who of ['alice', 'bob', 'carol', 'dave']) keys[who] = await kit.user(who);
    keys.vera = await kit.user('vera', 'proxy_admin_viewer');
    keys.ivan = await kit.user('ivan', 'internal_user_viewer');
    const created = await kit.call('POST', '/team/new', {
      body: {
        team_id: 'team-a',
        members_with_roles: [
          { role: 'admin', user_id: 'bob' },
          { role: 'user', user_id: 'alice' },
          { role: 'admin', user_id: 'ivan' },
        ],
      },
    });
    if (created.status !== 200) throw new Error(`team/new failed: ${JSON.stringify(created.body)}`);
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('member_add: a team admin adds a new user with an in-team budget (a Budget row on the membership)', async () => {
    const answer = await kit.call('POST', '/team/member_add', {
      key: keys.bob,
      body: { team_id: 'team-a', member: { role: 'user', user_email: 'fresh@example.com' }, max_budget_in_team: 5 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.team_id).toBe('team-a');
    expect(answer.body.updated_users).toMatchObject([{ user_email: 'fresh@example.com', user_role: 'internal_user' }]);
    const fresh = answer.body.updated_users[0].user_id;
    expect(answer.body.updated_team_memberships).toMatchObject([{ user_id: fresh, team_id: 'team-a', role: 'user', litellm_budget_table: { max_budget: 5 } }]);
    expect(answer.body.members_with_roles).toContainEqual({ role: 'user', user_id: fresh, user_email: 'fresh@example.com' });
    const membership = await kit.db.teamMember.findUniqueOrThrow({ where: { userId_teamId: { userId: fresh, teamId: 'team-a' } } });
    const budget = await kit.db.budget.findUniqueOrThrow({ where: { id: membership.budgetId as string } });
    expect(budget.maxBudget?.toString()).toBe('5');
    expect((await auditOf(kit.db, 'team', 'team-a')).at(-1)).toMatchObject({ action: 'member_add', actor: 'user:bob' });
  });

  it('member_add: accepts a list, skips members already there, 400 when all are', async () => {
    const list = await kit.call('POST', '/team/member_add', { body: { team_id: 'team-a', member: [{ role: 'user', user_id: 'alice' }, { role: 'admin', user_id: 'dave' }] } });
    expect(list.status).toBe(200);
    expect(list.body.updated_users.map((u: any) => u.user_id)).toEqual(['dave']);
    const again = await kit.call('POST', '/team/member_add', { body: { team_id: 'team-a', member: { role: 'user', user_id: 'alice' } } });
    expect(again.status).toBe(400);
    expect(again.body.error.param).toBe('member');
  });

  it('member_add: 400 for a bad member, 404 unknown team, 403 for plain members and viewers', async () => {
    const bad = await kit.call('POST', '/team/member_add', { body: { team_id: 'team-a', member: { role: 'boss', user_id: 'x' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('member');
    const none = await kit.call('POST', '/team/member_add', { body: { team_id: 'team-a' } });
    expect(none.status).toBe(400);
    expect(none.body.error.param).toBe('member');
    expect((await kit.call('POST', '/team/member_add', { body: { team_id: 'nope', member: { role: 'user', user_id: 'x' } } })).status).toBe(404);
    for (const who of ['alice', 'vera', 'ivan']) {
      expect((await kit.call('POST', '/team/member_add', { key: keys[who], body: { team_id: 'team-a', member: { role: 'admin', user_id: who } } })).status).toBe(403);
    }
  });

  it('member_update: changes the role and the in-team budget', async () => {
    const answer = await kit.call('POST', '/team/member_update', { key: keys.bob, body: { team_id: 'team-a', user_id: 'alice', role: 'admin', max_budget_in_team: 7 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ team_id: 'team-a', user_id: 'alice', role: 'admin', max_budget_in_team: 7 });
    const changed = await kit.call('POST', '/team/member_update', { body: { team_id: 'team-a', user_id: 'alice', max_budget_in_team: 8 } });
    expect(changed.body).toMatchObject({ role: 'admin', max_budget_in_team: 8, budget_id: answer.body.budget_id });
    const cleared = await kit.call('POST', '/team/member_update', { body: { team_id: 'team-a', user_id: 'alice', role: 'user', max_budget_in_team: null } });
    expect(cleared.body).toMatchObject({ role: 'user', max_budget_in_team: null, budget_id: null });
    expect(await kit.db.budget.findUnique({ where: { id: answer.body.budget_id } })).toBeNull();
    expect((await auditOf(kit.db, 'team', 'team-a')).at(-1)).toMatchObject({ action: 'member_update' });
  });

  it('member_update: 400 bad role or no user, 404 unknown member, 403 for plain members', async () => {
    expect((await kit.call('POST', '/team/member_update', { body: { team_id: 'team-a', user_id: 'alice', role: 'owner' } })).body.error.param).toBe('role');
    expect((await kit.call('POST', '/team/member_update', { body: { team_id: 'team-a', role: 'user' } })).status).toBe(400);
    const stranger = await kit.call('POST', '/team/member_update', { body: { team_id: 'team-a', user_id: 'carol', role: 'user' } });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.message).toContain('carol');
    expect((await kit.call('POST', '/team/member_update', { key: keys.alice, body: { team_id: 'team-a', user_id: 'alice', role: 'admin' } })).status).toBe(403);
  });

  it('member_delete: removes the membership and its budget row', async () => {
    const fresh = await kit.db.user.findFirstOrThrow({ where: { email: 'fresh@example.com' } });
    const membership = await kit.db.teamMember.findUniqueOrThrow({ where: { userId_teamId: { userId: fresh.id, teamId: 'team-a' } } });
    const answer = await kit.call('POST', '/team/member_delete', { key: keys.bob, body: { team_id: 'team-a', user_email: 'fresh@example.com' } });
    expect(answer.status).toBe(200);
    expect(answer.body.members_with_roles.map((m: any) => m.user_id)).not.toContain(fresh.id);
    expect(await kit.db.teamMember.findUnique({ where: { userId_teamId: { userId: fresh.id, teamId: 'team-a' } } })).toBeNull();
    expect(await kit.db.budget.findUnique({ where: { id: membership.budgetId as string } })).toBeNull();
    expect((await auditOf(kit.db, 'team', 'team-a')).at(-1)).toMatchObject({ action: 'member_delete' });
  });

  it('member_delete: 400 without a user, 404 for a non-member, 403 for viewers', async () => {
    const missing = await kit.call('POST', '/team/member_delete', { body: { team_id: 'team-a' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe('user_id');
    expect((await kit.call('POST', '/team/member_delete', { body: { team_id: 'team-a', user_id: 'carol' } })).status).toBe(404);
    expect((await kit.call('POST', '/team/member_delete', { body: { team_id: 'team-a', user_id: 'ghost' } })).status).toBe(404);
    expect((await kit.call('POST', '/team/member_delete', { key: keys.vera, body: { team_id: 'team-a', user_id: 'alice' } })).status).toBe(403);
  });

  it("a member's new team role takes effect on their next management call", async () => {
    expect((await kit.call('POST', '/team/member_add', { key: keys.alice, body: { team_id: 'team-a', member: { role: 'user', user_id: 'carol' } } })).status).toBe(403);
    await kit.call('POST', '/team/member_update', { body: { team_id: 'team-a', user_id: 'alice', role: 'admin' } });
    expect((await kit.call('POST', '/team/member_add', { key: keys.alice, body: { team_id: 'team-a', member: { role: 'user', user_id: 'carol' } } })).status).toBe(200);
  });
});
