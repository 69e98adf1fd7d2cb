import { badRequest } from '@tollgate/common';
import type { Prisma, PrismaClient } from '@tollgate/database';
import { apiValue } from '../management/api-values';

export interface AuditQuery {
  object_type?: string;
  object_id?: string;
  actor?: string;
  action?: string;
  /** ISO 8601 time; rows at or after it. */
  start?: string;
  /** ISO 8601 time; rows at or before it. */
  end?: string;
  page?: number;
  page_size?: number;
}

export const AUDIT_DEFAULT_PAGE_SIZE = 50;
export const AUDIT_MAX_PAGE_SIZE = 200;

function instant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const at = new Date(value);
  // Date accepts odd forms such as "1"; require something that looks like an ISO date.
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
    throw badRequest(`"${field}" must be an ISO 8601 time such as "2026-01-31" or "2026-01-31T12:00:00Z"; got "${value}".`, field);
  }
  return at;
}

/** The audit log for `GET /audit`: newest first, filtered, one page at a time. */
export class AuditReader {
  constructor(private readonly db: PrismaClient) {}

  async list(query: AuditQuery): Promise<Record<string, unknown>> {
    const start = instant(query.start, 'start');
    const end = instant(query.end, 'end');
    if (start && end && start > end) throw badRequest(`"start" (${query.start}) is after "end" (${query.end}).`, 'start');
    const page = query.page ?? 1;
    const pageSize = Math.min(query.page_size ?? AUDIT_DEFAULT_PAGE_SIZE, AUDIT_MAX_PAGE_SIZE);
    const where: Prisma.AuditLogWhereInput = {
      objectType: query.object_type || undefined,
      objectId: query.object_id || undefined,
      actor: query.actor || undefined,
      action: query.action || undefined,
      at: start || end ? { gte: start, lte: end } : undefined,
    };
    const [total, rows] = await Promise.all([
      this.db.auditLog.count({ where }),
      this.db.auditLog.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip: (page - 1) * pageSize, take: pageSize }),
    ]);
    return {
      audit_logs: rows.map((row) => ({
        id: apiValue(row.id),
        at: apiValue(row.at),
        actor: row.actor,
        action: row.action,
        object_type: row.objectType,
        object_id: row.objectId,
        before_value: row.beforeValue ?? null,
        after_value: row.afterValue ?? null,
      })),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    };
  }
}
