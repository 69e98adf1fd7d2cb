import { randomUUID } from 'node:crypto';
import { badRequest } from '@tollgate/common';
import { Prisma, type PrismaClient, type Team } from '@tollgate/database';
import type { IdentityCache } from '../identity-cache';
import { recordAudit } from '../management/audit-log';
import { deleteBudgetIfUnused } from './member-budget';
import type { MemberRef } from './member-refs';
import { findOrCreateUser, type Tx } from './member-users';
import { sentTeamFields, teamColumns, type TeamFields } from './team-fields';
import { loadMemberships } from './team-memberships';
import { checkTeamFitsOrganization, type TeamBounds } from './team-organization-rules';
import { requireTeam, requireTeams } from './team-queries';
import { teamView } from './team-view';
import type { AccessGroups } from '../model-list-entries';

export interface NewTeam extends TeamFields {
  team_id?: string;
  members_with_roles?: MemberRef[];
}

/** Who is making a change: the audit actor, and the caller's user (made admin of teams they create). */
export interface ChangeContext {
  actor: string;
  userId?: string;
}

/** The fields an organization bounds, after a change is applied to `team` (or to nothing, for a new team). */
function boundsAfter(fields: TeamFields, team?: Team): TeamBounds {
  const pick = (sent: number | null | undefined, current: unknown): number | null => (sent !== undefined ? sent : current === null || current === undefined ? null : Number(current));
  return {
    models: fields.models !== undefined ? (fields.models ?? []) : (team?.models ?? []),
    maxBudget: pick(fields.max_budget, team?.maxBudget),
    tpmLimit: pick(fields.tpm_limit, team?.tpmLimit),
    rpmLimit: pick(fields.rpm_limit, team?.rpmLimit),
  };
}

const ORG_BOUNDED_FIELDS: ReadonlyArray<keyof TeamFields> = ['organization_id', 'models', 'max_budget', 'tpm_limit', 'rpm_limit'];

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

/**
 * Creates, changes, blocks and deletes teams. Each change is one transaction with its audit rows, followed
 * by an invalidation so every replica reloads the identities of keys it may affect.
 */
export class TeamService {
  constructor(
    private readonly db: PrismaClient,
    private readonly identities: Pick<IdentityCache, 'publishChange'>,
    private readonly accessGroups: AccessGroups = new Map(),
  ) {}

  async create(request: NewTeam, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const teamId = request.team_id ?? randomUUID();
    const { team_id: _sentId, members_with_roles: listed = [], ...fields } = request;
    const members = [...listed];
    if (ctx.userId && !members.some((m) => m.user_id === ctx.userId)) members.push({ role: 'admin', user_id: ctx.userId });
    const view = await this.db
      .$transaction(async (tx) => {
        if (await tx.team.findUnique({ where: { id: teamId } })) throw badRequest(`Team "${teamId}" already exists.`, 'team_id', 'team_already_exists');
        if (fields.organization_id) await checkTeamFitsOrganization(tx, fields.organization_id, boundsAfter(fields), this.accessGroups);
        const team = await tx.team.create({
          data: { ...(teamColumns(fields) as Prisma.TeamUncheckedCreateInput), id: teamId, createdBy: ctx.actor, updatedBy: ctx.actor },
        });
        for (const member of members) {
          const { user } = await findOrCreateUser(tx, member, { actor: ctx.actor, roleForNew: 'internal_user' });
          await tx.teamMember.upsert({
            where: { userId_teamId: { userId: user.id, teamId } },
            create: { userId: user.id, teamId, role: member.role },
            update: { role: member.role },
          });
        }
        const created = teamView(team, (await loadMemberships(tx, [teamId])).get(teamId));
        await recordAudit(tx, { actor: ctx.actor, action: 'create', objectType: 'team', objectId: teamId, after: created });
        return created;
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? badRequest(`Team "${teamId}" already exists.`, 'team_id', 'team_already_exists') : err;
      });
    await this.identities.publishChange('team');
    return view;
  }

  async update(teamId: string, fields: TeamFields, ctx: ChangeContext): Promise<{ team_id: string; data: Record<string, unknown> }> {
    const view = await this.db.$transaction(async (tx) => {
      const before = await requireTeam(tx, teamId);
      const organizationId = fields.organization_id !== undefined ? fields.organization_id || null : before.organizationId;
      if (organizationId && sentTeamFields(fields).some((name) => ORG_BOUNDED_FIELDS.includes(name))) {
        await checkTeamFitsOrganization(tx, organizationId, boundsAfter(fields, before), this.accessGroups);
      }
      const after = await tx.team.update({ where: { id: teamId }, data: { ...teamColumns(fields), updatedBy: ctx.actor } });
      const members = (await loadMemberships(tx, [teamId])).get(teamId);
      const updated = teamView(after, members);
      await recordAudit(tx, { actor: ctx.actor, action: 'update', objectType: 'team', objectId: teamId, before: teamView(before, members), after: updated });
      return updated;
    });
    await this.identities.publishChange('team');
    return { team_id: teamId, data: view };
  }

  async setBlocked(teamId: string, blocked: boolean, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const view = await this.db.$transaction(async (tx) => {
      const before = await requireTeam(tx, teamId);
      const after = await tx.team.update({ where: { id: teamId }, data: { blocked, updatedBy: ctx.actor } });
      const members = (await loadMemberships(tx, [teamId])).get(teamId);
      await recordAudit(tx, { actor: ctx.actor, action: blocked ? 'block' : 'unblock', objectType: 'team', objectId: teamId, before: { blocked: before.blocked }, after: { blocked } });
      return teamView(after, members);
    });
    await this.identities.publishChange('team');
    return view;
  }

  /** Deletes teams with their memberships and their keys (as LiteLLM does: a team's keys go with it). */
  async remove(teamIds: string[], ctx: ChangeContext): Promise<{ deleted_teams: string[]; deleted_keys: number }> {
    const deletedKeys = await this.db.$transaction(async (tx) => {
      const teams = await requireTeams(tx, teamIds);
      return deleteTeamsWithin(tx, teams, ctx.actor);
    });
    await this.identities.publishChange('team');
    return { deleted_teams: [...new Set(teamIds)], deleted_keys: deletedKeys };
  }
}

/**
 * Deletes teams, their memberships and their keys inside a caller's transaction, auditing each team; returns
 * how many keys went. Shared with organization deletion, which cascades to the org's teams.
 */
export async function deleteTeamsWithin(tx: Tx, teams: Team[], actor: string): Promise<number> {
  if (teams.length === 0) return 0;
  const ids = teams.map((t) => t.id);
  const memberships = await loadMemberships(tx, ids);
  const keyCounts = await tx.virtualKey.groupBy({ by: ['teamId'], where: { teamId: { in: ids } }, _count: { _all: true } });
  const keysOf = new Map(keyCounts.map((row) => [row.teamId, row._count._all]));
  const { count } = await tx.virtualKey.deleteMany({ where: { teamId: { in: ids } } });
  await tx.teamMember.deleteMany({ where: { teamId: { in: ids } } });
  for (const details of memberships.values()) for (const { membership } of details) await deleteBudgetIfUnused(tx, membership.budgetId);
  await tx.team.deleteMany({ where: { id: { in: ids } } });
  for (const team of teams) {
    await recordAudit(tx, {
      actor,
      action: 'delete',
      objectType: 'team',
      objectId: team.id,
      before: { ...teamView(team, memberships.get(team.id)), deleted_keys: keysOf.get(team.id) ?? 0 },
    });
  }
  return count;
}
