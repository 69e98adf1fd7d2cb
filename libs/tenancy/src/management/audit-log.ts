import type { PrismaClient } from '@tollgate/database';

/** Fields never written to the audit log (hashes of keys count as secrets here: they identify a live key). */
const SECRET_FIELDS = new Set(['token', 'tokenHash', 'key', 'password', 'api_key']);

export interface AuditEntry {
  /** Who made the change: `litellm-changed-by` when sent, else the caller (`master`, a user id, or a key name). */
  actor: string;
  action: 'create' | 'update' | 'delete' | 'block' | 'unblock' | 'regenerate' | 'member_add' | 'member_update' | 'member_delete';
  objectType: 'key' | 'team' | 'user' | 'organization' | 'end_user' | 'budget';
  objectId: string;
  before?: unknown;
  after?: unknown;
}

/** JSON-safe copy without secrets: BigInt and Decimal become numbers, dates ISO strings. */
export function auditSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(auditSafe);
  if (typeof value === 'object') {
    if (typeof (value as { toNumber?: unknown }).toNumber === 'function' && 'd' in (value as object)) return (value as { toNumber(): number }).toNumber();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (!SECRET_FIELDS.has(k)) out[k] = auditSafe(v);
    return out;
  }
  return value;
}

/** Records one management change. Written in the same transaction as the change when `db` is one. */
export async function recordAudit(db: Pick<PrismaClient, 'auditLog'>, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      beforeValue: (auditSafe(entry.before) ?? undefined) as never,
      afterValue: (auditSafe(entry.after) ?? undefined) as never,
    },
  });
}
