import type { BudgetGuard } from './budgets/budget-guard';
import type { WriteTogether } from './limit-writes';
import type { RateLimiter } from './rate-limiter';

/** What a gateway process admits and charges calls with: one of each, sharing one store (Redis or memory). */
export interface CallLimits {
  limiter: RateLimiter;
  budgets: BudgetGuard;
  /** Sends the end-of-request charges (settlement, budget addition) of the requests ending together in one write. */
  chargesTogether: WriteTogether;
}
