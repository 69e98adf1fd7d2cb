import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

/** Connections per process when talking to an external PostgreSQL and nothing else is configured. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * Prisma's driver adapter over a pg pool of `poolSize` connections. Everything that opens a pool goes
 * through here so the embedded server's one-connection limit is honoured by passing poolSize 1.
 */
export function createPgAdapter(databaseUrl: string, poolSize: number = DEFAULT_POOL_SIZE): PrismaPg {
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new Error(`Database pool size must be a positive integer, got ${poolSize}`);
  }
  return new PrismaPg({
    connectionString: databaseUrl,
    max: poolSize,
    // Bounds both opening a connection and waiting for a free one, so an unreachable or saturated
    // database surfaces as an error instead of requests hanging forever.
    connectionTimeoutMillis: 30_000,
    application_name: 'tollgate',
  });
}

/** A Prisma client outside Nest (scripts, tests). The caller owns it and must `$disconnect()`. */
export function createPrismaClient(databaseUrl: string, poolSize: number = DEFAULT_POOL_SIZE): PrismaClient {
  return new PrismaClient({ adapter: createPgAdapter(databaseUrl, poolSize) });
}
