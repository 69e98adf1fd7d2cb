/**
 * Builds an upstream URL under a configured `api_base`.
 *
 * An `api_base` may carry a query string: a proxy's routing token, a tenant id, a signed access parameter.
 * Appending a path to the raw string would put the path inside the query (`https://host/v1?t=1/chat/completions`),
 * so the path is built on the base's path part and the base's query parameters are carried over behind it. When
 * the provider sets a parameter the base also has (Azure's `api-version`), the provider's value wins: it comes
 * from the deployment's own setting. Trailing slashes and a fragment are dropped, so `https://host/v1/` and
 * `https://host/v1` give the same URL.
 *
 * `build` receives the base without query, fragment or trailing slash and returns the full URL, which may add
 * its own query string.
 */
export function underApiBase(apiBase: string, build: (root: string) => string): string {
  const hash = apiBase.indexOf('#');
  const withoutHash = hash === -1 ? apiBase : apiBase.slice(0, hash);
  const question = withoutHash.indexOf('?');
  const root = trimTrailingSlashes(question === -1 ? withoutHash : withoutHash.slice(0, question));
  const built = build(root);
  const baseQuery = question === -1 ? '' : withoutHash.slice(question + 1);
  if (baseQuery === '') return built;
  return appendQuery(built, baseQuery);
}

/** `url` with the `name=value` pairs of `query` added, except names `url` already sets. Pairs keep their encoding. */
function appendQuery(url: string, query: string): string {
  const question = url.indexOf('?');
  const own = question === -1 ? undefined : new URLSearchParams(url.slice(question + 1));
  const kept = query.split('&').filter((pair) => pair !== '' && !own?.has(parameterName(pair)));
  if (kept.length === 0) return url;
  return `${url}${question === -1 ? '?' : '&'}${kept.join('&')}`;
}

function parameterName(pair: string): string {
  const equals = pair.indexOf('=');
  const raw = equals === -1 ? pair : pair.slice(0, equals);
  return new URLSearchParams(`${raw}=`).keys().next().value ?? raw;
}

function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47 /* '/' */) end--;
  return end === path.length ? path : path.slice(0, end);
}
