import { Logger } from '@nestjs/common';
import type { CallerIdentity } from '@tollgate/auth';
import { clientClosed } from '@tollgate/common';
import { rateLimitError, type Admission, type BudgetGuard, type EndUserLimits, type HeldBudget, type RateLimiter, type WriteTogether } from '@tollgate/limits';
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
  chargesTogether: WriteTogether;
  identity: CallerIdentity;
  /** The model group the caller asked for (after aliases): the name per-model limits and budgets are keyed by. */
  model: string;
  endUser: EndUserLimits | undefined;
  /** Input tokens to reserve against TPM limits; only computed when a limit needs it. */
  estimateTokens: () => number;
  reply: FastifyReply;
  recorder: RequestLogRecorder;
}

/** True for the refusal a budget check throws (anything else it throws means its store is unreachable). */
function isBudgetRefusal(err: unknown): boolean {
  return (err as { type?: string } | undefined)?.type === 'budget_exceeded';
}

/**
 * Lets a request through its owners' budgets and rate limits, or throws: 429 `budget_exceeded` naming the
 * owner whose budget is spent, or 429 `rate_limit_error` naming the limit. Once admitted, the request's real
 * token count settles its TPM reservation, its parallel slot is freed and its cost is added to its owners'
 * live spend when it ends (the slot also whenever the reply closes: error, timeout, client disconnect).
 * When a store is unreachable the request goes through and the outage is logged: refusing all traffic because
 * Redis blinked would be worse.
 */
export async function admitCall(call: CallAdmission): Promise<void> {
  const { identity, endUser } = call;
  if (identity.isMaster && !endUser) return; // nothing limits the master key itself
  // Both questions at once: on the one Redis connection they travel together, one round trip instead of two.
  // The budget check only reads, so a rate-limit refusal has nothing to undo there.
  const [budgetOutcome, limitOutcome] = await Promise.allSettled([
    call.budgets.check({ identity, model: call.model, endUser }),
    call.limiter.admit({ identity, endUser, model: call.model, estimatedTokens: call.estimateTokens() }),
  ]);
  const admission: Admission | undefined = limitOutcome.status === 'fulfilled' && limitOutcome.value.admitted ? limitOutcome.value : undefined;
  let budget: HeldBudget | undefined;
  if (budgetOutcome.status === 'fulfilled') budget = budgetOutcome.value;
  else if (isBudgetRefusal(budgetOutcome.reason)) {
    // A refused request must not count against the caller's limits nor hold a parallel slot.
    void admission?.cancel();
    throw budgetOutcome.reason;
  } else logOutage('budgets', budgetOutcome.reason);
  if (limitOutcome.status === 'rejected') logOutage('limits', limitOutcome.reason);
  else if (!limitOutcome.value.admitted) throw rateLimitError(limitOutcome.value);

  if (admission) {
    // A caller who hung up while budgets or the limiter were deciding has closed the reply already, and 'close'
    // does not fire twice: free the slot now and stop, instead of holding it until its lease runs out.
    if (call.reply.raw.closed) {
      void admission.release();
      throw clientClosed();
    }
    call.reply.headers(admission.headers as Record<string, string>);
    call.reply.raw.once('close', () => void admission.release());
  }
  call.recorder.onFinish((usage, spend) =>
    // Both are issued synchronously; the answer waits until they have left (see batchedCharges).
    call.chargesTogether(() => {
      void admission?.finish(usage?.totalTokens ?? 0);
      void budget?.record(spend);
    }),
  );
}
