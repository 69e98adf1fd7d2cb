import { SpendLogReader, SpendReporter } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { SpendController } from './spend.controller';

/** The spend routes (/spend/logs, /global/spend, /global/spend/report): controller and the providers it needs. */
export const SPEND_PARTS: ManagementGroup = {
  controllers: [SpendController],
  providers: [
    { provide: SpendLogReader, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new SpendLogReader(runtime.db) },
    { provide: SpendReporter, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new SpendReporter(runtime.db) },
  ],
};
