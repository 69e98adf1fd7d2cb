import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards, UsePipes } from '@nestjs/common';
import { TEAM_ROLES } from '@tollgate/auth';
import { listTeams, parseMembers, sentTeamFields, teamInfo, TeamService, type ChangeContext } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { GatewayRuntime } from '../../gateway-runtime';
import { ManagementAccess, actorOf } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { TeamAccess } from './team-access';
import { DeleteTeamsDto, ListTeamsQuery, NewTeamDto, TeamRefDto, UpdateTeamDto } from './team-requests.dto';

export function changeContext(request: AuthenticatedRequest): ChangeContext {
  return { actor: actorOf(request.identity, request.headers), userId: request.identity.user?.id };
}

/** LiteLLM's team routes: /team/new, /team/update, /team/delete, /team/info, /team/list, /team/block, /team/unblock. */
@Controller('team')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class TeamsController {
  constructor(
    private readonly runtime: GatewayRuntime,
    private readonly teams: TeamService,
    private readonly access: TeamAccess,
  ) {}

  @Post('new')
  @HttpCode(200)
  @ManagementAccess('any_user')
  create(@Req() request: AuthenticatedRequest, @Body() body: NewTeamDto) {
    this.access.checkCreate(request.identity, body.organization_id);
    const members = parseMembers(body.members_with_roles, TEAM_ROLES, 'members_with_roles', { allowEmpty: true });
    return this.teams.create({ ...body, members_with_roles: members }, changeContext(request));
  }

  @Post('update')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async update(@Req() request: AuthenticatedRequest, @Body() body: UpdateTeamDto) {
    const { team_id, ...fields } = body;
    await this.access.forUpdate(request.identity, team_id, sentTeamFields(fields), fields.organization_id);
    return this.teams.update(team_id, fields, changeContext(request));
  }

  @Post('delete')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async remove(@Req() request: AuthenticatedRequest, @Body() body: DeleteTeamsDto) {
    for (const teamId of body.team_ids) await this.access.forOrgLevelChange(request.identity, teamId, 'delete');
    return this.teams.remove(body.team_ids, changeContext(request));
  }

  @Post('block')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async block(@Req() request: AuthenticatedRequest, @Body() body: TeamRefDto) {
    await this.access.forOrgLevelChange(request.identity, body.team_id, 'block');
    return this.teams.setBlocked(body.team_id, true, changeContext(request));
  }

  @Post('unblock')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async unblock(@Req() request: AuthenticatedRequest, @Body() body: TeamRefDto) {
    await this.access.forOrgLevelChange(request.identity, body.team_id, 'unblock');
    return this.teams.setBlocked(body.team_id, false, changeContext(request));
  }

  @Get('info')
  @ManagementAccess('any_user')
  async info(@Req() request: AuthenticatedRequest, @Query() query: TeamRefDto) {
    await this.access.forRead(request.identity, query.team_id);
    return teamInfo(this.runtime.db, query.team_id);
  }

  @Get('list')
  @ManagementAccess('any_user')
  list(@Req() request: AuthenticatedRequest, @Query() query: ListTeamsQuery) {
    return listTeams(this.runtime.db, this.access.listScope(request.identity, query));
  }
}
