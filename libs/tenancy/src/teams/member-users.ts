import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '@tollgate/common';
import type { Prisma, User } from '@tollgate/database';
import { recordAudit } from '../management/audit-log';

export type Tx = Prisma.TransactionClient;

export interface UserRef {
  user_id?: string;
  user_email?: string;
}

const byEmail = (email: string) => ({ email: { equals: email, mode: 'insensitive' as const } });

/** The user a reference names, or undefined: by id when given, else by e-mail (case-insensitive). */
export async function findUser(tx: Tx, ref: UserRef): Promise<User | undefined> {
  if (ref.user_id) return (await tx.user.findUnique({ where: { id: ref.user_id } })) ?? undefined;
  if (ref.user_email) return (await tx.user.findFirst({ where: byEmail(ref.user_email) })) ?? undefined;
  return undefined;
}

/** Like findUser, but an unknown user is a 404 naming them. */
export async function requireUser(tx: Tx, ref: UserRef): Promise<User> {
  const user = await findUser(tx, ref);
  if (!user) throw notFound(`No user "${ref.user_id ?? ref.user_email}" exists.`, ref.user_id ? 'user_id' : 'user_email', 'user_not_found');
  return user;
}

/**
 * The user a member reference names, created when unknown (LiteLLM adds unknown members as new internal
 * users). The creation is audited in the caller's transaction.
 */
export async function findOrCreateUser(tx: Tx, ref: UserRef, options: { actor: string; roleForNew: string }): Promise<{ user: User; created: boolean }> {
  const existing = await findUser(tx, ref);
  if (existing) return { user: existing, created: false };
  if (ref.user_id && ref.user_email) {
    const owner = await tx.user.findFirst({ where: byEmail(ref.user_email) });
    if (owner) throw badRequest(`The e-mail "${ref.user_email}" already belongs to user "${owner.id}", not "${ref.user_id}".`, 'user_email');
  }
  const user = await tx.user.create({
    data: { id: ref.user_id ?? randomUUID(), email: ref.user_email ?? null, role: options.roleForNew, createdBy: options.actor, updatedBy: options.actor },
  });
  await recordAudit(tx, { actor: options.actor, action: 'create', objectType: 'user', objectId: user.id, after: user });
  return { user, created: true };
}

/** LiteLLM's user object, as returned in `updated_users`. */
export function userView(user: User): Record<string, unknown> {
  return {
    user_id: user.id,
    user_email: user.email,
    user_alias: user.alias,
    user_role: user.role,
    models: user.models,
    max_budget: user.maxBudget === null ? null : user.maxBudget.toNumber(),
    spend: user.spend.toNumber(),
    metadata: user.metadata,
    blocked: user.blocked,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
