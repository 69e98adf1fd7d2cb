import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, HttpCode, Post, Req, UseGuards, UsePipes } from '@nestjs/common';
import { TEAM_ROLES } from '@tollgate/auth';
import { parseMembers, TeamMemberService, userRefOf } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { ManagementAccess } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { TeamAccess } from './team-access';
import { TeamMemberAddDto, TeamMemberRefDto, TeamMemberUpdateDto } from './team-requests.dto';
import { changeContext } from './teams.controller';

/** LiteLLM's /team/member_add, /team/member_delete and /team/member_update. */
@Controller('team')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class TeamMembersController {
  constructor(
    private readonly members: TeamMemberService,
    private readonly access: TeamAccess,
  ) {}

  @Post('member_add')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async add(@Req() request: AuthenticatedRequest, @Body() body: TeamMemberAddDto) {
    await this.access.forMemberChange(request.identity, body.team_id);
    const members = parseMembers(body.member, TEAM_ROLES, 'member');
    return this.members.add(body.team_id, members, body.max_budget_in_team, changeContext(request));
  }

  @Post('member_delete')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async remove(@Req() request: AuthenticatedRequest, @Body() body: TeamMemberRefDto) {
    await this.access.forMemberChange(request.identity, body.team_id);
    return this.members.remove(body.team_id, userRefOf(body), changeContext(request));
  }

  @Post('member_update')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async update(@Req() request: AuthenticatedRequest, @Body() body: TeamMemberUpdateDto) {
    await this.access.forMemberChange(request.identity, body.team_id);
    return this.members.update(body.team_id, userRefOf(body), { role: body.role, max_budget_in_team: body.max_budget_in_team }, changeContext(request));
  }
}
