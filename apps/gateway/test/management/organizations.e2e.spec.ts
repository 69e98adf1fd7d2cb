import { Prisma } from '@tollgate/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf, startTenancyKit, type TenancyKit } from './tenancy-test-kit';

const MONTH_MS = 31 * 86_400_000;

/**
 * The /organization routes over HTTP against a real gateway and database: each route's happy path and
 * rejections, the audit rows, and the effect of organization changes on the next LLM request.
 */
describe('organization management API', () => {
  let kit: TenancyKit;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startTenancyKit('orgs_e2e');
    keys.alice = await kit.user('alice');
    keys.olga = await kit.user('olga');
    keys.nina = await kit.user('nina');
    keys.root = await kit.user('root', 'proxy_admin');
    keys.vera = await kit.user('vera', 'proxy_admin_viewer');
    keys.ivan = await kit.user('ivan', 'internal_user_viewer');
    await kit.db.budget.create({ data: { id: 'tier-1', maxBudget: new Prisma.Decimal('42') } });
  });

  afterAll(async () => {
    await kit?.close();
  });

  describe('POST /organization/new', () => {
    it('creates an organization with inline limits in a new Budget row, and audits it', async () => {
      const answer = await kit.call('POST', '/organization/new', {
        body: {
          organization_id: 'org-a',
          organization_alias: 'Org A',
          models: ['other'],
          max_budget: 100,
          soft_budget: 80,
          tpm_limit: 1000,
          rpm_limit: 60,
          max_parallel_requests: 5,
          budget_duration: '1mo',
          model_max_budget: { other: { budget_limit: 10, time_period: '1d' } },
          metadata: { region: 'eu' },
          tags: ['ignored'],
        },
      });
      expect(answer.status).toBe(200);
      const org = answer.body;
      expect(org).toMatchObject({ organization_id: 'org-a', organization_alias: 'Org A', models: ['other'], metadata: { region: 'eu' }, blocked: false, spend: 0, created_by: 'master' });
      expect(org.litellm_budget_table).toMatchObject({ budget_id: org.budget_id, max_budget: 100, soft_budget: 80, tpm_limit: 1000, rpm_limit: 60, max_parallel_requests: 5, budget_duration: '1mo' });
      expect(org.litellm_budget_table.model_max_budget).toEqual({ other: { budget_limit: 10, time_period: '1d' } });
      const resetIn = Date.parse(org.litellm_budget_table.budget_reset_at) - Date.now();
      expect(resetIn).toBeGreaterThan(27 * 86_400_000);
      expect(resetIn).toBeLessThanOrEqual(MONTH_MS);
      const budget = await kit.db.budget.findUniqueOrThrow({ where: { id: org.budget_id } });
      expect(budget.maxBudget?.toString()).toBe('100');
      expect(await auditOf(kit.db, 'organization', 'org-a')).toMatchObject([{ action: 'create', actor: 'master' }]);
    });

    it('generates an id; no limits means no budget row; budget_id links an existing tier', async () => {
      const plain = await kit.call('POST', '/organization/new', { body: { organization_alias: 'Plain' } });
      expect(plain.status).toBe(200);
      expect(plain.body.organization_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(plain.body).toMatchObject({ budget_id: null, litellm_budget_table: null, models: [] });
      const tiered = await kit.call('POST', '/organization/new', { key: keys.root, body: { organization_id: 'org-tier', organization_alias: 'Tiered', budget_id: 'tier-1' } });
      expect(tiered.status).toBe(200);
      expect(tiered.body.litellm_budget_table).toMatchObject({ budget_id: 'tier-1', max_budget: 42 });
      expect(tiered.body.created_by).toBe('user:root');
    });

    it('400 for a duplicate id, a missing alias, bad values, or budget_id with inline limits; 404 unknown budget', async () => {
      const duplicate = await kit.call('POST', '/organization/new', { body: { organization_id: 'org-a', organization_alias: 'again' } });
      expect(duplicate.status).toBe(400);
      expect(duplicate.body.error).toMatchObject({ param: 'organization_id', type: 'invalid_request_error' });
      for (const [body, param] of [
        [{}, 'organization_alias'],
        [{ organization_alias: 'x', max_budget: -1 }, 'max_budget'],
        [{ organization_alias: 'x', models: 'other' }, 'models'],
        [{ organization_alias: 'x', tpm_limit: 'many' }, 'tpm_limit'],
        [{ organization_alias: 'x', budget_duration: 'forever' }, 'budget_duration'],
        [{ organization_alias: 'x', budget_id: 'tier-1', max_budget: 5 }, 'budget_id'],
      ] as const) {
        const answer = await kit.call('POST', '/organization/new', { body: { organization_id: 'org-bad', ...body } });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.error.param).toBe(param);
      }
      const unknownBudget = await kit.call('POST', '/organization/new', { body: { organization_id: 'org-bad', organization_alias: 'x', budget_id: 'tier-9' } });
      expect(unknownBudget.status).toBe(404);
      expect(unknownBudget.body.error.message).toContain('tier-9');
      expect(await kit.db.organization.findUnique({ where: { id: 'org-bad' } })).toBeNull();
    });

    it('401 for a bad key; 403 for anyone but proxy admins', async () => {
      expect((await kit.call('POST', '/organization/new', { key: 'sk-nope', body: { organization_alias: 'x' } })).status).toBe(401);
      for (const who of ['alice', 'vera', 'ivan']) {
        const answer = await kit.call('POST', '/organization/new', { key: keys[who], body: { organization_alias: 'x' } });
        expect(answer.status, who).toBe(403);
        expect(answer.body.error.type).toBe('permission_error');
      }
    });
  });

  describe('organization members', () => {
    it('member_add: adds members (unknown users created) with an in-org budget each', async () => {
      const answer = await kit.call('POST', '/organization/member_add', {
        headers: { 'litellm-changed-by': 'hr-sync' },
        body: {
          organization_id: 'org-a',
          member: [
            { role: 'org_admin', user_id: 'olga' },
            { role: 'internal_user_viewer', user_email: 'watcher@example.com' },
          ],
          max_budget_in_organization: 20,
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.organization_id).toBe('org-a');
      expect(answer.body.updated_users.map((u: any) => u.user_id)).toContain('olga');
      const watcher = answer.body.updated_users.find((u: any) => u.user_email === 'watcher@example.com');
      expect(watcher.user_role).toBe('internal_user_viewer');
      expect(answer.body.updated_organization_memberships).toMatchObject([
        { user_id: 'olga', organization_id: 'org-a', user_role: 'org_admin', litellm_budget_table: { max_budget: 20 } },
        { user_id: watcher.user_id, user_role: 'internal_user_viewer', litellm_budget_table: { max_budget: 20 } },
      ]);
      const budgets = answer.body.updated_organization_memberships.map((m: any) => m.budget_id);
      expect(new Set(budgets).size).toBe(2);
      const audit = await auditOf(kit.db, 'organization', 'org-a');
      expect(audit.filter((a) => a.action === 'member_add')).toHaveLength(2);
      expect(audit.at(-1)?.actor).toBe('hr-sync');
    });

    it("member_add: the new org admin may add members at once; duplicates, bad roles and strangers are refused", async () => {
      const byAdmin = await kit.call('POST', '/organization/member_add', { key: keys.olga, body: { organization_id: 'org-a', member: { role: 'internal_user', user_id: 'alice' } } });
      expect(byAdmin.status).toBe(200);
      const again = await kit.call('POST', '/organization/member_add', { body: { organization_id: 'org-a', member: { role: 'internal_user', user_id: 'alice' } } });
      expect(again.status).toBe(400);
      expect(again.body.error.param).toBe('member');
      const badRole = await kit.call('POST', '/organization/member_add', { body: { organization_id: 'org-a', member: { role: 'admin', user_id: 'nina' } } });
      expect(badRole.status).toBe(400);
      expect(badRole.body.error.message).toContain('org_admin');
      expect((await kit.call('POST', '/organization/member_add', { body: { organization_id: 'org-zz', member: { role: 'internal_user', user_id: 'nina' } } })).status).toBe(404);
      for (const who of ['alice', 'nina', 'vera', 'ivan']) {
        const answer = await kit.call('POST', '/organization/member_add', { key: keys[who], body: { organization_id: 'org-a', member: { role: 'org_admin', user_id: who } } });
        expect(answer.status, who).toBe(403);
      }
    });

    it('member_update (PATCH or POST): changes the role and the in-org budget', async () => {
      const patched = await kit.call('PATCH', '/organization/member_update', {
        key: keys.olga,
        body: { organization_id: 'org-a', user_id: 'alice', max_budget_in_organization: 30 },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ user_id: 'alice', user_role: 'internal_user', litellm_budget_table: { max_budget: 30 } });
      const posted = await kit.call('POST', '/organization/member_update', { body: { organization_id: 'org-a', user_email: 'watcher@example.com', role: 'internal_user' } });
      expect(posted.status).toBe(200);
      expect(posted.body.user_role).toBe('internal_user');
      expect((await auditOf(kit.db, 'organization', 'org-a')).at(-1)).toMatchObject({ action: 'member_update' });
      expect((await kit.call('PATCH', '/organization/member_update', { body: { organization_id: 'org-a', user_id: 'nina', role: 'org_admin' } })).status).toBe(404);
      expect((await kit.call('PATCH', '/organization/member_update', { body: { organization_id: 'org-a', user_id: 'alice', role: 'owner' } })).body.error.param).toBe('role');
      expect((await kit.call('PATCH', '/organization/member_update', { key: keys.alice, body: { organization_id: 'org-a', user_id: 'alice', role: 'org_admin' } })).status).toBe(403);
    });

    it('member_delete (DELETE or POST): removes the membership and its budget row', async () => {
      const watcher = await kit.db.user.findFirstOrThrow({ where: { email: 'watcher@example.com' } });
      const membership = await kit.db.organizationMember.findUniqueOrThrow({ where: { userId_organizationId: { userId: watcher.id, organizationId: 'org-a' } } });
      const answer = await kit.call('DELETE', '/organization/member_delete', { key: keys.olga, body: { organization_id: 'org-a', user_email: 'watcher@example.com' } });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ organization_id: 'org-a', user_id: watcher.id, deleted: true });
      expect(await kit.db.organizationMember.count({ where: { userId: watcher.id } })).toBe(0);
      expect(await kit.db.budget.findUnique({ where: { id: membership.budgetId as string } })).toBeNull();
      expect((await kit.call('POST', '/organization/member_delete', { body: { organization_id: 'org-a', user_id: watcher.id } })).status).toBe(404);
      expect((await kit.call('POST', '/organization/member_delete', { body: { organization_id: 'org-a' } })).body.error.param).toBe('user_id');
      expect((await kit.call('DELETE', '/organization/member_delete', { key: keys.alice, body: { organization_id: 'org-a', user_id: 'olga' } })).status).toBe(403);
    });
  });

  describe('GET /organization/info and /organization/list', () => {
    it('returns the organization with its budget, members and teams to members and viewers', async () => {
      await kit.call('POST', '/team/new', { body: { team_id: 'team-in-a', organization_id: 'org-a', models: ['other'] } });
      for (const who of ['alice', 'olga', 'vera']) {
        const answer = await kit.call('GET', '/organization/info?organization_id=org-a', { key: keys[who] });
        expect(answer.status, who).toBe(200);
        expect(answer.body).toMatchObject({ organization_id: 'org-a', litellm_budget_table: { max_budget: 100 } });
        expect(answer.body.members.map((m: any) => m.user_id).sort()).toEqual(['alice', 'olga']);
        expect(answer.body.teams.map((t: any) => t.team_id)).toEqual(['team-in-a']);
      }
    });

    it('403 for non-members, 404 unknown, 400 without organization_id', async () => {
      expect((await kit.call('GET', '/organization/info?organization_id=org-a', { key: keys.nina })).status).toBe(403);
      const unknown = await kit.call('GET', '/organization/info?organization_id=org-zz');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('org-zz');
      expect((await kit.call('GET', '/organization/info')).body.error.param).toBe('organization_id');
    });

    it('lists every organization for admins and viewers, and only their own for others', async () => {
      const all = await kit.call('GET', '/organization/list');
      expect(all.status).toBe(200);
      expect(all.body.map((o: any) => o.organization_id)).toEqual(expect.arrayContaining(['org-a', 'org-tier']));
      expect(all.body).toHaveLength(3);
      expect((await kit.call('GET', '/organization/list?org_alias=tIeR')).body.map((o: any) => o.organization_id)).toEqual(['org-tier']);
      expect((await kit.call('GET', '/organization/list?org_id=org-a')).body.map((o: any) => o.organization_id)).toEqual(['org-a']);
      expect((await kit.call('GET', '/organization/list', { key: keys.vera })).body).toHaveLength(3);
      expect((await kit.call('GET', '/organization/list', { key: keys.alice })).body.map((o: any) => o.organization_id)).toEqual(['org-a']);
      expect((await kit.call('GET', '/organization/list', { key: keys.nina })).body).toEqual([]);
    });
  });

  describe('PATCH /organization/update', () => {
    it('updates columns and the budget row in place, merges metadata, and audits', async () => {
      const before = await kit.db.organization.findUniqueOrThrow({ where: { id: 'org-a' } });
      const answer = await kit.call('PATCH', '/organization/update', {
        body: { organization_id: 'org-a', models: ['other', 'gpt-fake'], max_budget: 200, metadata: { owner: 'ops' } },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ organization_id: 'org-a', models: ['other', 'gpt-fake'], budget_id: before.budgetId, metadata: { region: 'eu', owner: 'ops' } });
      expect(answer.body.litellm_budget_table).toMatchObject({ max_budget: 200, tpm_limit: 1000 });
      expect(answer.body.members).toHaveLength(2);
      const audit = (await auditOf(kit.db, 'organization', 'org-a')).at(-1) as any;
      expect(audit.action).toBe('update');
      expect(audit.beforeValue.litellm_budget_table.max_budget).toBe(100);
      expect(audit.afterValue.litellm_budget_table.max_budget).toBe(200);
    });

    it('accepts POST too, and creates a budget row for an organization without one', async () => {
      const plain = await kit.db.organization.findFirstOrThrow({ where: { alias: 'Plain' } });
      const answer = await kit.call('POST', '/organization/update', { body: { organization_id: plain.id, rpm_limit: 9 } });
      expect(answer.status).toBe(200);
      expect(answer.body.litellm_budget_table).toMatchObject({ rpm_limit: 9 });
      expect((await kit.db.organization.findUniqueOrThrow({ where: { id: plain.id } })).budgetId).toBe(answer.body.budget_id);
    });

    it('lets org admins rename and annotate their organization, nothing more', async () => {
      const renamed = await kit.call('PATCH', '/organization/update', { key: keys.olga, body: { organization_id: 'org-a', organization_alias: 'Org A (eu)' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body.organization_alias).toBe('Org A (eu)');
      const widened = await kit.call('PATCH', '/organization/update', { key: keys.olga, body: { organization_id: 'org-a', models: [] } });
      expect(widened.status).toBe(403);
      expect(widened.body.error.message).toContain('models');
      for (const who of ['alice', 'vera', 'ivan']) {
        expect((await kit.call('PATCH', '/organization/update', { key: keys[who], body: { organization_id: 'org-a', organization_alias: 'x' } })).status, who).toBe(403);
      }
    });

    it('404 unknown organization; 400 for bad values', async () => {
      expect((await kit.call('PATCH', '/organization/update', { body: { organization_id: 'org-zz', organization_alias: 'x' } })).status).toBe(404);
      expect((await kit.call('PATCH', '/organization/update', { body: { organization_id: 'org-a', max_budget: 'lots' } })).body.error.param).toBe('max_budget');
      expect((await kit.call('PATCH', '/organization/update', { body: { max_budget: 1 } })).body.error.param).toBe('organization_id');
    });
  });

  describe('the organization on the request path', () => {
    it("limits its teams' keys to its models, and blocking it refuses them on the next request", async () => {
      await kit.call('PATCH', '/organization/update', { body: { organization_id: 'org-a', models: ['other'] } });
      await kit.call('POST', '/team/update', { body: { team_id: 'team-in-a', models: [] } });
      const teamKey = await kit.key({ teamId: 'team-in-a' });
      expect((await kit.chat(teamKey, 'other')).status).toBe(200);
      const denied = await kit.chat(teamKey, 'gpt-fake');
      expect(denied.status).toBe(401);
      expect(denied.body.error.type).toBe('org_model_access_denied');

      await kit.call('PATCH', '/organization/update', { body: { organization_id: 'org-a', blocked: true } });
      const refused = await kit.chat(teamKey, 'other');
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toContain('org-a');
      await kit.call('PATCH', '/organization/update', { body: { organization_id: 'org-a', blocked: false } });
      expect((await kit.chat(teamKey, 'other')).status).toBe(200);
    });
  });

  describe('DELETE /organization/delete', () => {
    it('403 for anyone but proxy admins; 404 naming an unknown id (nothing deleted)', async () => {
      for (const who of ['olga', 'vera', 'alice']) {
        expect((await kit.call('DELETE', '/organization/delete', { key: keys[who], body: { organization_ids: ['org-a'] } })).status, who).toBe(403);
      }
      const unknown = await kit.call('DELETE', '/organization/delete', { body: { organization_ids: ['org-a', 'org-zz'] } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('org-zz');
      expect(await kit.db.organization.findUnique({ where: { id: 'org-a' } })).not.toBeNull();
      expect((await kit.call('DELETE', '/organization/delete', { body: {} })).body.error.param).toBe('organization_ids');
    });

    it('cascades to its teams, their memberships and keys, its own keys and its memberships', async () => {
      await kit.call('POST', '/team/member_add', { body: { team_id: 'team-in-a', member: { role: 'user', user_id: 'alice' } } });
      const teamKey = await kit.key({ teamId: 'team-in-a' });
      const orgKey = await kit.key({ organizationId: 'org-a' });
      expect((await kit.chat(teamKey, 'other')).status).toBe(200);
      expect((await kit.chat(orgKey, 'other')).status).toBe(200);

      const answer = await kit.call('DELETE', '/organization/delete', { body: { organization_ids: ['org-a'] } });
      expect(answer.status).toBe(200);
      expect(answer.body).toHaveLength(1);
      expect(answer.body[0]).toMatchObject({ organization_id: 'org-a', teams: [{ team_id: 'team-in-a' }] });
      expect(await kit.db.organization.findUnique({ where: { id: 'org-a' } })).toBeNull();
      expect(await kit.db.team.findUnique({ where: { id: 'team-in-a' } })).toBeNull();
      expect(await kit.db.teamMember.count({ where: { teamId: 'team-in-a' } })).toBe(0);
      expect(await kit.db.organizationMember.count({ where: { organizationId: 'org-a' } })).toBe(0);
      expect(await kit.db.virtualKey.count({ where: { OR: [{ teamId: 'team-in-a' }, { organizationId: 'org-a' }] } })).toBe(0);
      expect((await kit.chat(teamKey, 'other')).status).toBe(401);
      expect((await kit.chat(orgKey, 'other')).status).toBe(401);
      expect(await kit.db.user.count({ where: { id: { in: ['alice', 'olga'] } } })).toBe(2);
      expect((await auditOf(kit.db, 'organization', 'org-a')).at(-1)).toMatchObject({ action: 'delete' });
      expect((await auditOf(kit.db, 'team', 'team-in-a')).at(-1)).toMatchObject({ action: 'delete' });
    });

    it('accepts POST too', async () => {
      const answer = await kit.call('POST', '/organization/delete', { key: keys.root, body: { organization_ids: ['org-tier'] } });
      expect(answer.status).toBe(200);
      expect(await kit.db.organization.findUnique({ where: { id: 'org-tier' } })).toBeNull();
      // A shared budget tier outlives the organizations that used it.
      expect(await kit.db.budget.findUnique({ where: { id: 'tier-1' } })).not.toBeNull();
    });
  });
});
