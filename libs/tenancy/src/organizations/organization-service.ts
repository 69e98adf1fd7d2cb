import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '@tollgate/common';
import { Prisma, type PrismaClient } from '@tollgate/database';
import type { IdentityCache } from '../identity-cache';
import { recordAudit } from '../management/audit-log';
import { deleteBudgetIfUnused } from '../teams/member-budget';
import type { Tx } from '../teams/member-users';
import { requireOrganization } from '../teams/team-organization-rules';
import { deleteTeamsWithin, type ChangeContext } from '../teams/team-service';
import { budgetColumns, sentBudgetFields, type OrganizationFields } from './organization-fields';
import { loadOrgMemberships } from './organization-view';
import { organizationInfo, organizationsWithMembers, requireOrganizations } from './organization-queries';

export interface NewOrganization extends OrganizationFields {
  organization_id?: string;
  organization_alias: string;
}

async function requireBudget(tx: Tx, budgetId: string): Promise<void> {
  if (!(await tx.budget.findUnique({ where: { id: budgetId } }))) throw notFound(`Budget "${budgetId}" does not exist.`, 'budget_id', 'budget_not_found');
}

function refuseBudgetIdWithInlineLimits(fields: OrganizationFields): void {
  const inline = sentBudgetFields(fields);
  if (fields.budget_id && inline.length > 0) {
    throw badRequest(`Send either "budget_id" or inline limits (${inline.join(', ')}), not both.`, 'budget_id');
  }
}

/** Shallow merge, as LiteLLM merges organization metadata on update; null clears it. */
function mergedMetadata(current: unknown, sent: Record<string, unknown> | null): Prisma.InputJsonObject {
  if (sent === null) return {};
  const base = current && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
  return { ...base, ...sent } as Prisma.InputJsonObject;
}

/** Creates, updates and deletes organizations (deletion cascades to their teams, memberships and keys). */
export class OrganizationService {
  constructor(
    private readonly db: PrismaClient,
    private readonly identities: Pick<IdentityCache, 'publishChange'>,
  ) {}

  async create(request: NewOrganization, ctx: ChangeContext): Promise<Record<string, unknown>> {
    const organizationId = request.organization_id ?? randomUUID();
    refuseBudgetIdWithInlineLimits(request);
    const view = await this.db.$transaction(async (tx) => {
      if (await tx.organization.findUnique({ where: { id: organizationId } })) {
        throw badRequest(`Organization "${organizationId}" already exists.`, 'organization_id', 'organization_already_exists');
      }
      let budgetId = request.budget_id ?? null;
      if (budgetId) await requireBudget(tx, budgetId);
      if (!budgetId && sentBudgetFields(request).length > 0) {
        const budget = await tx.budget.create({
          data: { ...(budgetColumns(request) as Prisma.BudgetUncheckedCreateInput), id: randomUUID(), createdBy: ctx.actor, updatedBy: ctx.actor },
        });
        budgetId = budget.id;
      }
      const organization = await tx.organization.create({
        data: {
          id: organizationId,
          alias: request.organization_alias,
          models: request.models ?? [],
          metadata: (request.metadata ?? {}) as Prisma.InputJsonObject,
          blocked: request.blocked ?? false,
          budgetId,
          createdBy: ctx.actor,
          updatedBy: ctx.actor,
        },
      });
      const [created] = await organizationsWithMembers(tx, [organization]);
      await recordAudit(tx, { actor: ctx.actor, action: 'create', objectType: 'organization', objectId: organizationId, after: created });
      return created;
    });
    await this.identities.publishChange('organization');
    return view;
  }

  /** Updates the organization's columns; inline limits update its budget row (created when it has none). */
  async update(organizationId: string, fields: OrganizationFields, ctx: ChangeContext): Promise<Record<string, unknown>> {
    refuseBudgetIdWithInlineLimits(fields);
    const view = await this.db.$transaction(async (tx) => {
      const current = await requireOrganization(tx, organizationId);
      const before = await organizationInfo(tx, organizationId);
      let budgetId = current.budgetId;
      if (fields.budget_id !== undefined) {
        if (fields.budget_id) await requireBudget(tx, fields.budget_id);
        budgetId = fields.budget_id || null;
      }
      if (sentBudgetFields(fields).length > 0) {
        const columns = budgetColumns(fields);
        const updated = budgetId ? await tx.budget.updateMany({ where: { id: budgetId }, data: { ...columns, updatedBy: ctx.actor } }) : { count: 0 };
        if (updated.count === 0) {
          const budget = await tx.budget.create({
            data: { ...(columns as Prisma.BudgetUncheckedCreateInput), id: randomUUID(), createdBy: ctx.actor, updatedBy: ctx.actor },
          });
          budgetId = budget.id;
        }
      }
      const data: Prisma.OrganizationUncheckedUpdateInput = { budgetId, updatedBy: ctx.actor };
      if (fields.organization_alias !== undefined) data.alias = fields.organization_alias;
      if (fields.models !== undefined) data.models = fields.models ?? [];
      if (fields.metadata !== undefined) data.metadata = mergedMetadata(current.metadata, fields.metadata);
      if (fields.blocked !== undefined) data.blocked = fields.blocked ?? false;
      await tx.organization.update({ where: { id: organizationId }, data });
      const after = await organizationInfo(tx, organizationId);
      await recordAudit(tx, { actor: ctx.actor, action: 'update', objectType: 'organization', objectId: organizationId, before, after });
      return after;
    });
    await this.identities.publishChange('organization');
    return view;
  }

  /**
   * Deletes organizations with everything under them: their teams (with those teams' memberships and keys),
   * keys issued directly to the organization, and organization memberships. The organization's budget row is
   * kept: it may be a shared tier from /budget/new. Returns the deleted objects.
   */
  async remove(organizationIds: string[], ctx: ChangeContext): Promise<Record<string, unknown>[]> {
    const ids = [...new Set(organizationIds)];
    const deleted = await this.db.$transaction(async (tx) => {
      const organizations = await requireOrganizations(tx, ids);
      const views = await organizationsWithMembers(tx, organizations);
      const teams = await tx.team.findMany({ where: { organizationId: { in: ids } } });
      await deleteTeamsWithin(tx, teams, ctx.actor);
      await tx.virtualKey.deleteMany({ where: { organizationId: { in: ids } } });
      const memberships = await loadOrgMemberships(tx, ids);
      await tx.organizationMember.deleteMany({ where: { organizationId: { in: ids } } });
      await tx.organization.deleteMany({ where: { id: { in: ids } } });
      for (const details of memberships.values()) for (const { membership } of details) await deleteBudgetIfUnused(tx, membership.budgetId);
      for (const view of views) {
        await recordAudit(tx, { actor: ctx.actor, action: 'delete', objectType: 'organization', objectId: String(view.organization_id), before: view });
      }
      return views;
    });
    await this.identities.publishChange('organization');
    return deleted;
  }
}
