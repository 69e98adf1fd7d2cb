import { AuditReader } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { AuditController } from './audit.controller';

/** The /audit management route: controller and the providers it needs. */
export const AUDIT_PARTS: ManagementGroup = {
  controllers: [AuditController],
  providers: [{ provide: AuditReader, inject: [GatewayRuntime], useFactory: (runtime: GatewayRuntime) => new AuditReader(runtime.db) }],
};
