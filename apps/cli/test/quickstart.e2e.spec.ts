import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '@tollgate/database';
import OpenAI from 'openai';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ensureBuilt, startCli, type CliServer } from './cli-process';

/**
 * The README's first command on a fresh machine: no PostgreSQL, no Redis; the embedded database and the
 * built-in fake model answer through the real CLI process.
 */
describe('quickstart: `tollgate start --config examples/quickstart.yaml` with nothing else installed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-quickstart-'));
  let server: CliServer;
  let baseURL: string;

  beforeAll(async () => {
    ensureBuilt();
    server = await startCli(['start', '--config', 'examples/quickstart.yaml', '--port', '0', '--host', '127.0.0.1'], cleanEnv({ TOLLGATE_DATA_DIR: dataDir }), /Gateway listening on (\S+)/);
    baseURL = `${/Gateway listening on (\S+)/.exec(server.output())?.[1]}/v1`;
  }, 90_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a chat completion from the fake model through the openai client', async () => {
    const client = new OpenAI({ apiKey: 'sk-tollgate-quickstart', baseURL, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hello, Tollgate' }] });
    expect(completion.choices[0].message.content).toBe('Hello from Tollgate\'s built-in fake model "quickstart". You said: "Hello, Tollgate"');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);

    const stream = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hello, Tollgate' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(completion.choices[0].message.content);
  });

  it('stops cleanly on SIGTERM and has written the request logs to the embedded database', async () => {
    expect(await server.stop()).toBe(0);
    const embedded = await EmbeddedPostgres.start({ dataDir });
    const pg = new Client({ connectionString: embedded.url });
    try {
      await pg.connect();
      const { rows } = await pg.query<{ requested_model: string; stream: boolean; status: number }>('SELECT requested_model, stream, status FROM request_logs ORDER BY started_at');
      expect(rows).toEqual([
        { requested_model: 'fake-model', stream: false, status: 200 },
        { requested_model: 'fake-model', stream: true, status: 200 },
      ]);
    } finally {
      await pg.end();
      await embedded.stop();
    }
  });
});
