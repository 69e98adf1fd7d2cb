import { notFound } from '@tollgate/common';
import type { Prisma, Team } from '@tollgate/database';
import { modelSpend } from '../spend-reports/spend-totals';
import type { Tx } from './member-users';
import { loadMemberships, membershipView } from './team-memberships';
import { keySummary, teamView } from './team-view';

const teamNotFound = (teamId: string) => notFound(`Team "${teamId}" does not exist.`, 'team_id', 'team_not_found');

export async function requireTeam(db: Tx, teamId: string): Promise<Team> {
  const team = await db.team.findUnique({ where: { id: teamId } });
  if (!team) throw teamNotFound(teamId);
  return team;
}

/** Every named team, or a 404 naming the first unknown one. */
export async function requireTeams(db: Tx, teamIds: string[]): Promise<Team[]> {
  const teams = await db.team.findMany({ where: { id: { in: teamIds } } });
  const missing = teamIds.find((id) => !teams.some((t) => t.id === id));
  if (missing !== undefined) throw teamNotFound(missing);
  return teams;
}

/** GET /team/info: the team (with its spend per model), its keys (abbreviated, never the key or its hash) and its memberships. */
export async function teamInfo(db: Tx, teamId: string): Promise<Record<string, unknown>> {
  const team = await requireTeam(db, teamId);
  const members = (await loadMemberships(db, [teamId])).get(teamId) ?? [];
  const keys = await db.virtualKey.findMany({ where: { teamId }, orderBy: { createdAt: 'asc' } });
  return {
    team_id: teamId,
    team_info: { ...teamView(team, members), model_spend: await modelSpend(db, 'team', teamId) },
    keys: keys.map(keySummary),
    team_memberships: members.map(membershipView),
  };
}

export interface TeamListFilter {
  /** Only teams this user belongs to. */
  userId?: string;
  organizationId?: string;
  /** When set, only these teams (what a non-admin caller may see). */
  visibleTeamIds?: string[];
  /** When set, also every team of these organizations (orgs the caller administers). */
  visibleOrganizationIds?: string[];
}

/** GET /team/list: teams with their members, memberships and abbreviated keys. */
export async function listTeams(db: Tx, filter: TeamListFilter): Promise<Record<string, unknown>[]> {
  const and: Prisma.TeamWhereInput[] = [];
  if (filter.organizationId) and.push({ organizationId: filter.organizationId });
  if (filter.userId) {
    const memberOf = await db.teamMember.findMany({ where: { userId: filter.userId }, select: { teamId: true } });
    and.push({ id: { in: memberOf.map((m) => m.teamId) } });
  }
  if (filter.visibleTeamIds || filter.visibleOrganizationIds) {
    and.push({ OR: [{ id: { in: filter.visibleTeamIds ?? [] } }, { organizationId: { in: filter.visibleOrganizationIds ?? [] } }] });
  }
  const teams = await db.team.findMany({ where: { AND: and }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const ids = teams.map((t) => t.id);
  const memberships = await loadMemberships(db, ids);
  const keys = ids.length ? await db.virtualKey.findMany({ where: { teamId: { in: ids } }, orderBy: { createdAt: 'asc' } }) : [];
  return teams.map((team) => {
    const members = memberships.get(team.id) ?? [];
    return {
      ...teamView(team, members),
      team_memberships: members.map(membershipView),
      keys: keys.filter((k) => k.teamId === team.id).map(keySummary),
    };
  });
}
