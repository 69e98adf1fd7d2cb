import type { LitellmParams } from '@tollgate/config';

/**
 * Computes something about a deployment once (headers, URLs, defaults: they do not change while the gateway
 * runs) and returns the same object for every later request on it.
 */
export function perDeployment<T>(build: (params: LitellmParams) => T): (params: LitellmParams) => T {
  const cache = new WeakMap<LitellmParams, T>();
  return (params) => {
    let value = cache.get(params);
    if (value === undefined) {
      value = build(params);
      cache.set(params, value);
    }
    return value;
  };
}
