import { Logger } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import { applicableChecks, type EndUserLimits, type RateLimitScope, type ScopedCheck } from './limit-scopes';
import type { CounterUsage, LimitKind, RateLimitStore, SettleCommand, TokenReservation } from './rate-limit-store';
import { rateLimitHeaders, type RateLimitHeaders } from './rate-limit-headers';
import { slotIdSource } from './slot-ids';

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
  /** `settle` and `release` together, in one store call, for a request that has ended. Never rejects. */
  finish(actualTokens: number): Promise<void>;
  /**
   * Takes the admission back as if it never happened (its request and tokens uncounted, its slots freed), for
   * a request refused by another check after the limiter admitted it. Call it instead of settling. Never rejects.
   */
  cancel(): Promise<void>;
}

export type AdmissionResult = Admission | RateLimitRefusal;

const UNLIMITED: Admission = Object.freeze({
  admitted: true as const,
  headers: Object.freeze({}),
  settle: async () => undefined,
  release: async () => undefined,
  finish: async () => undefined,
  cancel: async () => undefined,
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
  private readonly nextSlotId = slotIdSource();

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
    const slotId = this.nextSlotId();
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

  private admission(checks: readonly ScopedCheck[], usage: CounterUsage[], reserved: number, slotId: string): Admission {
    /** Every window the admission counted the request in; the TPM ones are those a settlement corrects. */
    const windows: TokenReservation[] = [];
    const tpmWindows: TokenReservation[] = [];
    checks.forEach((check, index) => {
      const { windowStart } = usage[index];
      if (windowStart === undefined) return;
      windows.push({ counter: check.counter, windowStart });
      if (check.tpm !== undefined) tpmWindows.push({ counter: check.counter, windowStart });
    });
    const slotCounters = checks.filter((check) => check.parallel !== undefined).map((check) => check.counter);
    let settled = false;
    let released = false;
    /** The token correction still to apply (0 when none, or when settled already). */
    const tokenDelta = (actualTokens: number): number => {
      if (settled) return 0;
      settled = true;
      return tpmWindows.length > 0 ? wholeTokens(actualTokens) - reserved : 0;
    };
    const slotsToFree = (): string[] => {
      if (released) return [];
      released = true;
      return slotCounters;
    };
    const send = (command: Omit<SettleCommand, 'windowMs' | 'slotId'>): Promise<void> =>
      this.store.settle({
        reservations: command.reservations,
        tokenDelta: command.tokenDelta,
        requestDelta: command.requestDelta,
        slotCounters: command.slotCounters,
        windowMs: this.windowMs,
        slotId,
      });
    const quietly = (work: Promise<void>, what: string): Promise<void> =>
      work.catch((error: unknown) => {
        this.logger.warn(`Could not ${what} (slots free themselves within ${this.slotLeaseMs} ms): ${String(error)}`);
      });
    return {
      admitted: true,
      headers: rateLimitHeaders(checks, usage),
      settle: async (actualTokens) => {
        const delta = tokenDelta(actualTokens);
        if (delta !== 0) await send({ reservations: tpmWindows, tokenDelta: delta, requestDelta: 0, slotCounters: [] });
      },
      release: async () => {
        const counters = slotsToFree();
        if (counters.length > 0) await quietly(send({ reservations: [], tokenDelta: 0, requestDelta: 0, slotCounters: counters }), 'free a parallel-request slot');
      },
      finish: async (actualTokens) => {
        const delta = tokenDelta(actualTokens);
        const counters = slotsToFree();
        if (delta === 0 && counters.length === 0) return;
        await quietly(send({ reservations: delta !== 0 ? tpmWindows : [], tokenDelta: delta, requestDelta: 0, slotCounters: counters }), 'settle a request');
      },
      cancel: async () => {
        settled = true;
        const counters = slotsToFree();
        if (windows.length === 0 && counters.length === 0) return;
        await quietly(send({ reservations: windows, tokenDelta: -reserved, requestDelta: -1, slotCounters: counters }), 'take back an admission');
      },
    };
  }
}

function wholeTokens(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? Math.ceil(tokens) : 0;
}
