import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf, startTenancyKit, type TenancyKit } from './tenancy-test-kit';

/**
 * What team changes do to the team's keys on the request path (block, unblock, model list, delete), with
 * keys written straight to the database as another replica or an older release would have left them.
 */
describe('team changes on the request path', () => {
  let kit: TenancyKit;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startTenancyKit('team_enforcement_e2e');
    await kit.db.organization.create({ data: { id: 'org-1', alias: 'Org One' } });
    for (const who of ['alice', 'bob', 'carol']) keys[who] = await kit.user(who);
    keys.vera = await kit.user('vera', 'proxy_admin_viewer');
    await kit.db.organizationMember.create({ data: { userId: 'carol', organizationId: 'org-1', role: 'org_admin' } });
    for (const body of [
      { team_id: 'team-a', max_budget: 10, members_with_roles: [{ role: 'admin', user_id: 'bob' }, { role: 'user', user_id: 'alice' }] },
      { team_id: 'team-org', organization_id: 'org-1' },
    ]) {
      const created = await kit.call('POST', '/team/new', { body });
      if (created.status !== 200) throw new Error(`team/new failed: ${JSON.stringify(created.body)}`);
    }
  });

  afterAll(async () => {
    await kit?.close();
  });

  describe('blocking and model restrictions on the request path', () => {
    it("blocking a team refuses its keys on the very next request; unblocking lets them through again", async () => {
      const teamKey = await kit.key({ teamId: 'team-a' });
      expect((await kit.chat(teamKey)).status).toBe(200);

      const blocked = await kit.call('POST', '/team/block', { body: { team_id: 'team-a' } });
      expect(blocked.status).toBe(200);
      expect(blocked.body).toMatchObject({ team_id: 'team-a', blocked: true });
      const refused = await kit.chat(teamKey);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toContain('team-a');

      const unblocked = await kit.call('POST', '/team/unblock', { body: { team_id: 'team-a' } });
      expect(unblocked.body.blocked).toBe(false);
      expect((await kit.chat(teamKey)).status).toBe(200);
      expect((await auditOf(kit.db, 'team', 'team-a')).slice(-2).map((a) => a.action)).toEqual(['block', 'unblock']);
    });

    it('block: 404 unknown, 400 without team_id, 403 for team admins and viewers', async () => {
      expect((await kit.call('POST', '/team/block', { body: { team_id: 'nope' } })).status).toBe(404);
      expect((await kit.call('POST', '/team/block', { body: {} })).body.error.param).toBe('team_id');
      expect((await kit.call('POST', '/team/block', { key: keys.bob, body: { team_id: 'team-a' } })).status).toBe(403);
      expect((await kit.call('POST', '/team/unblock', { key: keys.vera, body: { team_id: 'team-a' } })).status).toBe(403);
      expect((await kit.db.team.findUniqueOrThrow({ where: { id: 'team-a' } })).blocked).toBe(false);
    });

    it("a team's model list limits its keys, and a change to it applies to the next request", async () => {
      await kit.call('POST', '/team/new', { body: { team_id: 'team-other', models: ['other'] } });
      const teamKey = await kit.key({ teamId: 'team-other' });
      expect((await kit.chat(teamKey, 'other')).status).toBe(200);
      const denied = await kit.chat(teamKey, 'gpt-fake');
      expect(denied.status).toBe(401);
      expect(denied.body.error.message).toContain('gpt-fake');
      expect(denied.body.error.type).toBe('team_model_access_denied');

      await kit.call('POST', '/team/update', { body: { team_id: 'team-other', models: ['other', 'gpt-fake'] } });
      expect((await kit.chat(teamKey, 'gpt-fake')).status).toBe(200);
    });
  });

  describe('POST /team/delete', () => {
    it('403 for team admins and viewers, 404 naming an unknown team (nothing deleted), 400 without ids', async () => {
      expect((await kit.call('POST', '/team/delete', { key: keys.bob, body: { team_ids: ['team-a'] } })).status).toBe(403);
      expect((await kit.call('POST', '/team/delete', { key: keys.vera, body: { team_ids: ['team-a'] } })).status).toBe(403);
      const unknown = await kit.call('POST', '/team/delete', { body: { team_ids: ['team-a', 'nope'] } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('nope');
      expect(await kit.db.team.findUnique({ where: { id: 'team-a' } })).not.toBeNull();
      expect((await kit.call('POST', '/team/delete', { body: { team_ids: [] } })).body.error.param).toBe('team_ids');
    });

    it("deletes the team with its memberships and keys; the team's keys stop working at once", async () => {
      const teamKey = await kit.key({ teamId: 'team-a' });
      expect((await kit.chat(teamKey)).status).toBe(200);
      const keysBefore = await kit.db.virtualKey.count({ where: { teamId: 'team-a' } });
      const answer = await kit.call('POST', '/team/delete', { body: { team_ids: ['team-a'] } });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ deleted_teams: ['team-a'], deleted_keys: keysBefore });
      expect(await kit.db.team.findUnique({ where: { id: 'team-a' } })).toBeNull();
      expect(await kit.db.teamMember.count({ where: { teamId: 'team-a' } })).toBe(0);
      expect(await kit.db.virtualKey.count({ where: { teamId: 'team-a' } })).toBe(0);
      expect((await kit.chat(teamKey)).status).toBe(401);
      expect(await kit.db.user.findUnique({ where: { id: 'alice' } })).not.toBeNull();
      const audit = (await auditOf(kit.db, 'team', 'team-a')).at(-1) as any;
      expect(audit.action).toBe('delete');
      expect(audit.beforeValue).toMatchObject({ team_id: 'team-a', deleted_keys: keysBefore });
    });

    it('lets an org admin delete a team of their organization', async () => {
      expect((await kit.call('POST', '/team/delete', { key: keys.carol, body: { team_ids: ['team-org'] } })).status).toBe(200);
      expect(await kit.db.team.findUnique({ where: { id: 'team-org' } })).toBeNull();
    });
  });
});
