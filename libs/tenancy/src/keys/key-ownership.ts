import type { CallerIdentity } from '@tollgate/auth';
import { badRequest, notFound } from '@tollgate/common';
import type { Prisma, PrismaClient, Team, VirtualKey } from '@tollgate/database';
import type { KeySettingsInput } from './key-input';
import { modelsBeyond } from './key-model-scope';
import { forbidden, isKeyAdmin } from './key-permissions';

type Db = Pick<PrismaClient, 'team' | 'organization' | 'budget'> | Prisma.TransactionClient;

/** Who a key belongs to and which budget row it uses, as column values. */
export interface KeyOwnershipData {
  userId?: string | null;
  teamId?: string | null;
  organizationId?: string | null;
  budgetId?: string | null;
}

const missing = (what: string, id: string, field: string) => notFound(`${what} "${id}" does not exist.`, field, 'not_found');

/** The key's user: anyone for proxy admins; everyone else only themselves. */
function userOf(caller: CallerIdentity, input: KeySettingsInput, current: VirtualKey | undefined): string | null | undefined {
  const own = caller.user?.id ?? null;
  if (isKeyAdmin(caller)) return current ? input.user_id : (input.user_id ?? null);
  if (current) {
    if (input.user_id !== undefined && input.user_id !== current.userId) throw forbidden('Only a proxy admin may move a key to another user.');
    return undefined;
  }
  if (input.user_id != null && input.user_id !== own) throw forbidden('You may generate keys only for yourself (user_id must be your own).');
  return own;
}

async function teamOf(db: Db, caller: CallerIdentity, teamId: string | null, changed: boolean): Promise<Team | null> {
  if (teamId === null) return null;
  const team = await db.team.findUnique({ where: { id: teamId } });
  // A key whose team has since been deleted can still be managed; it just cannot be given to a missing team.
  if (!team && !changed) return null;
  if (!team) throw missing('Team', teamId, 'team_id');
  if (changed && !isKeyAdmin(caller) && caller.user?.teams[teamId] === undefined) {
    throw forbidden(`You are not a member of team "${teamId}", so you may not give it keys.`);
  }
  return team;
}

async function organizationOf(db: Db, caller: CallerIdentity, input: KeySettingsInput, team: Team | null, current: VirtualKey | undefined): Promise<string | null | undefined> {
  const explicit = input.organization_id;
  if (explicit != null) {
    if (team?.organizationId && team.organizationId !== explicit) {
      throw badRequest(`organization_id "${explicit}" conflicts with team "${team.id}", which belongs to organization "${team.organizationId}".`, 'organization_id');
    }
    if (!(await db.organization.findUnique({ where: { id: explicit }, select: { id: true } }))) throw missing('Organization', explicit, 'organization_id');
    const unchangedOrViaTeam = team?.organizationId === explicit || current?.organizationId === explicit;
    if (!isKeyAdmin(caller) && !unchangedOrViaTeam && caller.user?.organizations[explicit] === undefined) {
      throw forbidden(`You are not a member of organization "${explicit}".`);
    }
    return explicit;
  }
  // Absent (or cleared): a team's organization is inherited, so a team key always carries it.
  if (team?.organizationId) return team.organizationId;
  if (explicit === null) return null;
  return current ? undefined : null;
}

async function budgetOf(db: Db, caller: CallerIdentity, input: KeySettingsInput, current: VirtualKey | undefined): Promise<string | null | undefined> {
  if (input.budget_id === undefined || (current && input.budget_id === current.budgetId)) return undefined;
  if (!isKeyAdmin(caller)) throw forbidden('Only a proxy admin may attach a budget (budget_id) to a key.');
  if (input.budget_id === null) return null;
  if (!(await db.budget.findUnique({ where: { id: input.budget_id }, select: { id: true } }))) throw missing('Budget', input.budget_id, 'budget_id');
  return input.budget_id;
}

/** A member may not give a team key more than the team has: its models and its budget. */
function checkWithinTeam(team: Team, input: KeySettingsInput, current: VirtualKey | undefined, teamChanged: boolean, accessGroups: ReadonlyMap<string, readonly string[]>): void {
  if (input.models !== undefined || teamChanged) {
    const beyond = modelsBeyond(input.models !== undefined ? (input.models ?? []) : (current?.models ?? []), team.models, accessGroups);
    if (beyond.length > 0) {
      throw forbidden(`Team "${team.id}" may not use ${beyond.map((m) => `"${m}"`).join(', ')}; its models are: ${team.models.join(', ')}.`);
    }
  }
  if ((input.max_budget !== undefined || teamChanged) && team.maxBudget !== null) {
    const wanted = input.max_budget !== undefined ? input.max_budget : current?.maxBudget?.toNumber();
    if (wanted != null && team.maxBudget.lessThan(String(wanted))) {
      throw forbidden(`max_budget ${wanted} is above the max_budget of team "${team.id}" (${team.maxBudget.toNumber()}).`);
    }
  }
}

/**
 * Resolves and checks who a key belongs to, for a new key (`current` undefined) or a change to `current`:
 * referenced team, organization and budget must exist (404), the organization is inherited from the team
 * (a different one is a 400), and a caller who is not a proxy admin keeps keys to themselves and their
 * teams, within the team's models and budget (403).
 */
export async function resolveKeyOwnership(
  db: Db,
  caller: CallerIdentity,
  input: KeySettingsInput,
  current: VirtualKey | undefined,
  accessGroups: ReadonlyMap<string, readonly string[]>,
): Promise<KeyOwnershipData> {
  const userId = userOf(caller, input, current);
  const teamId = input.team_id !== undefined ? input.team_id : (current?.teamId ?? null);
  const teamChanged = teamId !== (current?.teamId ?? null);
  const team = await teamOf(db, caller, teamId, teamChanged);
  const organizationId = await organizationOf(db, caller, input, team, current);
  const budgetId = await budgetOf(db, caller, input, current);
  if (team && !isKeyAdmin(caller)) checkWithinTeam(team, input, current, teamChanged, accessGroups);
  const data: KeyOwnershipData = {};
  if (userId !== undefined) data.userId = userId;
  if (input.team_id !== undefined || !current) data.teamId = teamId;
  if (organizationId !== undefined) data.organizationId = organizationId;
  if (budgetId !== undefined) data.budgetId = budgetId;
  return data;
}
