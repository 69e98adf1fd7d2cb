import { badRequest, notFound } from '@tollgate/common';
import type { OrganizationMember, PrismaClient, User } from '@tollgate/database';
import type { IdentityCache } from '../identity-cache';
import { recordAudit } from '../management/audit-log';
import { deleteBudgetIfUnused, upsertMemberBudget } from '../teams/member-budget';
import type { MemberRef } from '../teams/member-refs';
import { findOrCreateUser, findUser, requireUser, userView, type Tx, type UserRef } from '../teams/member-users';
import { requireOrganization } from '../teams/team-organization-rules';
import type { ChangeContext } from '../teams/team-service';
import { loadOrgMemberships, orgMembershipView } from './organization-view';

export interface OrgMemberChange {
  role?: string;
  /** A number sets the member's budget inside the organization; null removes it. */
  max_budget_in_organization?: number | null;
}

/** New users added as `internal_user_viewer` members get that global role too; others are internal users. */
const globalRoleFor = (orgRole: string) => (orgRole === 'internal_user_viewer' ? 'internal_user_viewer' : 'internal_user');

async function requireOrgMembership(tx: Tx, organizationId: string, ref: UserRef): Promise<{ user: User; membership: OrganizationMember }> {
  const user = await requireUser(tx, ref);
  const membership = await tx.organizationMember.findUnique({ where: { userId_organizationId: { userId: user.id, organizationId } } });
  if (!membership) {
    throw notFound(`User "${ref.user_id ?? ref.user_email}" is not a member of organization "${organizationId}".`, ref.user_id ? 'user_id' : 'user_email', 'organization_member_not_found');
  }
  return { user, membership };
}

async function membershipDetail(tx: Tx, organizationId: string, userId: string): Promise<Record<string, unknown>> {
  const detail = (await loadOrgMemberships(tx, [organizationId])).get(organizationId)?.find((d) => d.membership.userId === userId);
  return detail ? orgMembershipView(detail) : {};
}

/** Adds, changes and removes organization members; each change audited, then identities invalidated. */
export class OrganizationMemberService {
  constructor(
    private readonly db: PrismaClient,
    private readonly identities: Pick<IdentityCache, 'publishChange'>,
  ) {}

  /** Unknown users are created; members already in the organization are skipped (400 when all are). */
  async add(organizationId: string, members: MemberRef[], maxBudget: number | null | undefined, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const result = await this.db.$transaction(async (tx) => {
      await requireOrganization(tx, organizationId);
      const updatedUsers: User[] = [];
      const memberships: Record<string, unknown>[] = [];
      for (const member of members) {
        const known = await findUser(tx, member);
        const already = known && (await tx.organizationMember.findUnique({ where: { userId_organizationId: { userId: known.id, organizationId } } }));
        if (already || (known && updatedUsers.some((u) => u.id === known.id))) continue;
        const { user } = await findOrCreateUser(tx, member, { actor: ctx.actor, roleForNew: globalRoleFor(member.role) });
        const budgetId = maxBudget !== undefined && maxBudget !== null ? await upsertMemberBudget(tx, null, maxBudget, ctx.actor) : null;
        await tx.organizationMember.create({ data: { userId: user.id, organizationId, role: member.role, budgetId } });
        await recordAudit(tx, {
          actor: ctx.actor,
          action: 'member_add',
          objectType: 'organization',
          objectId: organizationId,
          after: { user_id: user.id, user_role: member.role, max_budget_in_organization: maxBudget ?? null },
        });
        updatedUsers.push(user);
        memberships.push(await membershipDetail(tx, organizationId, user.id));
      }
      if (updatedUsers.length === 0) {
        const names = members.map((m) => m.user_id ?? m.user_email).join(', ');
        throw badRequest(`Already in organization "${organizationId}": ${names}.`, 'member', 'organization_member_already_exists');
      }
      return { organization_id: organizationId, updated_users: updatedUsers.map(userView), updated_organization_memberships: memberships };
    });
    await this.identities.publishChange('organization_member');
    return result;
  }

  async update(organizationId: string, ref: UserRef, change: OrgMemberChange, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const result = await this.db.$transaction(async (tx) => {
      await requireOrganization(tx, organizationId);
      const { user, membership } = await requireOrgMembership(tx, organizationId, ref);
      const before = await membershipDetail(tx, organizationId, user.id);
      let budgetId = membership.budgetId;
      if (change.max_budget_in_organization !== undefined && change.max_budget_in_organization !== null) {
        budgetId = await upsertMemberBudget(tx, membership.budgetId, change.max_budget_in_organization, ctx.actor);
      } else if (change.max_budget_in_organization === null) {
        budgetId = null;
      }
      await tx.organizationMember.update({
        where: { userId_organizationId: { userId: user.id, organizationId } },
        data: { role: change.role ?? membership.role, budgetId },
      });
      if (budgetId !== membership.budgetId) await deleteBudgetIfUnused(tx, membership.budgetId);
      const after = await membershipDetail(tx, organizationId, user.id);
      await recordAudit(tx, { actor: ctx.actor, action: 'member_update', objectType: 'organization', objectId: organizationId, before, after });
      return after;
    });
    await this.identities.publishChange('organization_member');
    return result;
  }

  async remove(organizationId: string, ref: UserRef, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const result = await this.db.$transaction(async (tx) => {
      await requireOrganization(tx, organizationId);
      const { user, membership } = await requireOrgMembership(tx, organizationId, ref);
      const before = await membershipDetail(tx, organizationId, user.id);
      await tx.organizationMember.delete({ where: { userId_organizationId: { userId: user.id, organizationId } } });
      await deleteBudgetIfUnused(tx, membership.budgetId);
      await recordAudit(tx, { actor: ctx.actor, action: 'member_delete', objectType: 'organization', objectId: organizationId, before });
      return { organization_id: organizationId, user_id: user.id, user_email: user.email, deleted: true };
    });
    await this.identities.publishChange('organization_member');
    return result;
  }
}
