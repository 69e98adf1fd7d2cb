import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { BudgetResetRunner, resetCounts, type ResetEntity } from '@tollgate/tenancy';
import { BUDGET_RESET_QUEUE } from './budget-reset.queue';

/**
 * Runs the scheduled budget resets. One at a time per worker; several workers are safe too, as a run that
 * finds another in progress does nothing (see resetDueBudgets).
 */
@Processor(BUDGET_RESET_QUEUE, { concurrency: 1 })
export class BudgetResetProcessor extends WorkerHost {
  constructor(@Inject(BudgetResetRunner) private readonly runner: BudgetResetRunner) {
    super();
  }

  /** The counts become the job's result, visible in BullMQ tooling while the job is kept. */
  async process(): Promise<Record<ResetEntity, number>> {
    return resetCounts(await this.runner.run());
  }
}
