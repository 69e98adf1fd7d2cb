import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { checkDatabase, DatabaseHealth } from './database-health';
import { PrismaClient } from './generated/prisma/client';
import { createPgAdapter, DEFAULT_POOL_SIZE } from './prisma-client';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export interface DatabaseModuleOptions {
  databaseUrl: string;
  /** Connections in this process's pool; must be 1 for the embedded server (see EMBEDDED_MAX_CONNECTIONS). */
  poolSize?: number;
}

/** The Prisma client as a Nest provider: connects when the app starts and closes its pool when it stops. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(DATABASE_OPTIONS) options: DatabaseModuleOptions) {
    super({ adapter: createPgAdapter(options.databaseUrl, options.poolSize ?? DEFAULT_POOL_SIZE) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }

  /** Readiness: SELECT 1 within the timeout; never throws. */
  ping(timeoutMs?: number): Promise<DatabaseHealth> {
    return checkDatabase(this, timeoutMs);
  }
}
