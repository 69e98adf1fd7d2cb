import type { Provider, Type } from '@nestjs/common';

/** What one management route group contributes to the gateway module. */
export interface ManagementGroup {
  controllers: Type[];
  providers: Provider[];
}
