import { Logger } from '@nestjs/common';
import type { PrismaClient } from '@tollgate/database';
import type { KeyValueStore } from '@tollgate/kv';
import { TENANCY_CHANGED_CHANNEL } from '../identity-cache';
import { resetCounts, resetDueBudgets, resetTotal, RESET_ENTITIES, type ResetEntity, type ResetSummary } from './budget-reset';

const ENTITY_NAMES: Record<ResetEntity, string> = {
  keys: 'keys',
  users: 'users',
  teams: 'teams',
  budgets: 'budget rows',
  endUsers: 'end users',
  organizations: 'organizations',
  teamMembers: 'team memberships',
  organizationMembers: 'organization memberships',
};

/** One line naming how many of each kind a run reset, e.g. `3 keys, 1 budget rows, 40 end users`. */
export function describeReset(summary: ResetSummary): string {
  const counts = resetCounts(summary);
  return RESET_ENTITIES.filter((entity) => counts[entity] > 0)
    .map((entity) => `${counts[entity]} ${ENTITY_NAMES[entity]}`)
    .join(', ');
}

/**
 * One budget-reset run as the worker job and the embedded timer perform it: reset what is due, then tell
 * every gateway replica, whose cached identities still carry the old spend. Holds no state but the set of
 * unreadable durations already warned about, so a bad row is reported once per process, not every run.
 */
export class BudgetResetRunner {
  private readonly logger = new Logger('BudgetReset');
  private readonly warned = new Set<string>();

  constructor(
    private readonly db: Pick<PrismaClient, '$transaction'>,
    private readonly kv: Pick<KeyValueStore, 'publish'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async run(): Promise<ResetSummary> {
    const summary = await resetDueBudgets(this.db, this.clock());
    for (const row of summary.unreadable) {
      const id = `${row.table}/${row.id}`;
      if (this.warned.has(id)) continue;
      this.warned.add(id);
      this.logger.warn(`${row.table} row ${row.id} has budget_duration "${row.duration}", which is not a duration; its spend is not reset`);
    }
    if (resetTotal(summary) === 0) return summary;
    this.logger.log(`Budget periods renewed: ${describeReset(summary)}.`);
    try {
      await this.kv.publish(TENANCY_CHANGED_CHANNEL, 'budget-reset');
    } catch (err) {
      // The identities' own expiry picks the new spend up eventually; the reset itself is committed.
      this.logger.error(`budgets were reset but gateways could not be told: ${(err as Error).message}`);
    }
    return summary;
  }
}
