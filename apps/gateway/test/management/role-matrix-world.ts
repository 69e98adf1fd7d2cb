import { RequestLogWriter } from '@tollgate/request-log';
import { MASTER_KEY } from '../support/test-gateway';
import type { TenancyKit } from './tenancy-test-kit';

/** Who calls in the role matrix; `master` and `proxy_admin` (a user) are both checked against the first column. */
export const CALLER_ROLES = ['master', 'proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer', 'team_admin', 'org_admin'] as const;
export type CallerRole = (typeof CALLER_ROLES)[number];

export interface Caller {
  role: CallerRole;
  /** Undefined for the master key. */
  userId?: string;
  key: string;
}

/** The shared objects every probe refers to. "Own" objects belong to the callers' team and org; "foreign" to someone else. */
export const IDS = {
  ownOrg: 'rm-org-own',
  foreignOrg: 'rm-org-foreign',
  /** The team whose admin is the team_admin caller; internal users are plain members. No organization. */
  ownTeam: 'rm-team-own',
  /** A team of ownOrg: the org_admin caller's team through the organization. */
  orgTeam: 'rm-team-in-own-org',
  foreignTeam: 'rm-team-foreign',
  /** Someone else: admin of foreignTeam and of foreignOrg. */
  other: 'rm-user-other',
  customer: 'rm-customer',
  budget: 'rm-budget',
} as const;

/** The user behind each caller role: a global role, and memberships in ownTeam and ownOrg. */
interface Profile {
  userRole: string;
  teamRole?: 'admin' | 'user';
  orgRole?: 'org_admin' | 'internal_user' | 'internal_user_viewer';
}

const PROFILES: Record<Exclude<CallerRole, 'master'>, Profile> = {
  proxy_admin: { userRole: 'proxy_admin' },
  proxy_admin_viewer: { userRole: 'proxy_admin_viewer' },
  internal_user: { userRole: 'internal_user', teamRole: 'user', orgRole: 'internal_user' },
  internal_user_viewer: { userRole: 'internal_user_viewer', teamRole: 'user', orgRole: 'internal_user_viewer' },
  team_admin: { userRole: 'internal_user', teamRole: 'admin', orgRole: 'internal_user' },
  org_admin: { userRole: 'internal_user', orgRole: 'org_admin' },
};

const profileOf = (role: CallerRole): Profile | undefined => (role === 'master' ? undefined : PROFILES[role]);

/** A key named by its hash and its alias (list routes filter by alias, so other probes' keys do not page it away). */
export interface NamedKey {
  token: string;
  alias: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The tenants of the role matrix, built through the management API as the master key, plus factories for
 * throwaway objects: every probe that changes or deletes something acts on an object made for it alone.
 */
export class MatrixWorld {
  readonly callers = new Map<CallerRole, Caller>();
  /** Per caller role, a key the caller owns (see ownKeyOwner), for the read probes. */
  readonly ownKeys = new Map<CallerRole, NamedKey>();
  foreignKey!: NamedKey;
  private counter = 0;

  constructor(readonly kit: TenancyKit) {}

  unique(what: string): string {
    return `rm-${what}-${++this.counter}`;
  }

