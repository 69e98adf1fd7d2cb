import { VirtualKeyQueries, VirtualKeyService } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { KeysController } from './keys.controller';

/** The /key/* management routes: controllers and the providers they need. */
export const KEYS_PARTS: ManagementGroup = {
  controllers: [KeysController],
  providers: [
    {
      provide: VirtualKeyService,
      inject: [GatewayRuntime],
      useFactory: (runtime: GatewayRuntime) =>
        new VirtualKeyService({
          db: runtime.db,
          identities: runtime.identities,
          accessGroups: runtime.accessGroups,
          masterKey: runtime.config.runtime.masterKey,
        }),
    },
    { provide: VirtualKeyQueries, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new VirtualKeyQueries(runtime.db) },
  ],
};
