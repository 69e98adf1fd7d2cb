import { Logger } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import { rateLimitError, type Admission, type RateLimiter } from '@tollgate/limits';
import type { FastifyReply } from 'fastify';

const logger = new Logger('RateLimit');
let lastOutageLog = 0;

/** What a request holds after admission: headers are set, the parallel slot is freed when the reply closes. */
export interface HeldAdmission {
  /** Charges the real token count against the TPM reservation (0 hands the reservation back). */
  settle(actualTokens: number): void;
}

const FREE: HeldAdmission = { settle: () => undefined };

/**
 * Admits a request against every rate limit that applies to its caller (key, user, team, per-model), or
 * throws a 429 naming the limit. The parallel slot is released whenever the reply closes: success, error,
 * timeout and client disconnect alike. When the limit store is unreachable the request goes through and the
 * outage is logged (once a minute): refusing all traffic because Redis blinked would be worse.
 */
export async function admitRequest(
  limiter: RateLimiter,
  identity: CallerIdentity,
  model: string,
  estimatedTokens: number,
  reply: FastifyReply,
): Promise<HeldAdmission> {
  let admission: Admission | Awaited<ReturnType<RateLimiter['admit']>>;
  try {
    admission = await limiter.admit({ identity, model, estimatedTokens });
  } catch (err) {
    if (Date.now() - lastOutageLog > 60_000) {
      lastOutageLog = Date.now();
      logger.error(`rate limits not enforced: the limit store is unreachable (${(err as Error).message})`);
    }
    return FREE;
  }
  if (!admission.admitted) throw rateLimitError(admission);
  const held = admission;
  reply.headers(held.headers as Record<string, string>);
  reply.raw.once('close', () => void held.release());
  return { settle: (actual) => void held.settle(actual) };
}
