import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req, UseGuards, UsePipes } from '@nestjs/common';
import { listOrganizations, organizationInfo, OrganizationService } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { GatewayRuntime } from '../../gateway-runtime';
import { ManagementAccess } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { changeContext } from '../teams/teams.controller';
import { checkOrgRead, checkOrgUpdate, visibleOrganizations } from './organization-access';
import { DeleteOrganizationsDto, ListOrganizationsQuery, NewOrganizationDto, OrganizationRefQuery, UpdateOrganizationDto } from './organization-requests.dto';

/**
 * LiteLLM's organization routes. LiteLLM serves update as PATCH and delete as DELETE; POST is accepted for
 * both too, for clients that cannot send those methods.
 */
@Controller('organization')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class OrganizationsController {
  constructor(
    private readonly runtime: GatewayRuntime,
    private readonly organizations: OrganizationService,
  ) {}

  @Post('new')
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  create(@Req() request: AuthenticatedRequest, @Body() body: NewOrganizationDto) {
    return this.organizations.create(body, changeContext(request));
  }

  @Patch('update')
  @ManagementAccess('any_user')
  update(@Req() request: AuthenticatedRequest, @Body() body: UpdateOrganizationDto) {
    const { organization_id, ...fields } = body;
    checkOrgUpdate(request.identity, organization_id, fields);
    return this.organizations.update(organization_id, fields, changeContext(request));
  }

  @Post('update')
  @HttpCode(200)
  @ManagementAccess('any_user')
  updateByPost(@Req() request: AuthenticatedRequest, @Body() body: UpdateOrganizationDto) {
    return this.update(request, body);
  }

  @Delete('delete')
  @ManagementAccess('proxy_admin')
  remove(@Req() request: AuthenticatedRequest, @Body() body: DeleteOrganizationsDto) {
    return this.organizations.remove(body.organization_ids, changeContext(request));
  }

  @Post('delete')
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  removeByPost(@Req() request: AuthenticatedRequest, @Body() body: DeleteOrganizationsDto) {
    return this.remove(request, body);
  }

  @Get('info')
  @ManagementAccess('any_user')
  info(@Req() request: AuthenticatedRequest, @Query() query: OrganizationRefQuery) {
    checkOrgRead(request.identity, query.organization_id);
    return organizationInfo(this.runtime.db, query.organization_id);
  }

  /** Admins and proxy_admin_viewer see every organization; everyone else the ones they belong to. */
  @Get('list')
  @ManagementAccess('any_user')
  list(@Req() request: AuthenticatedRequest, @Query() query: ListOrganizationsQuery) {
    return listOrganizations(this.runtime.db, { organizationId: query.org_id, aliasContains: query.org_alias, visibleIds: visibleOrganizations(request.identity) });
  }
}
