import type { Deployment } from '@tollgate/providers';

/**
 * Model groups (every deployment sharing a `model_name`) and the choice of one deployment per request.
 * Selection here is weighted random (LiteLLM's default `simple-shuffle`); routing strategies, retries and
 * fallbacks build on this registry.
 */
export class ModelRegistry {
  private readonly groups = new Map<string, Deployment[]>();
  private readonly weights = new Map<string, number[]>();

  constructor(deployments: Deployment[]) {
    for (const deployment of deployments) {
      const group = this.groups.get(deployment.modelName) ?? [];
      group.push(deployment);
      this.groups.set(deployment.modelName, group);
    }
    for (const [name, group] of this.groups) this.weights.set(name, group.map(weightOf));
  }

  /** Public model names, sorted. */
  modelNames(): string[] {
    return [...this.groups.keys()].sort();
  }

  has(modelName: string): boolean {
    return this.groups.has(modelName);
  }

  deployments(modelName: string): readonly Deployment[] {
    return this.groups.get(modelName) ?? [];
  }

  allDeployments(): Deployment[] {
    return [...this.groups.values()].flat();
  }

  /** One deployment of the group, weighted by `weight`, else `rpm`, else `tpm`; undefined for an unknown model. */
  pick(modelName: string, random: () => number = Math.random): Deployment | undefined {
    const group = this.groups.get(modelName);
    if (!group) return undefined;
    if (group.length === 1) return group[0];
    const weights = this.weights.get(modelName) as number[];
    const total = weights.reduce((a, b) => a + b, 0);
    let point = random() * total;
    for (let i = 0; i < group.length; i++) {
      point -= weights[i];
      if (point < 0) return group[i];
    }
    return group[group.length - 1];
  }
}

function weightOf(deployment: Deployment): number {
  const { weight, rpm, tpm } = deployment.params;
  for (const value of [weight, rpm, tpm]) if (typeof value === 'number' && value > 0) return value;
  return 1;
}
