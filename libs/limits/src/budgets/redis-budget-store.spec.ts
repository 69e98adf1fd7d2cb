import { redisTestScope } from '@tollgate/testing';
import { afterAll } from 'vitest';
import { budgetStoreContract } from './budget-store.contract';
import { RedisBudgetStore } from './redis-budget-store';

const redis = redisTestScope('budget-store');
let stores = 0;

afterAll(() => redis.cleanup());

/** Two connections on one prefix stand for two gateway replicas sharing Redis. */
budgetStoreContract('redis', async () => {
  const prefix = `${redis.prefix}${stores++}:`;
  const [a, b] = [redis.connect(), redis.connect()];
  return { store: new RedisBudgetStore({ client: a, prefix }), peer: new RedisBudgetStore({ client: b, prefix }) };
});
