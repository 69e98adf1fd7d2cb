import { Module } from '@nestjs/common';
import { PricingCatalog } from './pricing-catalog';

/** Provides the `PricingCatalog`, built once from the bundled catalog when the application starts. */
@Module({
  providers: [{ provide: PricingCatalog, useFactory: () => new PricingCatalog() }],
  exports: [PricingCatalog],
})
export class SpendModule {}
