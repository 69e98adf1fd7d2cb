import { describe, expect, it } from 'vitest';
import type { Deployment } from '@tollgate/providers';
import { ModelRegistry } from './model-registry';

function deployment(id: string, modelName: string, extra: Record<string, unknown> = {}): Deployment {
  return {
    id,
    modelName,
    provider: 'fake',
    upstreamModel: id,
    timeoutMs: 1000,
    streamTimeoutMs: 1000,
    params: { model: `fake/${id}`, ...extra },
  };
}

/** A `random` that returns the given values in turn, so picks are reproducible. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

/** How often each deployment id is picked when `random` walks evenly over [0, 1) in `steps` steps. */
function distribution(registry: ModelRegistry, model: string, steps = 1000): Record<string, number> {
  const random = sequence(Array.from({ length: steps }, (_, i) => i / steps));
  const counts: Record<string, number> = {};
  for (let i = 0; i < steps; i++) {
    const id = registry.pick(model, random)?.id as string;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('ModelRegistry', () => {
  const registry = new ModelRegistry([
    deployment('z1', 'zeta'),
    deployment('a1', 'alpha'),
    deployment('m1', 'mid'),
    deployment('a2', 'alpha'),
  ]);

  it('lists model names sorted, each once', () => {
    expect(registry.modelNames()).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('groups deployments by model name, in config order', () => {
    expect(registry.deployments('alpha').map((d) => d.id)).toEqual(['a1', 'a2']);
    expect(registry.deployments('nope')).toEqual([]);
    expect(registry.allDeployments().map((d) => d.id).sort()).toEqual(['a1', 'a2', 'm1', 'z1']);
    expect(registry.has('mid')).toBe(true);
    expect(registry.has('Mid')).toBe(false);
  });

  it('picks nothing for an unknown model', () => {
    expect(registry.pick('unknown', () => 0)).toBeUndefined();
  });

  it('always picks the only deployment of a group', () => {
    expect(registry.pick('mid', () => 0.999)?.id).toBe('m1');
    expect(registry.pick('mid', () => 0)?.id).toBe('m1');
  });

  it('picks evenly without weights', () => {
    expect(distribution(registry, 'alpha')).toEqual({ a1: 500, a2: 500 });
  });

  it('picks in proportion to weight', () => {
    const weighted = new ModelRegistry([deployment('light', 'g', { weight: 1 }), deployment('heavy', 'g', { weight: 3 })]);
    expect(distribution(weighted, 'g')).toEqual({ light: 250, heavy: 750 });
    expect(weighted.pick('g', () => 0.24)?.id).toBe('light');
    expect(weighted.pick('g', () => 0.26)?.id).toBe('heavy');
  });

  it('falls back to rpm, then tpm, when weight is absent', () => {
    const byRpm = new ModelRegistry([deployment('a', 'g', { rpm: 100 }), deployment('b', 'g', { rpm: 300, tpm: 1 })]);
    expect(distribution(byRpm, 'g')).toEqual({ a: 250, b: 750 });
    const byTpm = new ModelRegistry([deployment('a', 'g', { tpm: 9000 }), deployment('b', 'g', { tpm: 1000 })]);
    expect(distribution(byTpm, 'g')).toEqual({ a: 900, b: 100 });
  });

  it('weight wins over rpm', () => {
    const mixed = new ModelRegistry([deployment('a', 'g', { weight: 1, rpm: 1000 }), deployment('b', 'g', { weight: 1, rpm: 1 })]);
    expect(distribution(mixed, 'g')).toEqual({ a: 500, b: 500 });
  });

  it('treats zero, negative or non-numeric weights as 1', () => {
    const odd = new ModelRegistry([deployment('a', 'g', { weight: 0 }), deployment('b', 'g', { weight: -4 }), deployment('c', 'g', { weight: '2' })]);
    const counts = distribution(odd, 'g', 999);
    expect(counts).toEqual({ a: 333, b: 333, c: 333 });
  });

  it('never picks past the last deployment, even for random() close to 1', () => {
    const weighted = new ModelRegistry([deployment('a', 'g', { weight: 0.1 }), deployment('b', 'g', { weight: 0.2 })]);
    expect(weighted.pick('g', () => 0.9999999999999999)?.id).toBe('b');
  });
});
