import { BudgetAdmin } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { BudgetsController } from './budgets.controller';

/** The /budget/* management routes: controllers and the providers they need. */
export const BUDGETS_PARTS: ManagementGroup = {
  controllers: [BudgetsController],
  providers: [{ provide: BudgetAdmin, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new BudgetAdmin(runtime.db, runtime.identities) }],
};
