import { BoundedCache, substituteWildcards } from '@tollgate/common';
import { findProvider, type Deployment } from '@tollgate/providers';
import { splitModelString } from '../deployment-resolver';

/** What serving one requested name through a wildcard deployment needs: the deployment, or why it cannot. */
export type Derivation = { ok: true; deployment: Deployment } | { ok: false; reason: string };

/**
 * Builds the deployment a wildcard group uses for one requested model (`anthropic/*` asked for
 * `anthropic/claude-x` calls `claude-x` upstream), and keeps the most recently used ones so repeated
 * requests reuse the same object. The cache is bounded: clients choose the names, so an unbounded one
 * would grow with every name they invent.
 *
 * A derived deployment's id is the wildcard deployment's id and the upstream model string joined by `::`,
 * so it is the same on every replica and after restarts (cooldowns and latency statistics are kept per
 * upstream model). Its `modelName` is the requested name, the group it serves.
 */
export class DerivedDeployments {
  private readonly cache: BoundedCache<string, Deployment>;

  constructor(capacity = 1000) {
    this.cache = new BoundedCache(capacity);
  }

  derive(base: Deployment, captured: readonly string[], requested: string): Derivation {
    const key = `${base.id}\u0000${requested}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return { ok: true, deployment: cached };
    const derivation = buildDerived(base, captured, requested);
    if (derivation.ok) this.cache.set(key, derivation.deployment);
    return derivation;
  }

  /** A derived deployment by id, while it is cached. */
  byId(id: string): Deployment | undefined {
    for (const deployment of this.cache.values()) if (deployment.id === id) return deployment;
    return undefined;
  }

  get size(): number {
    return this.cache.size;
  }
}

function buildDerived(base: Deployment, captured: readonly string[], requested: string): Derivation {
  const model = substituteWildcards(base.params.model, captured, requested);
  if (model === undefined) {
    return { ok: false, reason: `its deployment's model "${base.params.model}" has more wildcards than the group name fills` };
  }
  if (model === base.params.model) return { ok: true, deployment: Object.assign({}, base, { modelName: requested }) };
  const { provider: providerName, upstreamModel } = splitModelString(model);
  const provider = findProvider(providerName);
  if (provider === undefined || upstreamModel === '') {
    return { ok: false, reason: `it would be sent as "${model}", which names no known provider and model` };
  }
  const params = Object.assign({}, base.params, { model });
  return {
    ok: true,
    deployment: Object.assign({}, base, {
      id: `${base.id}::${model}`,
      modelName: requested,
      provider: provider.name,
      upstreamModel,
      displayApiBase: provider.displayApiBase(params),
      params,
    }),
  };
}
