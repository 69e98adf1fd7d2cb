import { CustomerAdmin } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { CustomersController } from './customers.controller';

/** The /customer/* (alias /end_user/*) management routes: controllers and the providers they need. */
export const CUSTOMERS_PARTS: ManagementGroup = {
  controllers: [CustomersController],
  providers: [{ provide: CustomerAdmin, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new CustomerAdmin(runtime.db, runtime.identities) }],
};
