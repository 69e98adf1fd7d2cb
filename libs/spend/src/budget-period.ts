/** A parsed LiteLLM duration string (`30s`, `30m`, `24h`, `1hr`, `7d`, `2w`, `1mo`, `1y`). */
export interface BudgetDuration {
  amount: number;
  unit: 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'y';
}

const UNIT_MS: Record<'s' | 'm' | 'h' | 'd' | 'w', number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** The duration a string names, or undefined when it is not one (`1hr` is LiteLLM's spelling of `1h`). */
export function parseBudgetDuration(value: string): BudgetDuration | undefined {
  const match = /^(\d+)\s*(s|m|h|hr|d|w|mo|y)$/.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (!Number.isSafeInteger(amount) || amount <= 0) return undefined;
  const unit = (match[2] === 'hr' ? 'h' : match[2]) as BudgetDuration['unit'];
  return { amount, unit };
}

/**
 * `from` moved forward by `times` durations. Months and years follow the UTC calendar, keeping the day of
 * the month where the target month has it and using its last day otherwise (Jan 31 + 1mo = Feb 28/29).
 */
export function addBudgetDuration(from: number, duration: BudgetDuration, times = 1): number {
  if (duration.unit !== 'mo' && duration.unit !== 'y') return from + times * duration.amount * UNIT_MS[duration.unit];
  const start = new Date(from);
  const months = start.getUTCMonth() + times * duration.amount * (duration.unit === 'y' ? 12 : 1);
  const year = start.getUTCFullYear() + Math.floor(months / 12);
  const month = months % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(from);
  end.setUTCFullYear(year, month, Math.min(start.getUTCDate(), lastDay));
  return end.getTime();
}

/**
 * When the budget period containing `now` ends, for a budget whose stored reset time is `resetAt` and that
 * renews every `duration`: `resetAt` itself while it is in the future, else `resetAt` stepped forward by whole
 * durations until it is. The gateway (naming its live spend counters) and the worker's reset job (writing the
 * next `budget_reset_at`) both use this, so they agree on period boundaries however late the job runs.
 */
export function currentPeriodEnd(resetAt: number, duration: BudgetDuration | undefined, now: number): number {
  if (resetAt > now || !duration) return resetAt;
  if (duration.unit !== 'mo' && duration.unit !== 'y') {
    const step = duration.amount * UNIT_MS[duration.unit];
    return resetAt + (Math.floor((now - resetAt) / step) + 1) * step;
  }
  // Calendar steps vary in length; a budget is rarely more than a few periods behind, so walk (always from
  // the anchor, so a month-end anchor is not dragged to the 28th for good).
  let times = 1;
  while (addBudgetDuration(resetAt, duration, times) <= now) times++;
  return addBudgetDuration(resetAt, duration, times);
}
