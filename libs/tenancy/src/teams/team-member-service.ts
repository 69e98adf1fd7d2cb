import { badRequest, notFound } from '@tollgate/common';
import type { PrismaClient, TeamMember, User } from '@tollgate/database';
import type { IdentityCache } from '../identity-cache';
import { recordAudit } from '../management/audit-log';
import { deleteBudgetIfUnused, upsertMemberBudget } from './member-budget';
import type { MemberRef } from './member-refs';
import { findOrCreateUser, findUser, requireUser, userView, type Tx, type UserRef } from './member-users';
import type { ChangeContext } from './team-service';
import { loadMemberships, membershipView } from './team-memberships';
import { requireTeam } from './team-queries';
import { teamView } from './team-view';

export interface MemberChange {
  role?: string;
  /** A number sets the member's budget inside the team; null removes it. */
  max_budget_in_team?: number | null;
}

async function requireMembership(tx: Tx, teamId: string, ref: UserRef): Promise<{ user: User; membership: TeamMember }> {
  const user = await requireUser(tx, ref);
  const membership = await tx.teamMember.findUnique({ where: { userId_teamId: { userId: user.id, teamId } } });
  if (!membership) throw notFound(`User "${ref.user_id ?? ref.user_email}" is not a member of team "${teamId}".`, ref.user_id ? 'user_id' : 'user_email', 'team_member_not_found');
  return { user, membership };
}

/** Adds, changes and removes team members, each change audited and followed by an identity invalidation. */
export class TeamMemberService {
  constructor(
    private readonly db: PrismaClient,
    private readonly identities: Pick<IdentityCache, 'publishChange'>,
  ) {}

  /**
   * Adds members (unknown users are created). Members already in the team are skipped; when every one named
   * is already there the request is a 400, as in LiteLLM.
   */
  async add(teamId: string, members: MemberRef[], maxBudgetInTeam: number | null | undefined, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const result = await this.db.$transaction(async (tx) => {
      const team = await requireTeam(tx, teamId);
      const fresh: MemberRef[] = [];
      for (const member of members) {
        const user = await findUser(tx, member);
        const already = user && (await tx.teamMember.findUnique({ where: { userId_teamId: { userId: user.id, teamId } } }));
        if (!already) fresh.push(member);
      }
      if (fresh.length === 0) {
        const names = members.map((m) => m.user_id ?? m.user_email).join(', ');
        throw badRequest(`Already in team "${teamId}": ${names}.`, 'member', 'team_member_already_in_team');
      }
      const updatedUsers: User[] = [];
      const addedIds: string[] = [];
      for (const member of fresh) {
        const { user } = await findOrCreateUser(tx, member, { actor: ctx.actor, roleForNew: 'internal_user' });
        // Two references (an id and an e-mail) may name one user: add them once.
        if (addedIds.includes(user.id)) continue;
        const budgetId = maxBudgetInTeam !== undefined && maxBudgetInTeam !== null ? await upsertMemberBudget(tx, null, maxBudgetInTeam, ctx.actor) : null;
        await tx.teamMember.create({ data: { userId: user.id, teamId, role: member.role, budgetId } });
        await recordAudit(tx, {
          actor: ctx.actor,
          action: 'member_add',
          objectType: 'team',
          objectId: teamId,
          after: { user_id: user.id, role: member.role, max_budget_in_team: maxBudgetInTeam ?? null },
        });
        updatedUsers.push(user);
        addedIds.push(user.id);
      }
      const details = (await loadMemberships(tx, [teamId])).get(teamId) ?? [];
      return {
        ...teamView(team, details),
        updated_users: updatedUsers.map(userView),
        updated_team_memberships: details.filter((d) => addedIds.includes(d.membership.userId)).map(membershipView),
      };
    });
    await this.identities.publishChange('team_member');
    return result;
  }

  async update(teamId: string, ref: UserRef, change: MemberChange, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const result = await this.db.$transaction(async (tx) => {
      await requireTeam(tx, teamId);
      const { user, membership } = await requireMembership(tx, teamId, ref);
      const before = await this.budgetAmount(tx, membership.budgetId);
      let budgetId = membership.budgetId;
      if (change.max_budget_in_team !== undefined && change.max_budget_in_team !== null) {
        budgetId = await upsertMemberBudget(tx, membership.budgetId, change.max_budget_in_team, ctx.actor);
      } else if (change.max_budget_in_team === null) {
        budgetId = null;
      }
      const updated = await tx.teamMember.update({
        where: { userId_teamId: { userId: user.id, teamId } },
        data: { role: change.role ?? membership.role, budgetId },
      });
      if (budgetId !== membership.budgetId) await deleteBudgetIfUnused(tx, membership.budgetId);
      const maxBudget = await this.budgetAmount(tx, updated.budgetId);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'member_update',
        objectType: 'team',
        objectId: teamId,
        before: { user_id: user.id, role: membership.role, max_budget_in_team: before },
        after: { user_id: user.id, role: updated.role, max_budget_in_team: maxBudget },
      });
      return { team_id: teamId, user_id: user.id, user_email: user.email, role: updated.role, max_budget_in_team: maxBudget, budget_id: updated.budgetId };
    });
    await this.identities.publishChange('team_member');
    return result;
  }

  async remove(teamId: string, ref: UserRef, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const result = await this.db.$transaction(async (tx) => {
      const team = await requireTeam(tx, teamId);
      const { user, membership } = await requireMembership(tx, teamId, ref);
      await tx.teamMember.delete({ where: { userId_teamId: { userId: user.id, teamId } } });
      await deleteBudgetIfUnused(tx, membership.budgetId);
      await recordAudit(tx, { actor: ctx.actor, action: 'member_delete', objectType: 'team', objectId: teamId, before: { user_id: user.id, role: membership.role } });
      return teamView(team, (await loadMemberships(tx, [teamId])).get(teamId));
    });
    await this.identities.publishChange('team_member');
    return result;
  }

  private async budgetAmount(tx: Tx, budgetId: string | null): Promise<number | null> {
    if (!budgetId) return null;
    const budget = await tx.budget.findUnique({ where: { id: budgetId } });
    return budget?.maxBudget ? budget.maxBudget.toNumber() : null;
  }
}
