import { Logger } from '@nestjs/common';
import { GatewayError } from '@tollgate/common';
import type { PrismaClient } from '@tollgate/database';
import type { KeyValueStore } from '@tollgate/kv';
import type { Limits } from '@tollgate/auth';
import type { EndUserLimits } from '@tollgate/limits';
import { limitsOf } from '../identity-loader';
import { TENANCY_CHANGED_CHANNEL } from '../identity-cache';

/** Reloaded at least this often, in case a change message was missed (a Redis reconnect, say). */
const SAFETY_REFRESH_MS = 60_000;

/** The default budget of end users without their own: `litellm_settings.max_end_user_budget(_id)`. */
export interface DefaultEndUserBudget {
  maxBudget?: number;
  budgetId?: string;
}

type Row = Record<string, unknown>;

/**
 * What the request path needs to know about end users (the `user` of a request), held in memory so it is
 * checked without the database: who is blocked, and the limits and spend of those with a budget. Reloaded
 * whenever any replica publishes a tenancy change (the customer routes publish after every write), and on a
 * slow timer as a safety net. Only blocked end users and those with a budget are loaded, unless a default
 * end-user budget is configured, which applies to everyone and so needs everyone's spend.
 */
export class EndUserDirectory {
  private readonly logger = new Logger('EndUserDirectory');
  private blocked: ReadonlySet<string> = new Set();
  private limits: ReadonlyMap<string, Limits> = new Map();
  private defaultLimits: Limits | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Pick<PrismaClient, 'endUser' | 'budget'>,
    private readonly defaultBudget: DefaultEndUserBudget = {},
  ) {}

  /** Loads the directory, then follows changes published by any replica. */
  async start(kv: Pick<KeyValueStore, 'subscribe'>): Promise<void> {
    this.unsubscribe = await kv.subscribe(TENANCY_CHANGED_CHANNEL, () => void this.refresh());
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), SAFETY_REFRESH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unsubscribe?.();
    await this.running;
  }

  isBlocked(endUserId: string): boolean {
    return this.blocked.has(endUserId);
  }

  /** The end user's limits and spend (their budget, else the default end-user budget), if any apply. */
  limitsFor(endUserId: string): EndUserLimits | undefined {
    const limits = this.limits.get(endUserId) ?? this.defaultLimits;
    return limits ? { id: endUserId, limits } : undefined;
  }

  /**
   * Reloads from the database. Calls during a reload cause one more reload after it, so a change committed
   * while a query was in flight is never missed. A failed reload keeps the previous state.
   */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.reloadUntilSettled().finally(() => (this.running = undefined));
    return this.running;
  }

  private async reloadUntilSettled(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.reload();
      } catch (err) {
        this.logger.error(`could not reload end users: ${(err as Error).message}`);
      }
    } while (this.again);
  }

  private async reload(): Promise<void> {
    const { maxBudget, budgetId: defaultBudgetId } = this.defaultBudget;
    const hasDefault = maxBudget !== undefined || defaultBudgetId !== undefined;
    const rows = await this.db.endUser.findMany({
      where: hasDefault ? undefined : { OR: [{ blocked: true }, { budgetId: { not: null } }] },
      select: { id: true, blocked: true, spend: true, budgetId: true },
    });
    const budgetIds = new Set(rows.map((row) => row.budgetId).filter((id): id is string => id !== null));
    if (defaultBudgetId) budgetIds.add(defaultBudgetId);
    const budgets = budgetIds.size > 0 ? await this.db.budget.findMany({ where: { id: { in: [...budgetIds] } } }) : [];
    const budgetById = new Map(budgets.map((budget) => [budget.id, budget as unknown as Row]));
    const defaultRow: Row | undefined = defaultBudgetId ? budgetById.get(defaultBudgetId) : maxBudget !== undefined ? { maxBudget } : undefined;
    if (defaultBudgetId && !defaultRow) this.logger.warn(`litellm_settings.max_end_user_budget_id names budget "${defaultBudgetId}", which does not exist`);
    const limits = new Map<string, Limits>();
    for (const row of rows) {
      const budget = row.budgetId ? budgetById.get(row.budgetId) : defaultRow;
      if (budget) limits.set(row.id, limitsOf({ spend: row.spend }, budget));
    }
    this.blocked = new Set(rows.filter((row) => row.blocked).map((row) => row.id));
    this.limits = limits;
    this.defaultLimits = defaultRow ? limitsOf({ spend: 0 }, defaultRow) : undefined;
  }
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The end user a request is made for, in LiteLLM's order: the `x-litellm-customer-id` header, the
 * `x-litellm-end-user-id` header, the body's `user`, then `litellm_metadata.user` and `metadata.user_id`.
 */
export function endUserIdOf(headers: Headers, body: unknown): string | undefined {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const nested = (name: string, key: string) => {
    const value = fields[name];
    return value && typeof value === 'object' ? text((value as Record<string, unknown>)[key]) : undefined;
  };
  return (
    header(headers, 'x-litellm-customer-id') ??
    header(headers, 'x-litellm-end-user-id') ??
    text(fields.user) ??
    nested('litellm_metadata', 'user') ??
    nested('metadata', 'user_id')
  );
}

/** Refuses a request made for a blocked end user: 401 naming the customer, as LiteLLM refuses blocked users. */
export function checkEndUser(endUsers: Pick<EndUserDirectory, 'isBlocked'>, endUserId: string | undefined): void {
  if (endUserId === undefined || !endUsers.isBlocked(endUserId)) return;
  throw new GatewayError(401, 'authentication_error', `End user "${endUserId}" is blocked. Ask an administrator to unblock this customer.`, {
    param: 'user',
    code: 'end_user_blocked',
  });
}
