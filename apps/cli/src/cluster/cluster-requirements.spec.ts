import { describe, expect, it } from 'vitest';
import { clusterRequirementProblem } from './cluster-requirements';

describe('clusterRequirementProblem', () => {
  it('accepts Redis plus an external database', () => {
    expect(clusterRequirementProblem(2, { redisUrl: 'redis://r:6379', databaseUrl: 'postgresql://db/x' })).toBeUndefined();
  });

  it('names exactly what is missing, on one line', () => {
    const noRedis = clusterRequirementProblem(2, { databaseUrl: 'postgresql://db/x' }) as string;
    expect(noRedis).toMatch(/^--num_workers 2 needs Redis \(REDIS_URL.*; set it, or run a single process/);
    expect(noRedis).not.toMatch(/PostgreSQL/);
    const neither = clusterRequirementProblem(3, {}) as string;
    expect(neither).toMatch(/needs Redis .* and an external PostgreSQL \(DATABASE_URL, or general_settings\.database_url\).*; set them/);
    expect(neither).not.toContain('\n');
  });
});
