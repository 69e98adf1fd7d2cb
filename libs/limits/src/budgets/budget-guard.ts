import type { CallerIdentity } from '@tollgate/auth';
import { applicableBudgets, NANOS_PER_USD, type BudgetCounter } from './budget-counters';
import { budgetExceededError } from './budget-error';
import type { BudgetStore } from './budget-store';
import type { EndUserLimits } from '../limit-scopes';

/** Spend crossed a soft budget or reached a hard one: the alerting issue turns these into notifications. */
export interface BudgetAlert {
  threshold: 'soft_budget' | 'max_budget';
  scope: BudgetCounter['scope'];
  subject: string;
  /** USD, after the request that crossed the threshold. */
  spend: number;
  budget: number;
  /** When the period ends (ms), or undefined for a budget that never resets. */
  resetsAt?: number;
  model?: string;
}

export interface BudgetGuardOptions {
  store: BudgetStore;
  /** Called once per threshold crossing: only the addition that crosses it (on whichever replica) reports it. */
  onAlert?: (alert: BudgetAlert) => void;
  now?: () => number;
}

/** What an admitted request holds: how to add its cost to every budget owner once it is known. */
export interface HeldBudget {
  /** Adds the request's cost (USD decimal string) to its owners' live spend. Never rejects. */
  record(costUsd: string): Promise<void>;
}

const NOTHING_HELD: HeldBudget = Object.freeze({ record: async () => undefined });

export interface BudgetRequest {
  identity: CallerIdentity;
  model: string;
  endUser?: EndUserLimits;
}

/**
 * Enforces budgets from live spend: a request is refused once the spend already recorded for any of its
 * owners (key, team, team member, user, organization, end user, key-per-model) reaches that owner's budget.
 * The request that crosses a budget completes; its cost is added when it ends, so the next request, on any
 * replica sharing the store, is refused.
 */
export class BudgetGuard {
  private readonly now: () => number;

  constructor(private readonly options: BudgetGuardOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Throws `budget_exceeded` when a budget is exhausted; rejects with the store's error when it is unreachable. */
  async check(request: BudgetRequest): Promise<HeldBudget> {
    const now = this.now();
    const counters = applicableBudgets(request.identity, request.model, request.endUser, now);
    if (counters.length === 0) return NOTHING_HELD;
    const enforced = counters.filter((counter) => counter.maxBudget !== undefined);
    if (enforced.length > 0) {
      const values = await this.options.store.read(enforced);
      enforced.forEach((counter, index) => {
        const spend = values[index] / NANOS_PER_USD;
        if (spend >= (counter.maxBudget as number)) throw budgetExceededError(counter, spend, now);
      });
    }
    return { record: (costUsd) => this.record(request, costUsd) };
  }

  /**
   * Drops an owner's live spend so it is seeded again from the database: call it after an administrator sets
   * the stored spend (for example back to 0), once the change is committed.
   */
  forget(scope: BudgetCounter['scope'], id: string): Promise<void> {
    return this.options.store.forget(`${scope}:${id}`);
  }

  private async record(request: BudgetRequest, costUsd: string): Promise<void> {
    const nanos = Math.round(Number(costUsd) * NANOS_PER_USD);
    if (!(nanos > 0)) return;
    // The period is the one the cost lands in, which may have rolled over while the request ran.
    const counters = applicableBudgets(request.identity, request.model, request.endUser, this.now());
    let changes;
    try {
      changes = await this.options.store.add(counters, nanos);
    } catch {
      return; // the database totals still get the cost through the request log; live spend resyncs on reseed
    }
    changes.forEach((change, index) => this.alertOnCrossing(counters[index], change.before, change.after));
  }

  private alertOnCrossing(counter: BudgetCounter, before: number, after: number): void {
    const onAlert = this.options.onAlert;
    if (!onAlert) return;
    for (const threshold of ['soft_budget', 'max_budget'] as const) {
      const budget = threshold === 'soft_budget' ? counter.softBudget : counter.maxBudget;
      if (budget === undefined) continue;
      const limit = budget * NANOS_PER_USD;
      if (before < limit && after >= limit) {
        onAlert({
          threshold,
          scope: counter.scope,
          subject: counter.subject,
          spend: after / NANOS_PER_USD,
          budget,
          resetsAt: counter.period > 0 ? counter.period : undefined,
          model: counter.model,
        });
      }
    }
  }
}
