import { Logger } from '@nestjs/common';
import { GatewayError } from '@tollgate/common';
import type { PrismaClient } from '@tollgate/database';
import type { KeyValueStore } from '@tollgate/kv';
import { TENANCY_CHANGED_CHANNEL } from '../identity-cache';

/** Reloaded at least this often, in case a change message was missed (a Redis reconnect, say). */
const SAFETY_REFRESH_MS = 60_000;

/**
 * The ids of blocked end users, held in memory so the request path checks a request's `user` without the
 * database. Reloaded whenever any replica publishes a tenancy change (the customer routes publish after every
 * write), and on a slow timer as a safety net. Blocked customers are few, so the whole set is kept.
 */
export class BlockedEndUsers {
  private readonly logger = new Logger('BlockedEndUsers');
  private ids: ReadonlySet<string> = new Set();
  private unsubscribe: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly db: Pick<PrismaClient, 'endUser'>) {}

  /** Loads the set, then follows changes published by any replica. */
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
    return this.ids.has(endUserId);
  }

  /**
   * Reloads the set from the database. Calls during a reload cause one more reload after it, so a change
   * committed while a query was in flight is never missed. A failed reload keeps the previous set.
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
        const rows = await this.db.endUser.findMany({ where: { blocked: true }, select: { id: true } });
        this.ids = new Set(rows.map((row) => row.id));
      } catch (err) {
        this.logger.error(`could not reload blocked end users: ${(err as Error).message}`);
      }
    } while (this.again);
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
export function checkEndUser(endUsers: BlockedEndUsers, endUserId: string | undefined): void {
  if (endUserId === undefined || !endUsers.isBlocked(endUserId)) return;
  throw new GatewayError(401, 'authentication_error', `End user "${endUserId}" is blocked. Ask an administrator to unblock this customer.`, {
    param: 'user',
    code: 'end_user_blocked',
  });
}
