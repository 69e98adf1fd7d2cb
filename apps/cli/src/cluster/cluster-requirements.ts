import type { RuntimeSettings } from '@tollgate/config';

/**
 * Why `count` gateway processes cannot run with these settings, as one line, or undefined when they can.
 * Each process keeps its own memory, so everything the processes must agree on has to live outside them:
 * counters, cooldowns and queues in Redis, and the database in an external PostgreSQL (the embedded one
 * belongs to a single process).
 */
export function clusterRequirementProblem(count: number, runtime: Pick<RuntimeSettings, 'redisUrl' | 'databaseUrl'>): string | undefined {
  const missing: string[] = [];
  if (!runtime.redisUrl) {
    missing.push('Redis (REDIS_URL, or router_settings.redis_url / redis_host) to share rate limits, budgets, cooldowns and queues');
  }
  if (!runtime.databaseUrl) {
    missing.push('an external PostgreSQL (DATABASE_URL, or general_settings.database_url) instead of the per-process embedded database');
  }
  if (missing.length === 0) return undefined;
  return `--num_workers ${count} needs ${missing.join(' and ')}; set ${missing.length > 1 ? 'them' : 'it'}, or run a single process (--num_workers 1)`;
}
