import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '@tollgate/common';
import type { Prisma, PrismaClient } from '@tollgate/database';
import type { ChangePublisher } from '../budgets/budget-admin';
import { isUniqueViolation } from '../budgets/db-errors';
import { recordAudit } from '../management/audit-log';
import { keyAuditValue } from '../keys/key-response';
import { deleteBudgetIfUnused } from '../teams/member-budget';
import { userApi, userData, type NewUserInput, type UpdateUserInput } from './user-fields';

type Tx = Prisma.TransactionClient;
type UserRow = NonNullable<Awaited<ReturnType<PrismaClient['user']['findUnique']>>>;

export const userNotFound = (ids: string[], param: string) =>
  notFound(`User${ids.length > 1 ? 's' : ''} ${ids.map((id) => `"${id}"`).join(', ')} do${ids.length > 1 ? '' : 'es'} not exist.`, param, 'user_not_found');

const emailTaken = (email: string) => badRequest(`A user with user_email "${email}" already exists.`, 'user_email');

/** Lets the route refuse a change once the user it names is known (a user may edit only parts of their own account). */
export type UserChangeCheck = (target: UserRow) => void;

/**
 * Issues a personal key for a new user through the key service (same rules, format and audit as /key/generate);
 * returns its answer, of which `key`, `key_name` and `token_id` are passed on.
 */
export type PersonalKeyIssuer = (userId: string) => Promise<Record<string, unknown>>;

/**
 * Internal users: create (with team memberships and, as in LiteLLM, a personal key), update, delete (with their
 * memberships and personal keys). Every write commits with its audit rows, then tells every replica.
 */
export class UserAdmin {
  constructor(
    private readonly db: PrismaClient,
    private readonly changes: ChangePublisher,
  ) {}

  /**
   * Creates the user and their team memberships in one transaction, then (unless `auto_create_key` is false)
   * their personal key. Should issuing the key fail, the user stays created and the error is reported.
   */
  async create(input: NewUserInput, actor: string, issueKey: PersonalKeyIssuer): Promise<Record<string, unknown>> {
    const id = input.user_id ?? randomUUID();
    const data = { ...(userData(input) as Prisma.UserUncheckedCreateInput), id, createdBy: actor, updatedBy: actor };
    const teams = [...new Set(input.teams ?? [])];
    const user = await this.db
      .$transaction(async (tx) => {
        if (await tx.user.findUnique({ where: { id } })) throw badRequest(`User "${id}" already exists.`, 'user_id');
        if (input.user_email && (await tx.user.findUnique({ where: { email: input.user_email } }))) throw emailTaken(input.user_email);
        await this.checkTeamsExist(tx, teams);
        const user = await tx.user.create({ data });
        await recordAudit(tx, { actor, action: 'create', objectType: 'user', objectId: id, after: user });
        for (const teamId of teams) {
          await tx.teamMember.create({ data: { userId: id, teamId, role: 'user' } });
          await recordAudit(tx, { actor, action: 'member_add', objectType: 'team', objectId: teamId, after: { user_id: id, role: 'user' } });
        }
        return user;
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? badRequest(`User "${id}" or its user_email already exists.`, 'user_id') : err;
      });
    await this.changes.publishChange('user');
    const issued = input.auto_create_key === false ? undefined : await issueKey(id);
    return { ...userApi(user), teams, key: issued?.key ?? null, key_name: issued?.key_name ?? null, token_id: issued?.token_id ?? null };
  }

