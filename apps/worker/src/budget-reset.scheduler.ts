import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { BudgetResetSettings } from '@tollgate/tenancy';
import type { Queue } from 'bullmq';
import { BUDGET_RESET_JOB, BUDGET_RESET_QUEUE, BUDGET_RESET_SETTINGS } from './budget-reset.queue';

/**
 * Keeps the repeatable budget-reset job in Redis in line with the config: every worker upserts the same
 * scheduler id at start (so there is one schedule however many workers run, the last started one's interval
 * winning), and `disable_reset_budget: true` removes it.
 */
@Injectable()
export class BudgetResetScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('BudgetReset');

  constructor(
    @InjectQueue(BUDGET_RESET_QUEUE) private readonly queue: Queue,
    @Inject(BUDGET_RESET_SETTINGS) private readonly settings: BudgetResetSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.enabled) {
      await this.queue.removeJobScheduler(BUDGET_RESET_JOB);
      this.logger.log('Budget resets are off (general_settings.disable_reset_budget).');
      return;
    }
    await this.queue.upsertJobScheduler(
      BUDGET_RESET_JOB,
      { every: this.settings.intervalMs },
      // A run that failed is simply followed by the next one; keep a few failures for inspection.
      { name: BUDGET_RESET_JOB, opts: { removeOnComplete: true, removeOnFail: 50 } },
    );
  }
}
