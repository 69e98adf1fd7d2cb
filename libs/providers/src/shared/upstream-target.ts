/** Where a dispatcher sends a request: the origin's connection pool and the path (with query) on it. */
export interface UpstreamTarget {
  origin: string;
  path: string;
}

// Deployments are few and their URLs fixed, so a small memo holds them all; the cap only guards against
// callers that put per-request values into URLs.
const MAX_MEMO = 1024;
const memo = new Map<string, UpstreamTarget | null>();

/**
 * The origin and path of an upstream URL, split the way undici's own `request(url)` splits it (WHATWG
 * parsing, default ports dropped, fragment ignored), memoised so that the hot path does not parse the
 * same URL on every call. null when it is not an http(s) URL: the caller lets undici reject it.
 */
export function upstreamTarget(url: string): UpstreamTarget | null {
  let target = memo.get(url);
  if (target === undefined) {
    target = parseTarget(url);
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(url, target);
  }
  return target;
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
