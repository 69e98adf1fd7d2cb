/** Which of a scope's limits refused a request. */
export type LimitKind = 'rpm' | 'tpm' | 'parallel';

/**
 * The counters of one scope (a key, a team, a key on one model, ...) that an admission checks and charges.
 * A limit left undefined is not checked, and its counter is not touched.
 */
export interface CounterCheck {
  /** Names the scope's counters, for example `team:team-1`; each store adds its own prefix. */
  counter: string;
  rpm?: number;
  tpm?: number;
  parallel?: number;
}

export interface AdmitCommand {
  checks: readonly CounterCheck[];
  /** Tokens reserved in every scope with a TPM limit. */
  tokens: number;
  windowMs: number;
  /** Identifies this request's parallel slot, so it can be released exactly once. */
  slotId: string;
  /** A slot never released (its replica died) frees itself after this long. */
  slotLeaseMs: number;
}

/** A scope's window after the admission charged it; `windowStart` undefined when it has no rpm/tpm limit. */
export interface CounterUsage {
  windowStart?: number;
  requests: number;
  tokens: number;
  resetInMs: number;
}

export type AdmitOutcome =
  | { admitted: true; usage: CounterUsage[] }
  | { admitted: false; checkIndex: number; limit: LimitKind; retryAfterMs: number };

/** Where the tokens of an earlier reservation were counted. */
export interface TokenReservation {
  counter: string;
  windowStart: number;
}

/**
 * What an admission gives back, in one store call: a token correction, the request itself when another check
 * refused it after all, and its parallel slots.
 */
export interface SettleCommand {
  /**
   * Corrects these reservations by `tokenDelta` tokens. If a window has ended since, only extra tokens (a
   * positive delta) are charged, to the scope's current window.
   */
  reservations: readonly TokenReservation[];
  tokenDelta: number;
  /** -1 takes back the request the admission counted in each reservation's window (if still open); else 0. */
  requestDelta: 0 | -1;
  windowMs: number;
  /** Frees `slotId` in each of these counters; freeing a slot that is already free does nothing. */
  slotCounters: readonly string[];
  slotId: string;
}

/**
 * Shared counters for rate limits. `admit` must be atomic across every process using the same store:
 * it checks every limit of every scope and charges all of them only when all pass.
 *
 * Windows are fixed, 60 s by default, and anchored at the first request a scope makes after its previous
 * window ended (not at wall-clock minutes), so a burst that starts at any moment gets at most `rpm`
 * requests in its first window.
 */
export interface RateLimitStore {
  admit(command: AdmitCommand): Promise<AdmitOutcome>;
  /** Applies a settlement (see `SettleCommand`): one round trip however many scopes it touches. */
  settle(command: SettleCommand): Promise<void>;
}
