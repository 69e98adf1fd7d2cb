import { Agent } from 'undici';

/**
 * One keep-alive connection pool per origin for every upstream call: reusing sockets keeps TLS handshakes
 * and TCP setup off the request path. Sizes are generous defaults; the gateway sets them from config
 * (`upstream_max_connections_per_host`, `upstream_keepalive_timeout`) at start-up.
 */
let agent: Agent | undefined;

export interface UpstreamPoolOptions {
  /** Most sockets per upstream origin; 0 means no limit. */
  connectionsPerOrigin?: number;
  /** How long an idle socket is kept, in milliseconds. */
  keepAliveMs?: number;
}

export function configureUpstreamPool(options: UpstreamPoolOptions): void {
  const previous = agent;
  agent = new Agent({
    // undici reads null as "no limit"; 0 is how LiteLLM's AIOHTTP_CONNECTOR_LIMIT says it.
    connections: options.connectionsPerOrigin === 0 ? null : (options.connectionsPerOrigin ?? 512),
    keepAliveTimeout: options.keepAliveMs ?? 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    // Deadlines are enforced by the caller's abort signal, which can tell a timeout from a disconnect.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  if (previous) void previous.close();
}

export function upstreamAgent(): Agent {
  if (!agent) configureUpstreamPool({});
  return agent as Agent;
}

export async function closeUpstreamPool(): Promise<void> {
  const current = agent;
  agent = undefined;
  if (current) await current.close();
}
