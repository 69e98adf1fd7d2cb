export interface DatabaseHealth {
  ok: boolean;
  latencyMs: number;
  /** Why the check failed; a driver message, never the connection URL. */
  error?: string;
}

/** The one method the check needs, so it accepts a PrismaClient, a PrismaService or a transaction client. */
export interface RawQueryable {
  $queryRawUnsafe(query: string): Promise<unknown>;
}

/**
 * Readiness probe: `SELECT 1` must answer within `timeoutMs`. Never throws, so health endpoints can
 * report the result as it is.
 */
export async function checkDatabase(prisma: RawQueryable, timeoutMs = 2_000): Promise<DatabaseHealth> {
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([prisma.$queryRawUnsafe('SELECT 1'), timeout]);
    return { ok: true, latencyMs: Date.now() - startedAt };
  } catch (error) {
    return { ok: false, latencyMs: Date.now() - startedAt, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