  /** A setup call as the master key; anything but 200 stops the test, since every later verdict would be void. */
  async admin(method: Method, path: string, body?: unknown): Promise<any> {
    const answer = await this.kit.call(method, path, { body });
    if (answer.status !== 200) throw new Error(`setup ${method} ${path} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async build(): Promise<void> {
    await this.admin('POST', '/organization/new', { organization_id: IDS.ownOrg, organization_alias: 'Own org' });
    await this.admin('POST', '/organization/new', { organization_id: IDS.foreignOrg, organization_alias: 'Foreign org' });
    await this.admin('POST', '/user/new', { user_id: IDS.other, user_role: 'internal_user', auto_create_key: false });
    await this.admin('POST', '/organization/member_add', { organization_id: IDS.foreignOrg, member: { role: 'org_admin', user_id: IDS.other } });
    await this.admin('POST', '/team/new', { team_id: IDS.ownTeam, team_alias: 'Own team' });
    await this.admin('POST', '/team/new', { team_id: IDS.orgTeam, team_alias: 'Team in own org', organization_id: IDS.ownOrg });
    await this.admin('POST', '/team/new', {
      team_id: IDS.foreignTeam,
      team_alias: 'Foreign team',
      organization_id: IDS.foreignOrg,
      members_with_roles: [{ role: 'admin', user_id: IDS.other }],
    });
    this.callers.set('master', { role: 'master', key: MASTER_KEY });
    for (const role of CALLER_ROLES) {
      if (role === 'master') continue;
      const caller = await this.newCaller(role, `rm-${role}`);
      this.callers.set(role, caller);
      const alias = `rm-key-of-${role}`;
      this.ownKeys.set(role, { token: await this.freshKey({ ...this.ownKeyOwner(caller), key_alias: alias }), alias });
    }
    this.foreignKey = { token: await this.freshKey({ ...FOREIGN_KEY_OWNER, key_alias: 'rm-key-foreign' }), alias: 'rm-key-foreign' };
    await this.admin('POST', '/customer/new', { user_id: IDS.customer });
    await this.admin('POST', '/budget/new', { budget_id: IDS.budget, max_budget: 10 });
  }

  caller(role: CallerRole): Caller {
    const caller = this.callers.get(role);
    if (!caller) throw new Error(`no caller for ${role}`);
    return caller;
  }

  /** A user with the role's global role and memberships, and their personal key (issued by /user/new). */
  async newCaller(role: CallerRole, userId = this.unique(role)): Promise<Caller> {
    const profile = profileOf(role);
    if (!profile) throw new Error('the master key is not a user');
    const created = await this.admin('POST', '/user/new', { user_id: userId, user_role: profile.userRole });
    if (profile.teamRole) await this.admin('POST', '/team/member_add', { team_id: IDS.ownTeam, member: { role: profile.teamRole, user_id: userId } });
    if (profile.orgRole) await this.admin('POST', '/organization/member_add', { organization_id: IDS.ownOrg, member: { role: profile.orgRole, user_id: userId } });
    return { role, userId, key: created.key };
  }

  /** Who a key the caller owns belongs to: their user, or for a team admin their team (a key of no user). */
  ownKeyOwner(caller: Caller): Record<string, string> | undefined {
    if (!caller.userId) return undefined;
    return caller.role === 'team_admin' ? { team_id: IDS.ownTeam } : { user_id: caller.userId };
  }

  /** The team the caller is concerned with: the one they belong to, or for an org admin their org's team. */
  ownTeamOf(role: CallerRole): string | undefined {
    if (role === 'org_admin') return IDS.orgTeam;
    return profileOf(role)?.teamRole ? IDS.ownTeam : undefined;
  }

  ownOrgOf(role: CallerRole): string | undefined {
    return profileOf(role)?.orgRole ? IDS.ownOrg : undefined;
  }

  /** A new key; returns its hash. */
  async freshKey(settings: Record<string, unknown>): Promise<string> {
    return (await this.admin('POST', '/key/generate', settings)).token;
  }

  /** A new team the caller is concerned with as ownTeamOf describes (undefined when they have none), or someone else's. */
  async freshTeam(whose: Caller | 'foreign'): Promise<string | undefined> {
    const teamId = this.unique('team');
    if (whose === 'foreign') {
      await this.admin('POST', '/team/new', { team_id: teamId, organization_id: IDS.foreignOrg, members_with_roles: [{ role: 'admin', user_id: IDS.other }] });
    } else if (whose.role === 'org_admin') {
      await this.admin('POST', '/team/new', { team_id: teamId, organization_id: IDS.ownOrg });
    } else {
      const teamRole = profileOf(whose.role)?.teamRole;
      if (!teamRole) return undefined;
      await this.admin('POST', '/team/new', { team_id: teamId, members_with_roles: [{ role: teamRole, user_id: whose.userId }] });
    }
    return teamId;
  }

  /** A new organization the caller belongs to with their org role (undefined when they have none), or someone else's. */
  async freshOrg(whose: Caller | 'foreign'): Promise<string | undefined> {
    const member = whose === 'foreign' ? { role: 'org_admin', user_id: IDS.other } : { role: profileOf(whose.role)?.orgRole, user_id: whose.userId };
    if (!member.role) return undefined;
    const organizationId = this.unique('org');
    await this.admin('POST', '/organization/new', { organization_id: organizationId, organization_alias: organizationId });
    await this.admin('POST', '/organization/member_add', { organization_id: organizationId, member });
    return organizationId;
  }

  async freshTeamMember(teamId: string): Promise<string> {
    const userId = this.unique('member');
    await this.admin('POST', '/team/member_add', { team_id: teamId, member: { role: 'user', user_id: userId } });
    return userId;
  }

  async freshOrgMember(organizationId: string): Promise<string> {
    const userId = this.unique('member');
    await this.admin('POST', '/organization/member_add', { organization_id: organizationId, member: { role: 'internal_user', user_id: userId } });
    return userId;
  }

  async freshUser(): Promise<string> {
    const userId = this.unique('user');
    await this.admin('POST', '/user/new', { user_id: userId, auto_create_key: false });
    return userId;
  }

  async freshCustomer(blocked = false): Promise<string> {
    const id = this.unique('customer');
    await this.admin('POST', '/customer/new', { user_id: id, blocked });
    return id;
  }

  async freshBudget(): Promise<string> {
    const id = this.unique('budget');
    await this.admin('POST', '/budget/new', { budget_id: id, max_budget: 1 });
    return id;
  }

  /**
   * A request log for the key with this hash, charged to `owner` (ownKeyOwner's or FOREIGN_KEY_OWNER's
   * fields), written as the worker writes logs; returns its request id.
   */
  async logRequest(keyHash: string, owner: { user_id?: string; team_id?: string } | undefined): Promise<string> {
    const callId = this.unique('call');
    const now = Date.now();
    await new RequestLogWriter(this.kit.db).write([
      {
        callId,
        startedAt: now,
        endedAt: now + 1,
        keyHash,
        userId: owner?.user_id,
        teamId: owner?.team_id,
        requestedModel: 'gpt-fake',
        route: '/v1/chat/completions',
        stream: false,
        status: 200,
        promptTokens: 1,
        completionTokens: 1,
        totalTokens: 2,
        spend: '0.000001',
        latencyMs: 1,
      },
    ]);
    return callId;
  }
}

/** Someone else's key: another user's, in another team of another organization. */
export const FOREIGN_KEY_OWNER = { user_id: IDS.other, team_id: IDS.foreignTeam } as const;
