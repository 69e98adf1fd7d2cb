import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { BudgetResetRunner } from '@tollgate/tenancy';
import { BudgetResetProcessor } from './budget-reset.processor';
import { BUDGET_RESET_QUEUE, BUDGET_RESET_SETTINGS, type BudgetResetModuleOptions } from './budget-reset.queue';
import { BudgetResetScheduler } from './budget-reset.scheduler';

/** The repeatable budget-reset job: its schedule in Redis and, unless resets are off, its processor. */
@Module({})
export class BudgetResetModule {
  static register(options: BudgetResetModuleOptions): DynamicModule {
    return {
      module: BudgetResetModule,
      imports: [BullModule.registerQueue({ name: BUDGET_RESET_QUEUE })],
      providers: [
        { provide: BUDGET_RESET_SETTINGS, useValue: options.settings },
        { provide: BudgetResetRunner, useFactory: () => new BudgetResetRunner(options.db, options.kv, options.clock) },
        BudgetResetScheduler,
        ...(options.settings.enabled ? [BudgetResetProcessor] : []),
      ],
    };
  }
}
