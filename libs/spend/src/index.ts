export * from './usd';
export * from './budget-period';
export * from './model-price';
export * from './cost-of';
export * from './price-overrides';
export * from './pricing-catalog';
export * from './spend.module';
export type { CatalogEntry } from './catalog/catalog-entry';
export { PRICING_CATALOG_DATA } from './catalog/pricing-catalog.data';
