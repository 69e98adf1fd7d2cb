import { EmbeddedPostgres } from './embedded/embedded-postgres';
import { DEFAULT_POOL_SIZE } from './prisma-client';

export interface DatabaseRuntime {
  /** An external PostgreSQL; when absent the embedded one runs in this process. */
  databaseUrl?: string;
  /** Local state folder; the embedded database lives in `<dataDir>/pgdata`. */
  dataDir: string;
  /** Pool size for an external database (the embedded one always gets its maximum, 1). */
  poolSize?: number;
  log?: (line: string) => void;
}

export interface ResolvedDatabase {
  url: string;
  /** The pool size every client of `url` in this process must respect (together, for embedded). */
  poolSize: number;
  embedded?: EmbeddedPostgres;
  /** Stops the embedded server if one was started; close Prisma clients first. */
  close(): Promise<void>;
}

/** The one place that decides between an external PostgreSQL and the embedded one. */
export async function resolveDatabase(runtime: DatabaseRuntime): Promise<ResolvedDatabase> {
  if (runtime.databaseUrl) {
    return { url: runtime.databaseUrl, poolSize: runtime.poolSize ?? DEFAULT_POOL_SIZE, close: async () => undefined };
  }
  const embedded = await EmbeddedPostgres.start({ dataDir: runtime.dataDir, log: runtime.log });
  return { url: embedded.url, poolSize: embedded.maxConnections, embedded, close: () => embedded.stop() };
}
