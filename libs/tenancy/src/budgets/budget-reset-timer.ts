import { Logger } from '@nestjs/common';
import type { PrismaClient } from '@tollgate/database';
import type { KeyValueStore } from '@tollgate/kv';
import { BudgetResetRunner } from './budget-reset-run';

export interface BudgetResetTimer {
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Budget resets without a worker (embedded mode: no Redis queue, the gateway writes its own logs): a run
 * every `intervalMs`, each one scheduled after the previous finished so runs never overlap. A failed run is
 * logged and the next one tries again.
 */
export function startBudgetResetTimer(
  db: Pick<PrismaClient, '$transaction'>,
  kv: Pick<KeyValueStore, 'publish'>,
  intervalMs: number,
  clock?: () => Date,
): BudgetResetTimer {
  const logger = new Logger('BudgetReset');
  const runner = new BudgetResetRunner(db, kv, clock);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runner.run().then(
        () => undefined,
        (err: unknown) => logger.error(`budget reset failed: ${(err as Error).message}`),
      );
      void running.finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    // Never the reason a process stays alive.
    timer.unref();
  };
  schedule();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
