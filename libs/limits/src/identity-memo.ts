import type { CallerIdentity } from '@tollgate/auth';

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
  const byIdentity = new WeakMap<CallerIdentity, Map<string, T>>();
  return (identity, model) => {
    let byModel = byIdentity.get(identity);
    if (!byModel) {
      byModel = new Map();
      byIdentity.set(identity, byModel);
    }
    let value = byModel.get(model);
    if (value === undefined) {
      value = compute(identity, model);
      if (byModel.size >= MODELS_PER_IDENTITY) byModel.clear();
      byModel.set(model, value);
    }
    return value;
  };
}

/**
 * Interns the store keys made from counter names: `prefix + counter` once per counter, then the same string.
 * Bounded by clearing: counters are few (one per key, team, user, ... that has limits).
 */
export class StoreKeys {
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly prefix: string,
    private readonly capacity = 50_000,
  ) {}

  of(counter: string): string {
    let key = this.keys.get(counter);
    if (key === undefined) {
      if (this.keys.size >= this.capacity) this.keys.clear();
      key = this.prefix + counter;
      this.keys.set(counter, key);
    }
    return key;
  }
}
