import { OrganizationMemberService, OrganizationService } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { OrganizationMembersController } from './organization-members.controller';
import { OrganizationsController } from './organizations.controller';

/** The /organization management routes: controllers and the providers they need. */
export const ORGANIZATIONS_PARTS: ManagementGroup = {
  controllers: [OrganizationsController, OrganizationMembersController],
  providers: [
    { provide: OrganizationService, useFactory: (runtime: GatewayRuntime) => new OrganizationService(runtime.db, runtime.identities), inject: [GatewayRuntime] },
    { provide: OrganizationMemberService, useFactory: (runtime: GatewayRuntime) => new OrganizationMemberService(runtime.db, runtime.identities), inject: [GatewayRuntime] },
  ],
};
