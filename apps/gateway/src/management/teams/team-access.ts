import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import { GatewayError } from '@tollgate/common';
import type { Team } from '@tollgate/database';
import { requireTeam, type TeamFieldName, type TeamListFilter } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import { canReadEverything, isOrgAdmin, isProxyAdmin, isReadOnly, isTeamAdmin } from '../management-access';

export const forbidden = (message: string) => new GatewayError(403, 'permission_error', message, { code: 'forbidden' });

/** What a team admin may change on their own team: nothing that widens the team's access or limits. */
export const TEAM_ADMIN_FIELDS: ReadonlySet<TeamFieldName> = new Set(['team_alias', 'metadata', 'tags', 'team_member_permissions', 'model_aliases']);

/** Viewers (proxy_admin_viewer, internal_user_viewer) never change anything, whatever their team or org roles. */
export function refuseViewers(caller: CallerIdentity): void {
  if (isReadOnly(caller)) throw forbidden(`Your role (${caller.role}) is read-only.`);
}

const administersTeamOrg = (caller: CallerIdentity, team: Team) => team.organizationId !== null && isOrgAdmin(caller, team.organizationId);

/**
 * Who may do what with teams. Proxy admins: everything. Org admins: create teams in their organizations and
 * manage (update, block, delete, members) the teams in them. Team admins: manage their team's members and
 * update the team's descriptive fields. Members (and the team's own keys) read the team. Viewers never write.
 */
@Injectable()
export class TeamAccess {
  constructor(private readonly runtime: GatewayRuntime) {}

  checkCreate(caller: CallerIdentity, organizationId: string | null | undefined): void {
    refuseViewers(caller);
    if (isProxyAdmin(caller)) return;
    if (organizationId && isOrgAdmin(caller, organizationId)) return;
    throw forbidden(
      organizationId
        ? `Only proxy admins and admins of organization "${organizationId}" may create teams in it.`
        : 'Only proxy admins may create teams outside an organization; org admins may create teams in their organization.',
    );
  }

  /** The team to update, once the caller may make this change (sent: the fields in the request). */
  async forUpdate(caller: CallerIdentity, teamId: string, sent: TeamFieldName[], newOrganizationId: string | null | undefined): Promise<Team> {
    refuseViewers(caller);
    const team = await requireTeam(this.runtime.db, teamId);
    if (isProxyAdmin(caller)) return team;
    if (administersTeamOrg(caller, team)) {
      if (newOrganizationId === undefined || (newOrganizationId && isOrgAdmin(caller, newOrganizationId))) return team;
      throw forbidden(`Org admins may only move team "${teamId}" to another organization they administer.`);
    }
    if (isTeamAdmin(caller, teamId)) {
      const beyond = sent.filter((name) => !TEAM_ADMIN_FIELDS.has(name));
      if (beyond.length === 0) return team;
      throw forbidden(`Team admins may change ${[...TEAM_ADMIN_FIELDS].join(', ')}; changing ${beyond.join(', ')} needs a proxy admin or an admin of the team's organization.`);
    }
    throw forbidden(`You may not update team "${teamId}".`);
  }

  /** Delete, block and unblock: proxy admins and admins of the team's organization. */
  async forOrgLevelChange(caller: CallerIdentity, teamId: string, what: string): Promise<Team> {
    refuseViewers(caller);
    const team = await requireTeam(this.runtime.db, teamId);
    if (isProxyAdmin(caller) || administersTeamOrg(caller, team)) return team;
    throw forbidden(`Only proxy admins and admins of the team's organization may ${what} team "${teamId}".`);
  }

  /** Member changes: proxy admins, admins of the team's organization and the team's admins. */
  async forMemberChange(caller: CallerIdentity, teamId: string): Promise<Team> {
    refuseViewers(caller);
    const team = await requireTeam(this.runtime.db, teamId);
    if (isTeamAdmin(caller, teamId) || administersTeamOrg(caller, team)) return team;
    throw forbidden(`Only proxy admins, team admins of "${teamId}" and admins of its organization may manage its members.`);
  }

  async forRead(caller: CallerIdentity, teamId: string): Promise<Team> {
    const team = await requireTeam(this.runtime.db, teamId);
    if (canReadEverything(caller) || caller.user?.teams[teamId] !== undefined || caller.team?.id === teamId || administersTeamOrg(caller, team)) return team;
    throw forbidden(`You may not read team "${teamId}": you are not a member of it.`);
  }

  /** The list filter for the caller: everything for admins and viewers, else their teams and their orgs' teams. */
  listScope(caller: CallerIdentity, requested: { user_id?: string; organization_id?: string }): TeamListFilter {
    const filter: TeamListFilter = { userId: requested.user_id, organizationId: requested.organization_id };
    if (canReadEverything(caller)) return filter;
    if (requested.user_id && requested.user_id !== caller.user?.id) throw forbidden('You may only list your own teams (user_id must be yours).');
    const teamIds = Object.keys(caller.user?.teams ?? {});
    if (caller.team) teamIds.push(caller.team.id);
    const adminOf = Object.entries(caller.user?.organizations ?? {}).filter(([, role]) => role === 'org_admin').map(([id]) => id);
    return { ...filter, visibleTeamIds: teamIds, visibleOrganizationIds: adminOf };
  }
}