  /** Changes the user named by `user_id` (or, without it, by `user_email`); `check` may refuse once the user is known. */
  async update(input: UpdateUserInput, actor: string, check: UserChangeCheck = () => undefined): Promise<Record<string, unknown>> {
    const byEmail = input.user_id === undefined;
    if (byEmail && !input.user_email) throw badRequest('Send "user_id" or "user_email" to name the user to update.', 'user_id');
    const changes = byEmail ? { ...input, user_email: undefined } : input;
    const data = { ...userData(changes), updatedBy: actor };
    const updated = await this.db
      .$transaction(async (tx) => {
        const before = byEmail
          ? await tx.user.findUnique({ where: { email: input.user_email as string } })
          : await tx.user.findUnique({ where: { id: input.user_id as string } });
        if (!before) throw byEmail ? userNotFound([input.user_email as string], 'user_email') : userNotFound([input.user_id as string], 'user_id');
        check(before);
        const email = changes.user_email;
        if (email && email !== before.email && (await tx.user.findUnique({ where: { email } }))) throw emailTaken(email);
        const row = await tx.user.update({ where: { id: before.id }, data });
        await recordAudit(tx, { actor, action: 'update', objectType: 'user', objectId: row.id, before, after: row });
        return row;
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? emailTaken(String(changes.user_email)) : err;
      });
    await this.changes.publishChange('user');
    return userApi(updated);
  }

  /**
   * Deletes users with their team and organization memberships (and those memberships' own budgets) and their
   * personal keys (keys without a team), as LiteLLM does. Their team keys stay with the team, no longer tied to
   * the deleted user.
   */
  async delete(ids: string[], actor: string): Promise<{ deleted_users: string[]; deleted_keys: number }> {
    const userIds = [...new Set(ids)];
    let deletedKeys = 0;
    await this.db.$transaction(async (tx) => {
      const users = await tx.user.findMany({ where: { id: { in: userIds } } });
      const found = new Set(users.map((u) => u.id));
      const missing = userIds.filter((id) => !found.has(id));
      if (missing.length > 0) throw userNotFound(missing, 'user_ids');
      for (const user of users) deletedKeys += await this.deleteOne(tx, user, actor);
    });
    await this.changes.publishChange('user');
    return { deleted_users: userIds, deleted_keys: deletedKeys };
  }

  private async deleteOne(tx: Tx, user: UserRow, actor: string): Promise<number> {
    const [teamMemberships, orgMemberships, keys] = await Promise.all([
      tx.teamMember.findMany({ where: { userId: user.id } }),
      tx.organizationMember.findMany({ where: { userId: user.id } }),
      tx.virtualKey.findMany({ where: { userId: user.id } }),
    ]);
    await tx.teamMember.deleteMany({ where: { userId: user.id } });
    await tx.organizationMember.deleteMany({ where: { userId: user.id } });
    // Budgets made for these memberships (max_budget_in_team / _in_organization) go with them, shared ones stay.
    for (const membership of [...teamMemberships, ...orgMemberships]) await deleteBudgetIfUnused(tx, membership.budgetId);
    const personal = keys.filter((k) => k.teamId === null);
    await tx.virtualKey.deleteMany({ where: { userId: user.id, teamId: null } });
    await tx.virtualKey.updateMany({ where: { userId: user.id, teamId: { not: null } }, data: { userId: null, updatedBy: actor } });
    for (const key of personal) await recordAudit(tx, { actor, action: 'delete', objectType: 'key', objectId: key.tokenHash, before: keyAuditValue(key) });
    for (const key of keys.filter((k) => k.teamId !== null)) {
      const before = keyAuditValue(key);
      await recordAudit(tx, { actor, action: 'update', objectType: 'key', objectId: key.tokenHash, before, after: { ...before, user_id: null } });
    }
    await tx.user.delete({ where: { id: user.id } });
    await recordAudit(tx, { actor, action: 'delete', objectType: 'user', objectId: user.id, before: { ...user, teamMemberships, orgMemberships } });
    return personal.length;
  }

  private async checkTeamsExist(tx: Tx, teamIds: string[]): Promise<void> {
    if (teamIds.length === 0) return;
    const found = new Set((await tx.team.findMany({ where: { id: { in: teamIds } }, select: { id: true } })).map((t) => t.id));
    const missing = teamIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw notFound(`Team${missing.length > 1 ? 's' : ''} ${missing.map((id) => `"${id}"`).join(', ')} do${missing.length > 1 ? '' : 'es'} not exist.`, 'teams', 'team_not_found');
    }
  }
}
