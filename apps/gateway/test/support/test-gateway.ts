import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tollgate/config';
import { startGateway, type RunningGateway } from '@tollgate/gateway';
import OpenAI from 'openai';

export const MASTER_KEY = 'sk-test-master-key';

export interface TestGateway {
  gateway: RunningGateway;
  url: string;
  /** An official OpenAI client pointed at the gateway (no retries, so each error is seen once). */
  client(apiKey?: string): OpenAI;
  close(): Promise<void>;
}

/**
 * Starts the real gateway in this process from YAML text, loaded by the real config loader, on a free
 * loopback port. `env` stands in for the process environment (DATABASE_URL, REDIS_URL, ...).
 */
export async function startTestGateway(
  yaml: string,
  env: Record<string, string | undefined> = {},
  redisPrefix?: string,
  options: { shutdownDrainMs?: number } = {},
): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-test-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  const config = loadConfig(file, {
    env: { TOLLGATE_DATA_DIR: join(dir, 'data'), ...env },
    overrides: { host: '127.0.0.1', port: await freePort() },
  });
  const gateway = await startGateway(config, { redisPrefix, logger: ['error'], shutdownDrainMs: options.shutdownDrainMs });
  return {
    gateway,
    url: gateway.url,
    client: (apiKey = MASTER_KEY) => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0, timeout: 20_000 }),
    close: async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
