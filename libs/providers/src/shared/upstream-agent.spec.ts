import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { closeUpstreamPool, configureUpstreamPool, upstreamAgent } from './upstream-agent';

/** A server that answers after `delayMs` and counts the sockets it saw. */
async function countingServer(delayMs: number) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => setTimeout(() => res.end('ok'), delayMs));
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, sockets, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function callTimes(url: string, n: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, async () => {
      const res = await request(url, { dispatcher: upstreamAgent() });
      await res.body.text();
    }),
  );
}

afterEach(() => closeUpstreamPool());

describe('upstream connection pool', () => {
  it('opens at most connectionsPerOrigin sockets to one upstream', async () => {
    const server = await countingServer(20);
    configureUpstreamPool({ connectionsPerOrigin: 2 });
    await callTimes(server.url, 6);
    expect(server.sockets.size).toBe(2);
    await closeUpstreamPool();
    await server.close();
  });

  it('treats 0 as no limit (LiteLLM\'s AIOHTTP_CONNECTOR_LIMIT=0)', async () => {
    const server = await countingServer(20);
    configureUpstreamPool({ connectionsPerOrigin: 0 });
    await callTimes(server.url, 6);
    expect(server.sockets.size).toBe(6);
    await closeUpstreamPool();
    await server.close();
  });
});
