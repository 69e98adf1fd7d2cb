import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, Delete, HttpCode, Patch, Post, Req, UseGuards, UsePipes } from '@nestjs/common';
import { ORG_ROLES } from '@tollgate/auth';
import { OrganizationMemberService, parseMembers, userRefOf } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { ManagementAccess } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { changeContext } from '../teams/teams.controller';
import { checkOrgMemberChange } from './organization-access';
import { OrganizationMemberAddDto, OrganizationMemberRefDto, OrganizationMemberUpdateDto } from './organization-requests.dto';

/** LiteLLM's organization member routes (update is PATCH and delete DELETE there; POST works for both too). */
@Controller('organization')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class OrganizationMembersController {
  constructor(private readonly members: OrganizationMemberService) {}

  @Post('member_add')
  @HttpCode(200)
  @ManagementAccess('any_user')
  add(@Req() request: AuthenticatedRequest, @Body() body: OrganizationMemberAddDto) {
    checkOrgMemberChange(request.identity, body.organization_id);
    const members = parseMembers(body.member, ORG_ROLES, 'member');
    return this.members.add(body.organization_id, members, body.max_budget_in_organization, changeContext(request));
  }

  @Patch('member_update')
  @ManagementAccess('any_user')
  update(@Req() request: AuthenticatedRequest, @Body() body: OrganizationMemberUpdateDto) {
    checkOrgMemberChange(request.identity, body.organization_id);
    const change = { role: body.role, max_budget_in_organization: body.max_budget_in_organization };
    return this.members.update(body.organization_id, userRefOf(body), change, changeContext(request));
  }

  @Post('member_update')
  @HttpCode(200)
  @ManagementAccess('any_user')
  updateByPost(@Req() request: AuthenticatedRequest, @Body() body: OrganizationMemberUpdateDto) {
    return this.update(request, body);
  }

  @Delete('member_delete')
  @ManagementAccess('any_user')
  remove(@Req() request: AuthenticatedRequest, @Body() body: OrganizationMemberRefDto) {
    checkOrgMemberChange(request.identity, body.organization_id);
    return this.members.remove(body.organization_id, userRefOf(body), changeContext(request));
  }

  @Post('member_delete')
  @HttpCode(200)
  @ManagementAccess('any_user')
  removeByPost(@Req() request: AuthenticatedRequest, @Body() body: OrganizationMemberRefDto) {
    return this.remove(request, body);
  }
}
