import type { PrismaClient } from '@tollgate/database';
import type { KeyValueStore } from '@tollgate/kv';
import type { BudgetResetSettings } from '@tollgate/tenancy';

/** The BullMQ queue holding budget-reset runs (one job at a time, made by the job scheduler). */
export const BUDGET_RESET_QUEUE = 'tollgate-budget-reset';
/** The job scheduler's id and its jobs' name. */
export const BUDGET_RESET_JOB = 'budget-reset';

export interface BudgetResetModuleOptions {
  db: Pick<PrismaClient, '$transaction'>;
  /** Where the gateways listen for tenancy changes (same prefix as theirs). */
  kv: Pick<KeyValueStore, 'publish'>;
  settings: BudgetResetSettings;
  /** The time a run sees; tests move it forward instead of waiting for a period to end. */
  clock?: () => Date;
}

export const BUDGET_RESET_SETTINGS = Symbol('BUDGET_RESET_SETTINGS');
