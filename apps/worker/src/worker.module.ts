import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { REQUEST_LOG_QUEUE, RequestLogBatcher, RequestLogWriter } from '@tollgate/request-log';
import { RequestLogProcessor } from './request-log.processor';
import { BudgetResetModule } from './budget-reset.module';
import type { BudgetResetModuleOptions } from './budget-reset.queue';

export interface WorkerModuleOptions {
  redisUrl: string;
  /** BullMQ key prefix; must match the gateway's. */
  queuePrefix: string;
  writer: RequestLogWriter;
  batch?: { maxBatch: number; maxDelayMs: number };
  budgetReset: BudgetResetModuleOptions;
}

@Module({})
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        BullModule.forRoot({
          connection: { url: options.redisUrl, maxRetriesPerRequest: null },
          prefix: options.queuePrefix,
        }),
        BullModule.registerQueue({ name: REQUEST_LOG_QUEUE }),
        BudgetResetModule.register(options.budgetReset),
      ],
      providers: [
        {
          provide: RequestLogBatcher,
          useFactory: () =>
            new RequestLogBatcher((events) => options.writer.write(events), options.batch ?? { maxBatch: 500, maxDelayMs: 1000 }),
        },
        RequestLogProcessor,
      ],
    };
  }
}
