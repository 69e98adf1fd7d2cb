import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import { applicableChecks, type EndUserLimits, type RateLimitScope, type ScopedCheck } from './limit-scopes';
import type { CounterUsage, LimitKind, RateLimitStore, TokenReservation } from './rate-limit-store';
import { rateLimitHeaders, type RateLimitHeaders } from './rate-limit-headers';

export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/** Longer than any request the gateway lets run, so only the slots of a dead replica expire this way. */
export const DEFAULT_SLOT_LEASE_MS = 15 * 60_000;

export interface RateLimiterOptions {
  store: RateLimitStore;
  /** Length of the rpm/tpm window. Default 60 s; tests shorten it. */
  windowMs?: number;
  /** A parallel slot its holder never released is freed after this long. Default 15 min. */
  slotLeaseMs?: number;
}

export interface AdmissionRequest {
  identity: CallerIdentity;
  endUser?: EndUserLimits;
  /** The model name the caller asked for (the one `model_rpm_limit` / `model_tpm_limit` are keyed by). */
  model: string;
  /** Input tokens to reserve against TPM limits until `settle` reports the real usage. */
  estimatedTokens: number;
}

export interface RateLimitRefusal {
  admitted: false;
  scope: RateLimitScope;
  /** The scope's owner as shown to the caller: key alias or masked key, user, team or end-user id. */
  subject: string;
  /** Set for `key_model`. */
  model?: string;
  limit: LimitKind;
  limitValue: number;
  retryAfterSeconds: number;
}

export interface Admission {
  admitted: true;
  /** OpenAI-style headers from the tightest scope; empty when nothing limits the request. */
  headers: RateLimitHeaders;
  /** Replaces the token reservation with the real total; only the first call counts. */
  settle(actualTokens: number): Promise<void>;
  /**
   * Frees the parallel slots. Call it once the response is finished, failed, timed out or abandoned; later
   * calls do nothing. Never rejects (a store failure is logged; the slot's lease frees it eventually), so
   * it may be called without awaiting.
   */
  release(): Promise<void>;
}

export type AdmissionResult = Admission | RateLimitRefusal;

const UNLIMITED: Admission = Object.freeze({
  admitted: true as const,
  headers: Object.freeze({}),
  settle: async () => undefined,
  release: async () => undefined,
});

/**
 * Enforces rpm, tpm and parallel-request limits of key, user, team, end user and key-per-model in one
 * atomic store call per request: either every scope is charged or none is.
 */
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly store: RateLimitStore;
  private readonly windowMs: number;
  private readonly slotLeaseMs: number;

  constructor(options: RateLimiterOptions) {
    this.store = options.store;
    this.windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
    this.slotLeaseMs = options.slotLeaseMs ?? DEFAULT_SLOT_LEASE_MS;
  }

  /** Rejects only when the store is unreachable; the caller decides whether that fails open or closed. */
  async admit(request: AdmissionRequest): Promise<AdmissionResult> {
    const checks = applicableChecks(request.identity, request.model, request.endUser);
    if (checks.length === 0) return UNLIMITED;
    const tokens = wholeTokens(request.estimatedTokens);
    const slotId = randomUUID();
    const outcome = await this.store.admit({ checks, tokens, windowMs: this.windowMs, slotId, slotLeaseMs: this.slotLeaseMs });
    if (!outcome.admitted) {
      const check = checks[outcome.checkIndex];
      return {
        admitted: false,
        scope: check.scope,
        subject: check.subject,
        model: check.model,
        limit: outcome.limit,
        limitValue: check[outcome.limit] as number,
        retryAfterSeconds: Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)),
      };
    }
    return this.admission(checks, outcome.usage, tokens, slotId);
  }

  private admission(checks: ScopedCheck[], usage: CounterUsage[], reserved: number, slotId: string): Admission {
    const reservations: TokenReservation[] = [];
    checks.forEach((check, index) => {
      const { windowStart } = usage[index];
      if (check.tpm !== undefined && windowStart !== undefined) reservations.push({ counter: check.counter, windowStart });
    });
    const slotCounters = checks.filter((check) => check.parallel !== undefined).map((check) => check.counter);
    let settled = false;
    let released = false;
    return {
      admitted: true,
      headers: rateLimitHeaders(checks, usage),
      settle: async (actualTokens) => {
        if (settled) return;
        settled = true;
        const delta = wholeTokens(actualTokens) - reserved;
        if (reservations.length > 0 && delta !== 0) await this.store.adjustTokens(reservations, delta, this.windowMs);
      },
      release: async () => {
        if (released || slotCounters.length === 0) return;
        released = true;
        await this.store.releaseSlot(slotCounters, slotId).catch((error: unknown) => {
          this.logger.warn(`Could not free a parallel-request slot (it frees itself within ${this.slotLeaseMs} ms): ${String(error)}`);
        });
      },
    };
  }
}

function wholeTokens(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? Math.ceil(tokens) : 0;
}
