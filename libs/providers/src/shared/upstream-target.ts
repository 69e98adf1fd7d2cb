import { BoundedCache } from '@tollgate/common';

/** Where a dispatcher sends a request: the origin's connection pool and the path (with query) on it. */
export interface UpstreamTarget {
  origin: string;
  path: string;
}

// Deployments are few and their URLs fixed, so a small memo holds them all; the cap only guards against
// URLs that carry per-request values (wildcard-derived model names).
const memo = new BoundedCache<string, UpstreamTarget | null>(1024);

/**
 * The origin and path of an upstream URL, split the way undici's own `request(url)` splits it (WHATWG
 * parsing, default ports dropped, fragment ignored), memoised so that the hot path does not parse the
 * same URL on every call. null when it is not an http(s) URL: the caller lets undici reject it.
 */
export function upstreamTarget(url: string): UpstreamTarget | null {
  return memo.getOrSet(url, parseTarget);
}

function parseTarget(url: string): UpstreamTarget | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return { origin: parsed.origin, path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname };
}
