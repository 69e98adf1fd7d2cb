import { UserAdmin, UserDirectory } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { UsersController } from './users.controller';

/** The /user/* management routes: controllers and the providers they need (the key service comes from the keys group). */
export const USERS_PARTS: ManagementGroup = {
  controllers: [UsersController],
  providers: [
    { provide: UserAdmin, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new UserAdmin(runtime.db, runtime.identities) },
    { provide: UserDirectory, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new UserDirectory(runtime.db) },
  ],
};
