import type { CallerIdentity } from '@tollgate/auth';
import { BoundedCache } from '@tollgate/common';

/** Most models remembered per identity; a caller cycling through more only makes the memo recompute. */
const MODELS_PER_IDENTITY = 256;

/**
 * Remembers what `compute` derives from a caller identity and a model name. An identity object is replaced,
 * never changed, when its key's settings change (the identity cache loads a new one), so the object itself is
 * the version and its entry goes with it. Besides the work saved, the strings made once here (counter names)
 * are the same string objects request after request: the Maps that dedupe Redis script arguments find them
 * without hashing a fresh 100-character string each time.
 */
export function identityMemo<T>(compute: (identity: CallerIdentity, model: string) => T): (identity: CallerIdentity, model: string) => T {
  const byIdentity = new WeakMap<CallerIdentity, BoundedCache<string, T>>();
  return (identity, model) => {
    let byModel = byIdentity.get(identity);
    if (!byModel) {
      byModel = new BoundedCache(MODELS_PER_IDENTITY);
      byIdentity.set(identity, byModel);
    }
    let value = byModel.get(model);
    if (value === undefined) {
      value = compute(identity, model);
      byModel.set(model, value);
    }
    return value;
  };
}
