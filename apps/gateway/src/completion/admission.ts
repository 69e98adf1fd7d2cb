import { Logger } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import { clientClosed } from '@tollgate/common';
import { rateLimitError, type Admission, type BudgetGuard, type EndUserLimits, type HeldBudget, type RateLimiter } from '@tollgate/limits';
import type { FastifyReply } from 'fastify';
import type { RequestLogRecorder } from './request-log-recorder';

const logger = new Logger('Admission');
const lastOutageLog = { budgets: 0, limits: 0 };

/** Logs that a store is unreachable at most once a minute: the request path must not flood the log. */
function logOutage(what: keyof typeof lastOutageLog, err: unknown): void {
  if (Date.now() - lastOutageLog[what] < 60_000) return;
  lastOutageLog[what] = Date.now();
  logger.error(`${what === 'budgets' ? 'budgets' : 'rate limits'} not enforced: the store is unreachable (${(err as Error).message})`);
}

export interface CallAdmission {
  limiter: RateLimiter;
  budgets: BudgetGuard;
  identity: CallerIdentity;
  /** The model group the caller asked for (after aliases): the name per-model limits and budgets are keyed by. */
  model: string;
  endUser: EndUserLimits | undefined;
  /** Input tokens to reserve against TPM limits; only computed when a limit needs it. */
  estimateTokens: () => number;
  reply: FastifyReply;
  recorder: RequestLogRecorder;
}

/**
 * Lets a request through its owners' budgets and rate limits, or throws: 429 `budget_exceeded` naming the
 * owner whose budget is spent, or 429 `rate_limit_error` naming the limit. Once admitted, the request's real
 * token count settles its TPM reservation and its cost is added to its owners' live spend when it ends, and
 * its parallel slot is released whenever the reply closes (success, error, timeout, client disconnect).
 * When a store is unreachable the request goes through and the outage is logged: refusing all traffic because
 * Redis blinked would be worse.
 */
export async function admitCall(call: CallAdmission): Promise<void> {
  const { identity, endUser } = call;
  if (identity.isMaster && !endUser) return; // nothing limits the master key itself
  let budget: HeldBudget | undefined;
  try {
    budget = await call.budgets.check({ identity, model: call.model, endUser });
  } catch (err) {
    if ((err as { type?: string }).type === 'budget_exceeded') throw err;
    logOutage('budgets', err);
  }
  let admission: Admission | undefined;
  try {
    const result = await call.limiter.admit({ identity, endUser, model: call.model, estimatedTokens: call.estimateTokens() });
    if (!result.admitted) throw rateLimitError(result);
    admission = result;
  } catch (err) {
    if ((err as { status?: number }).status === 429) throw err;
    logOutage('limits', err);
  }
  if (admission) {
    const held = admission;
    // A caller who hung up while budgets or the limiter were deciding has closed the reply already, and 'close'
    // does not fire twice: free the slot now and stop, instead of holding it until its lease runs out.
    if (call.reply.raw.closed) {
      void held.release();
      throw clientClosed();
    }
    call.reply.headers(held.headers as Record<string, string>);
    call.reply.raw.once('close', () => void held.release());
  }
  call.recorder.onFinish((usage, spend) => {
    void admission?.settle(usage?.totalTokens ?? 0);
    void budget?.record(spend);
  });
}
