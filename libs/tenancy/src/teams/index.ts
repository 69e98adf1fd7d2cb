export { parseMembers, userRefOf, type MemberRef } from './member-refs';
export type { TeamFields, TeamFieldName } from './team-fields';
export { sentTeamFields } from './team-fields';
export { requireTeam, teamInfo, listTeams, type TeamListFilter } from './team-queries';
export { modelsOutsideOrganization } from './team-organization-rules';
export { TeamService, type NewTeam, type ChangeContext } from './team-service';
export { TeamMemberService, type MemberChange } from './team-member-service';
