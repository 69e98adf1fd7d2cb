import { Logger } from '@nestjs/common';
import { BoundedCache } from '@tollgate/common';
import type { CatalogEntry } from './catalog/catalog-entry';
import { PRICING_CATALOG_DATA } from './catalog/pricing-catalog.data';
import { costOf, type MeteredUsage } from './cost-of';
import { priceFromCatalogEntry, type ModelPrice } from './model-price';
import { applyOverrides, readPriceOverrides } from './price-overrides';
import type { Picodollars } from './usd';

/** The parts of a routed deployment pricing reads. `Deployment` from `@tollgate/providers` fits as it is. */
export interface PricedDeployment {
  id: string;
  provider: string;
  upstreamModel: string;
  /** `litellm_params`: price overrides and `base_model` may be set here. */
  params?: Readonly<Record<string, unknown>>;
  /** `model_info`: price overrides and `base_model` may be set here too. */
  modelInfo?: Readonly<Record<string, unknown>>;
}

/** Registry names that share another provider's catalog entries. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = { cohere_chat: 'cohere', ollama_chat: 'ollama' };

/**
 * Providers whose model names are recognised on their own: an OpenAI-compatible server (`openai/...` with an
 * `api_base`, `hosted_vllm/...`) serving `gpt-4o` or `claude-sonnet-4-5` is priced as the original.
 */
const WELL_KNOWN_PROVIDERS = ['openai', 'anthropic', 'gemini', 'mistral', 'deepseek', 'xai', 'cohere'];

/**
 * Prices for deployments: the built-in catalog (loaded once, at construction), overridden per deployment by
 * its `input_cost_per_token`-style settings. A deployment nothing prices costs 0 and is reported: one warning
 * per model and a per-model count of such requests.
 */
const FREE: ModelPrice = { inputPerToken: 0n, outputPerToken: 0n, overridden: false };

export class PricingCatalog {
  private readonly logger = new Logger(PricingCatalog.name);
  private readonly catalog = new Map<string, ModelPrice>();
  // Bounded because wildcard deployments derive a deployment id (and a model) from each requested name,
  // which callers choose; configured deployments are far fewer than the caps.
  /** Price per deployment id; `null` when the deployment has none. */
  private readonly byDeployment = new BoundedCache<string, ModelPrice | null>(4096);
  private readonly warned = new BoundedCache<string, true>(1024);
  private readonly unpriced = new BoundedCache<string, number>(1024);

  constructor(data: Readonly<Record<string, CatalogEntry>> = PRICING_CATALOG_DATA) {
    for (const [key, entry] of Object.entries(data)) this.catalog.set(key, priceFromCatalogEntry(key, entry));
  }

  /** Number of models in the catalog. */
  get size(): number {
    return this.catalog.size;
  }

  /** The catalog's price for a `<provider>/<model>` key, overrides not applied. */
  lookup(key: string): ModelPrice | undefined {
    return this.catalog.get(key);
  }

  /**
   * The deployment's price (cached per deployment id), or undefined when neither configuration nor the
   * catalog prices it (warned about once per model).
   */
  priceFor(deployment: PricedDeployment): ModelPrice | undefined {
    const cached = this.byDeployment.get(deployment.id);
    if (cached !== undefined) return cached ?? undefined;
    const { overrides, invalid } = readPriceOverrides(deployment.params, deployment.modelInfo);
    if (invalid.length > 0) {
      this.logger.warn(`Deployment ${deployment.id}: ignoring ${invalid.join(', ')} (not a non-negative number of USD)`);
    }
    // The built-in fake model is free by design: no catalog entry, and nothing to warn about.
    const base = deployment.provider === 'fake' ? FREE : this.catalogPriceFor(deployment);
    const price = applyOverrides(base, overrides);
    if (!price) this.warnUnpriced(deployment);
    this.byDeployment.set(deployment.id, price ?? null);
    return price;
  }

  /** What a request on the deployment cost; 0 (and counted in `unpricedRequests`) when it has no price. */
  costFor(deployment: PricedDeployment, usage: MeteredUsage): Picodollars {
    const price = this.priceFor(deployment);
    if (price) return costOf(usage, price);
    const model = modelKey(deployment);
    this.unpriced.set(model, (this.unpriced.get(model) ?? 0) + 1);
    return 0n;
  }

  /** Requests charged 0 for want of a price, by `<provider>/<model>`, since start (the 1,024 most recent models). */
  unpricedRequests(): ReadonlyMap<string, number> {
    return new Map(this.unpriced.entriesSnapshot());
  }

  /** Drops the per-deployment cache, for a configuration reload that may have changed prices. */
  forgetDeployments(): void {
    this.byDeployment.clear();
  }

  private catalogPriceFor(deployment: PricedDeployment): ModelPrice | undefined {
    const provider = PROVIDER_ALIASES[deployment.provider] ?? deployment.provider;
    const baseModel = stringSetting(deployment, 'base_model');
    const candidates: string[] = [];
    const addModel = (model: string) => {
      candidates.push(model, `${provider}/${model}`);
      for (const known of WELL_KNOWN_PROVIDERS) candidates.push(`${known}/${model}`);
    };
    // An Azure deployment name says nothing about the model behind it: `base_model` does.
    if (provider === 'azure' && baseModel) addModel(baseModel);
    candidates.push(`${provider}/${deployment.upstreamModel}`);
    if (baseModel) addModel(baseModel);
    addModel(deployment.upstreamModel);
    for (const key of candidates) {
      const price = this.catalog.get(key);
      if (price) return price;
    }
    return undefined;
  }

  private warnUnpriced(deployment: PricedDeployment): void {
    const model = modelKey(deployment);
    if (this.warned.get(model)) return;
    this.warned.set(model, true);
    this.logger.warn(
      `No price known for ${model}: its requests are recorded with cost 0. Set input_cost_per_token and ` +
        'output_cost_per_token in its litellm_params or model_info (or base_model) to price it.',
    );
  }
}

function modelKey(deployment: PricedDeployment): string {
  return `${deployment.provider}/${deployment.upstreamModel}`;
}

function stringSetting(deployment: PricedDeployment, name: string): string | undefined {
  const value = deployment.modelInfo?.[name] ?? deployment.params?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
