import { testRedisUrl, uniquePrefix } from '@tollgate/testing';
import IORedis from 'ioredis';
import { afterAll } from 'vitest';
import { budgetStoreContract } from './budget-store.contract';
import { RedisBudgetStore } from './redis-budget-store';

const clients: IORedis[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  const cleaner = new IORedis(testRedisUrl());
  for (const prefix of prefixes) {
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
  }
  await cleaner.quit();
  await Promise.all(clients.map((client) => client.quit()));
});

/** Two connections on one prefix stand for two gateway replicas sharing Redis. */
budgetStoreContract('redis', async () => {
  const prefix = uniquePrefix('budget-store');
  prefixes.push(prefix);
  const a = new IORedis(testRedisUrl());
  const b = new IORedis(testRedisUrl());
  clients.push(a, b);
  return { store: new RedisBudgetStore({ client: a, prefix }), peer: new RedisBudgetStore({ client: b, prefix }) };
});
