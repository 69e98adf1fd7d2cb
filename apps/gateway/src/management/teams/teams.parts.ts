import { TeamMemberService, TeamService } from '@tollgate/tenancy';
import { GatewayRuntime } from '../../gateway-runtime';
import type { ManagementGroup } from '../management-group';
import { TeamAccess } from './team-access';
import { TeamMembersController } from './team-members.controller';
import { TeamsController } from './teams.controller';

/** The /team management routes: controllers and the providers they need. */
export const TEAMS_PARTS: ManagementGroup = {
  controllers: [TeamsController, TeamMembersController],
  providers: [
    TeamAccess,
    { provide: TeamService, useFactory: (runtime: GatewayRuntime) => new TeamService(runtime.db, runtime.identities, runtime.accessGroups), inject: [GatewayRuntime] },
    { provide: TeamMemberService, useFactory: (runtime: GatewayRuntime) => new TeamMemberService(runtime.db, runtime.identities), inject: [GatewayRuntime] },
  ],
};
