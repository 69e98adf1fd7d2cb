import { hashApiKey } from '@tollgate/auth';
import { Prisma } from '@tollgate/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOf, startTenancyKit, type TenancyKit } from './tenancy-test-kit';

/**
 * The /team routes over HTTP against a real gateway and database: each route's happy path and rejections,
 * the audit rows, and the effect of team changes on the next LLM request of the team's keys.
 */
describe('team management API', () => {
  let kit: TenancyKit;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    kit = await startTenancyKit('teams_e2e');
    const { db } = kit;
    await db.budget.create({ data: { id: 'org-1-budget', maxBudget: new Prisma.Decimal('100'), tpmLimit: 1000n } });
    await db.organization.createMany({
      data: [
        { id: 'org-1', alias: 'Org One', models: ['gpt-fake', 'other'], budgetId: 'org-1-budget' },
        { id: 'org-2', alias: 'Org Two', models: ['gpt-fake'] },
      ],
    });
    keys.alice = await kit.user('alice');
    keys.bob = await kit.user('bob');
    keys.carol = await kit.user('carol');
    keys.dave = await kit.user('dave');
    keys.vera = await kit.user('vera', 'proxy_admin_viewer');
    keys.ivan = await kit.user('ivan', 'internal_user_viewer');
    await db.organizationMember.create({ data: { userId: 'carol', organizationId: 'org-1', role: 'org_admin' } });
  });

  afterAll(async () => {
    await kit?.close();
  });

  describe('POST /team/new', () => {
    it('creates a team with every field, its members (unknown users created) and an audit row', async () => {
      const before = Date.now();
      const answer = await kit.call('POST', '/team/new', {
        headers: { 'litellm-changed-by': 'ops-bot' },
        body: {
          team_id: 'team-a',
          team_alias: 'Team A',
          members_with_roles: [
            { role: 'admin', user_id: 'bob' },
            { role: 'user', user_id: 'alice' },
            { role: 'user', user_email: 'newcomer@example.com' },
          ],
          team_member_permissions: ['/key/generate'],
          metadata: { cost_center: 'r&d' },
          tpm_limit: 500,
          rpm_limit: 50,
          max_parallel_requests: 4,
          model_rpm_limit: { 'gpt-fake': 10 },
          model_tpm_limit: { 'gpt-fake': 100 },
          max_budget: 12.5,
          soft_budget: 10,
          budget_duration: '30d',
          models: ['gpt-fake', 'other'],
          tags: ['prod'],
          model_aliases: { fast: 'gpt-fake' },
          guardrails: ['pii'],
          model_max_budget: { 'gpt-fake': { budget_limit: 1, time_period: '1d' } },
          unknown_litellm_field: 'ignored',
        },
      });
      expect(answer.status).toBe(200);
      const team = answer.body;
      expect(team).toMatchObject({
        team_id: 'team-a',
        team_alias: 'Team A',
        organization_id: null,
        tpm_limit: 500,
        rpm_limit: 50,
        max_parallel_requests: 4,
        max_budget: 12.5,
        soft_budget: 10,
        budget_duration: '30d',
        spend: 0,
        models: ['gpt-fake', 'other'],
        tags: ['prod'],
        model_aliases: { fast: 'gpt-fake' },
        guardrails: ['pii'],
        team_member_permissions: ['/key/generate'],
        metadata: { cost_center: 'r&d' },
        model_rpm_limit: { 'gpt-fake': 10 },
        model_tpm_limit: { 'gpt-fake': 100 },
        model_max_budget: { 'gpt-fake': { budget_limit: 1, time_period: '1d' } },
        blocked: false,
        admins: ['bob'],
        created_by: 'ops-bot',
      });
      expect(team).not.toHaveProperty('unknown_litellm_field');
      const resetAt = Date.parse(team.budget_reset_at);
      expect(resetAt - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
      expect(resetAt - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
      expect(team.members_with_roles).toHaveLength(3);
      const newcomer = await kit.db.user.findFirst({ where: { email: 'newcomer@example.com' } });
      expect(newcomer?.role).toBe('internal_user');
      expect(team.members_with_roles).toContainEqual({ role: 'user', user_id: newcomer?.id, user_email: 'newcomer@example.com' });

      const stored = await kit.db.team.findUniqueOrThrow({ where: { id: 'team-a' } });
      expect(stored.maxBudget?.toString()).toBe('12.5');
      expect(await kit.db.teamMember.count({ where: { teamId: 'team-a' } })).toBe(3);
      const audit = await auditOf(kit.db, 'team', 'team-a');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'create', actor: 'ops-bot' });
      expect((audit[0].afterValue as any).team_alias).toBe('Team A');
      expect(await auditOf(kit.db, 'user', newcomer?.id as string)).toHaveLength(1);
    });

    it('generates a uuid team_id when none is sent', async () => {
      const answer = await kit.call('POST', '/team/new', { body: { team_alias: 'anonymous' } });
      expect(answer.status).toBe(200);
      expect(answer.body.team_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.body.members_with_roles).toEqual([]);
    });

    it('refuses a duplicate team_id with a 400 naming it', async () => {
      const answer = await kit.call('POST', '/team/new', { body: { team_id: 'team-a' } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param: 'team_id' });
      expect(answer.body.error.message).toContain('team-a');
    });

    it.each([
      [{ max_budget: 'ten' }, 'max_budget'],
      [{ tpm_limit: -1 }, 'tpm_limit'],
      [{ rpm_limit: 1.5 }, 'rpm_limit'],
      [{ models: 'gpt-fake' }, 'models'],
      [{ metadata: 'x' }, 'metadata'],
      [{ blocked: 'yes' }, 'blocked'],
      [{ budget_duration: 'soon' }, 'budget_duration'],
      [{ model_aliases: { fast: 3 } }, 'model_aliases'],
      [{ model_rpm_limit: { 'gpt-fake': -1 } }, 'model_rpm_limit'],
      [{ members_with_roles: [{ role: 'owner', user_id: 'alice' }] }, 'members_with_roles'],
      [{ members_with_roles: [{ role: 'user' }] }, 'members_with_roles'],
    ])('400 for invalid %j', async (body, param) => {
      const answer = await kit.call('POST', '/team/new', { body: { team_id: `bad-${param}`, ...body } });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe(param);
      expect(answer.body.error.message).toContain(param);
      expect(await kit.db.team.findUnique({ where: { id: `bad-${param}` } })).toBeNull();
    });

    it('401 for an unknown key', async () => {
      const answer = await kit.call('POST', '/team/new', { key: 'sk-not-a-key', body: { team_alias: 'x' } });
      expect(answer.status).toBe(401);
      expect(answer.body.error.type).toBe('authentication_error');
    });

    it('403 for internal users outside an org they administer, and for viewers', async () => {
      for (const [who, body] of [
        ['alice', { team_alias: 'mine' }],
        ['alice', { team_alias: 'mine', organization_id: 'org-1' }],
        ['carol', { team_alias: 'elsewhere', organization_id: 'org-2' }],
        ['vera', { team_alias: 'viewer' }],
        ['ivan', { team_alias: 'viewer' }],
      ] as const) {
        const answer = await kit.call('POST', '/team/new', { key: keys[who], body });
        expect(answer.status, who).toBe(403);
        expect(answer.body.error.type).toBe('permission_error');
      }
    });

    it('lets an org admin create a team in their organization, making them its admin', async () => {
      const answer = await kit.call('POST', '/team/new', { key: keys.carol, body: { team_id: 'team-org', organization_id: 'org-1', models: ['other'], max_budget: 40 } });
      expect(answer.status).toBe(200);
      expect(answer.body.organization_id).toBe('org-1');
      expect(answer.body.members_with_roles).toEqual([{ role: 'admin', user_id: 'carol', user_email: null }]);
      expect(await auditOf(kit.db, 'team', 'team-org')).toMatchObject([{ action: 'create', actor: 'user:carol' }]);
    });

    it("keeps a team inside its organization's models and budget", async () => {
      const outside = await kit.call('POST', '/team/new', { body: { team_id: 'team-x', organization_id: 'org-2', models: ['other'] } });
      expect(outside.status).toBe(400);
      expect(outside.body.error.param).toBe('models');
      expect(outside.body.error.message).toContain('other');
      const tooRich = await kit.call('POST', '/team/new', { body: { team_id: 'team-x', organization_id: 'org-1', max_budget: 500 } });
      expect(tooRich.status).toBe(400);
      expect(tooRich.body.error.param).toBe('max_budget');
      const tooFast = await kit.call('POST', '/team/new', { body: { team_id: 'team-x', organization_id: 'org-1', tpm_limit: 5000 } });
      expect(tooFast.body.error.param).toBe('tpm_limit');
      const unknown = await kit.call('POST', '/team/new', { body: { team_id: 'team-x', organization_id: 'org-nope' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('org-nope');
      expect(await kit.db.team.findUnique({ where: { id: 'team-x' } })).toBeNull();
    });
  });

  describe('POST /team/update', () => {
    it('updates any field, answers {team_id, data} and audits before and after', async () => {
      const answer = await kit.call('POST', '/team/update', { body: { team_id: 'team-a', tpm_limit: 900, budget_duration: '1h', metadata: null } });
      expect(answer.status).toBe(200);
      expect(answer.body.team_id).toBe('team-a');
      expect(answer.body.data).toMatchObject({ team_id: 'team-a', tpm_limit: 900, budget_duration: '1h', metadata: {}, team_alias: 'Team A', rpm_limit: 50 });
      expect(Math.abs(Date.parse(answer.body.data.budget_reset_at) - (Date.now() + 3_600_000))).toBeLessThan(60_000);
      const audit = await auditOf(kit.db, 'team', 'team-a');
      const last = audit.at(-1) as any;
      expect(last).toMatchObject({ action: 'update', actor: 'master' });
      expect(last.beforeValue.tpm_limit).toBe(500);
      expect(last.afterValue.tpm_limit).toBe(900);
    });

    it('404 for an unknown team, 400 without team_id or with a bad value', async () => {
      expect((await kit.call('POST', '/team/update', { body: { team_id: 'nope', tpm_limit: 1 } })).status).toBe(404);
      const missing = await kit.call('POST', '/team/update', { body: { tpm_limit: 1 } });
      expect(missing.status).toBe(400);
      expect(missing.body.error.param).toBe('team_id');
      const bad = await kit.call('POST', '/team/update', { body: { team_id: 'team-a', max_budget: -5 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toBe('max_budget');
    });

    it("lets a team admin change the team's descriptive fields but not its access or limits", async () => {
      const renamed = await kit.call('POST', '/team/update', { key: keys.bob, body: { team_id: 'team-a', team_alias: 'Team A+' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body.data.team_alias).toBe('Team A+');
      const richer = await kit.call('POST', '/team/update', { key: keys.bob, body: { team_id: 'team-a', max_budget: 1000 } });
      expect(richer.status).toBe(403);
      expect(richer.body.error.message).toContain('max_budget');
    });

    it('403 for plain members, outsiders and viewers', async () => {
      for (const who of ['alice', 'dave', 'vera', 'ivan']) {
        const answer = await kit.call('POST', '/team/update', { key: keys[who], body: { team_id: 'team-a', team_alias: 'hijacked' } });
        expect(answer.status, who).toBe(403);
      }
      expect((await kit.db.team.findUniqueOrThrow({ where: { id: 'team-a' } })).alias).toBe('Team A+');
    });

    it('lets an org admin manage teams of their org, but not move them to an org they do not administer', async () => {
      const ok = await kit.call('POST', '/team/update', { key: keys.carol, body: { team_id: 'team-org', max_budget: 60 } });
      expect(ok.status).toBe(200);
      const tooRich = await kit.call('POST', '/team/update', { key: keys.carol, body: { team_id: 'team-org', max_budget: 101 } });
      expect(tooRich.status).toBe(400);
      expect(tooRich.body.error.param).toBe('max_budget');
      const moved = await kit.call('POST', '/team/update', { key: keys.carol, body: { team_id: 'team-org', organization_id: 'org-2' } });
      expect(moved.status).toBe(403);
      const detached = await kit.call('POST', '/team/update', { key: keys.carol, body: { team_id: 'team-org', organization_id: '' } });
      expect(detached.status).toBe(403);
      const notHers = await kit.call('POST', '/team/update', { key: keys.carol, body: { team_id: 'team-a', team_alias: 'x' } });
      expect(notHers.status).toBe(403);
    });
  });

  describe('GET /team/info and /team/list', () => {
    it('returns the team, its keys abbreviated (never the hash) and its memberships', async () => {
      const teamKey = await kit.key({ teamId: 'team-a', userId: 'alice' });
      const answer = await kit.call('GET', '/team/info?team_id=team-a', { key: keys.alice });
      expect(answer.status).toBe(200);
      expect(answer.body.team_id).toBe('team-a');
      expect(answer.body.team_info).toMatchObject({ team_id: 'team-a', team_alias: 'Team A+' });
      expect(answer.body.keys).toHaveLength(1);
      expect(answer.body.keys[0].key_name).toBe(`sk-...${teamKey.slice(-4)}`);
      expect(JSON.stringify(answer.body)).not.toContain(hashApiKey(teamKey));
      expect(JSON.stringify(answer.body)).not.toContain(teamKey);
      expect(answer.body.team_memberships).toHaveLength(3);
      expect(answer.body.team_memberships.map((m: any) => m.user_id)).toEqual(expect.arrayContaining(['alice', 'bob']));
      // A key of the team itself (no user) may read its team.
      const teamOnlyKey = await kit.key({ teamId: 'team-a' });
      expect((await kit.call('GET', '/team/info?team_id=team-a', { key: teamOnlyKey })).status).toBe(200);
      expect((await kit.call('GET', '/team/info?team_id=team-org', { key: teamOnlyKey })).status).toBe(403);
    });

    it('lets viewers read any team; 403 for non-members; 404 unknown; 400 without team_id', async () => {
      expect((await kit.call('GET', '/team/info?team_id=team-a', { key: keys.vera })).status).toBe(200);
      expect((await kit.call('GET', '/team/info?team_id=team-a', { key: keys.dave })).status).toBe(403);
      expect((await kit.call('GET', '/team/info?team_id=team-org', { key: keys.carol })).status).toBe(200);
      const unknown = await kit.call('GET', '/team/info?team_id=nope');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('nope');
      const missing = await kit.call('GET', '/team/info');
      expect(missing.status).toBe(400);
      expect(missing.body.error.param).toBe('team_id');
      expect((await kit.call('GET', '/team/info?team_id=team-a', { key: 'sk-bad' })).status).toBe(401);
    });

    it('lists every team for admins (with filters) and only their own teams for users', async () => {
      const all = await kit.call('GET', '/team/list');
      expect(all.status).toBe(200);
      expect(all.body.map((t: any) => t.team_id)).toEqual(expect.arrayContaining(['team-a', 'team-org']));
      expect(all.body.length).toBeGreaterThanOrEqual(3);
      const inOrg = await kit.call('GET', '/team/list?organization_id=org-1');
      expect(inOrg.body.map((t: any) => t.team_id)).toEqual(['team-org']);
      const ofAlice = await kit.call('GET', '/team/list?user_id=alice');
      expect(ofAlice.body.map((t: any) => t.team_id)).toEqual(['team-a']);
      expect(ofAlice.body[0].team_memberships.length).toBe(3);
      expect(ofAlice.body[0].keys[0].key_name).toMatch(/^sk-\.\.\./);

      expect((await kit.call('GET', '/team/list', { key: keys.alice })).body.map((t: any) => t.team_id)).toEqual(['team-a']);
      expect((await kit.call('GET', '/team/list', { key: keys.carol })).body.map((t: any) => t.team_id)).toEqual(['team-org']);
      expect((await kit.call('GET', '/team/list', { key: keys.dave })).body).toEqual([]);
      expect((await kit.call('GET', '/team/list', { key: keys.vera })).body.length).toBe(all.body.length);
      expect((await kit.call('GET', '/team/list?user_id=bob', { key: keys.alice })).status).toBe(403);
    });
  });
});
