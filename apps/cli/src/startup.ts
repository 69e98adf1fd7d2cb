import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, type TollgateConfig } from '@tollgate/config';
import { DEFAULT_REDIS_PREFIX } from '@tollgate/request-log';

export const logger = new Logger('Tollgate');

export function redisPrefix(): string {
  return process.env.TOLLGATE_REDIS_PREFIX || DEFAULT_REDIS_PREFIX;
}

/**
 * Loads the config, printing each problem on its own line and exiting when it is unusable. `quiet` skips the
 * warnings (a cluster child: its primary printed them already).
 */
export function loadOrExit(file: string | undefined, overrides: { port?: number; host?: string } = {}, quiet = false): TollgateConfig {
  try {
    const config = loadConfig(file, { overrides });
    if (quiet) return config;
    for (const warning of config.warnings ?? []) logger.warn(warning);
    if (config.unusedKeys.length > 0) {
      logger.warn(`Accepted but not used by this version of Tollgate: ${config.unusedKeys.join(', ')}`);
    }
    return config;
  } catch (err) {
    return exitOnConfigError(err);
  }
}

export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`Tollgate cannot start; fix the configuration:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  throw err;
}

/**
 * Runs `close` on the first SIGINT/SIGTERM (or when `trigger` is called), then exits 0; a second signal exits
 * at once. Returns the trigger, for shutdown requests that do not come as signals.
 */
export function closeOnSignal(close: () => Promise<void>): (reason: string) => void {
  let closing = false;
  const shutdown = (reason: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${reason}, shutting down`);
    close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error(`shutdown failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (closing) process.exit(1);
    shutdown(`${signal} received`);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return shutdown;
}

/** `tollgate start` options as commander hands them over. */
export interface StartFlags {
  config?: string;
  port?: number;
  host?: string;
  withWorker?: boolean;
  /** `--num_workers` (LiteLLM's spelling). */
  num_workers?: string;
  /** `--num-workers`. */
  numWorkers?: string;
}
