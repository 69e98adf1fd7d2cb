import { badRequest, notFound } from '@tollgate/common';
import type { Organization } from '@tollgate/database';
import { listCovers, type AccessGroups } from '../model-list-entries';
import type { Tx } from './member-users';

/** The parts of a team an organization bounds. Null or empty means "no limit of its own". */
export interface TeamBounds {
  models: string[];
  maxBudget: number | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
}

/** The team model entries an organization's model list does not cover (none when the org does not restrict). */
export function modelsOutsideOrganization(orgModels: readonly string[], teamModels: readonly string[], accessGroups: AccessGroups = new Map()): string[] {
  if (orgModels.length === 0) return [];
  return teamModels.filter((entry) => !listCovers(orgModels, entry, accessGroups));
}

export async function requireOrganization(db: Tx, organizationId: string): Promise<Organization> {
  const organization = await db.organization.findUnique({ where: { id: organizationId } });
  if (!organization) throw notFound(`Organization "${organizationId}" does not exist.`, 'organization_id', 'organization_not_found');
  return organization;
}

/**
 * Checks a team against its organization: its models within the org's models (when the org restricts
 * them) and its budget and rate limits not above the org's. A team without a model list of its own is
 * accepted: the organization's list still applies to every request.
 */
export async function checkTeamFitsOrganization(db: Tx, organizationId: string, team: TeamBounds, accessGroups: AccessGroups): Promise<Organization> {
  const organization = await requireOrganization(db, organizationId);
  const outside = modelsOutsideOrganization(organization.models, team.models, accessGroups);
  if (outside.length > 0) {
    throw badRequest(
      `Organization "${organizationId}" does not allow these team models: ${outside.join(', ')}. It allows: ${organization.models.join(', ')}.`,
      'models',
    );
  }
  const budget = organization.budgetId ? await db.budget.findUnique({ where: { id: organization.budgetId } }) : null;
  const orNull = (value: { toString(): string } | null | undefined) => (value === null || value === undefined ? null : Number(value.toString()));
  const ceilings: Array<[string, number | null, number | null]> = [
    ['max_budget', team.maxBudget, orNull(budget?.maxBudget)],
    ['tpm_limit', team.tpmLimit, orNull(budget?.tpmLimit)],
    ['rpm_limit', team.rpmLimit, orNull(budget?.rpmLimit)],
  ];
  for (const [field, value, ceiling] of ceilings) {
    if (value !== null && ceiling !== null && value > ceiling) {
      throw badRequest(`The team's ${field} (${value}) is above organization "${organizationId}"'s ${field} (${ceiling}).`, field);
    }
  }
  return organization;
}
