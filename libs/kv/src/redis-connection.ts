import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

export interface RedisConnectionSettings {
  /** Give up on connecting to an unresponsive host after this long. Default 3000 ms. */
  connectTimeoutMs?: number;
  /** Fail a command that gets no reply (hung or overloaded server) after this long. Default 5000 ms. */
  commandTimeoutMs?: number;
  /** Shown in `CLIENT LIST`, so operators can tell Tollgate's connections apart. Default "tollgate". */
  connectionName?: string;
}

/**
 * Where the URL points, without user name or password, for logs and error messages. An unparseable URL is
 * not echoed back at all, because it may still contain a password.
 */
export function describeRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'redis (unparseable URL)';
  }
  const database = parsed.pathname.length > 1 ? parsed.pathname : '';
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${database}`;
}

/**
 * Connection options chosen so the gateway never hangs on Redis: while Redis is down, every command fails
 * as soon as a connection attempt fails (`maxRetriesPerRequest: 0`) instead of queueing forever, yet the
 * client keeps reconnecting in the background and commands work again as soon as Redis is back. The
 * offline queue stays enabled so commands issued while the first connection is being opened wait for it.
 */
export function redisOptions(settings: RedisConnectionSettings): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 0,
    connectTimeout: settings.connectTimeoutMs ?? 3_000,
    commandTimeout: settings.commandTimeoutMs ?? 5_000,
    connectionName: settings.connectionName ?? 'tollgate',
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  };
}

/**
 * Tracks one connection's health: logs the first failure of an outage and the recovery (not every retry),
 * and remembers the last failure so errors can say why Redis is unreachable. Without an `error` listener
 * ioredis would print every failed attempt itself.
 */
export class RedisConnectionMonitor {
  private lastFailure?: Error;
  private failing = false;

  constructor(connection: Redis, description: string, logger: Logger, role: string) {
    connection.on('error', (error: Error) => {
      this.lastFailure = error;
      if (this.failing) return;
      this.failing = true;
      logger.warn(`Redis ${role} connection to ${description} failed (${error.message}); reconnecting in the background`);
    });
    connection.on('ready', () => {
      if (this.failing) logger.log(`Redis ${role} connection to ${description} restored`);
      this.failing = false;
      this.lastFailure = undefined;
    });
  }

  /** The most recent connection failure during an ongoing outage. */
  get failure(): Error | undefined {
    return this.lastFailure;
  }
}

/** Quits gracefully (pending replies arrive first); a connection never opened or already gone is just dropped. */
export async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'wait' || connection.status === 'end') {
    connection.disconnect();
    return;
  }
  await connection.quit().catch(() => connection.disconnect());
}
