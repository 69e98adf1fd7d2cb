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
 * Shared counters for rate limits. `admit` must be atomic across every process using the same store:
 * it checks every limit of every scope and charges all of them only when all pass.
 *
 * Windows are fixed, 60 s by default, and anchored at the first request a scope makes after its previous
 * window ended (not at wall-clock minutes), so a burst that starts at any moment gets at most `rpm`
 * requests in its first window.
 */
export interface RateLimitStore {
  admit(command: AdmitCommand): Promise<AdmitOutcome>;
  /**
   * Corrects reservations by `delta` tokens once the real usage is known. If a window has ended since,
   * only the extra tokens (a positive delta) are charged, to the scope's current window.
   */
  adjustTokens(reservations: readonly TokenReservation[], delta: number, windowMs: number): Promise<void>;
  /** Frees the slot in each counter; freeing a slot that is already free does nothing. */
  releaseSlot(counters: readonly string[], slotId: string): Promise<void>;
}
