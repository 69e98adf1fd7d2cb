import { RedisScriptBatch } from '@tollgate/kv';
import type Redis from 'ioredis';
import { BUDGET_SCRIPT } from './budgets/budget-script';
import type { WriteTogether } from './limit-writes';
import { ADMIT_SCRIPT, SETTLE_SCRIPT, SYNC_SCRIPT } from './rate-limit-scripts';

/** Every script rate limits and live spend run; a new one is added here and run through limitScriptBatch. */
export const LIMIT_SCRIPTS = [
  { name: 'rateLimitAdmit', lua: ADMIT_SCRIPT },
  { name: 'rateLimitSettle', lua: SETTLE_SCRIPT },
  { name: 'budgetCounters', lua: BUDGET_SCRIPT },
  { name: 'rateLimitSync', lua: SYNC_SCRIPT },
] as const;

export type LimitScriptName = (typeof LIMIT_SCRIPTS)[number]['name'];

const batches = new WeakMap<Redis, RedisScriptBatch>();

/**
 * The one batch of limit scripts of a connection: the budget store and the rate-limit store share it, so a
 * request's budget check and admission, and the charges of every request ending in the same turn, travel as
 * one script call.
 */
export function limitScriptBatch(client: Redis): RedisScriptBatch {
  let batch = batches.get(client);
  if (!batch) {
    batch = new RedisScriptBatch(client, LIMIT_SCRIPTS, 'tollgateLimits');
    batches.set(client, batch);
  }
  return batch;
}

/**
 * The charges of the requests that end in one turn leave with that turn's batch; each answer waits until the
 * batch has been written (see WriteTogether), so the next request, on any replica, is checked against them.
 */
export function batchedCharges(client: Redis): WriteTogether {
  const batch = limitScriptBatch(client);
  return (send) => {
    send();
    return batch.whenWritten();
  };
}
