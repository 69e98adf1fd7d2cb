import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards, UsePipes } from '@nestjs/common';
import { CustomerAdmin } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { GatewayRuntime } from '../../gateway-runtime';
import { reloadingEndUsers } from '../end-user-refresh';
import { ManagementAccess, actorOf } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { CustomerDto, CustomerIdsDto, CustomerInfoQueryDto, CustomerListQueryDto } from './customer.dtos';

const actor = (request: AuthenticatedRequest) => actorOf(request.identity, request.headers);

/**
 * LiteLLM's `/customer/*` routes (and their older `/end_user/*` names) for end users: the `user` of an
 * OpenAI request. Proxy admins write; proxy admin viewers read.
 */
@Controller()
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class CustomersController {
  constructor(
    private readonly customers: CustomerAdmin,
    private readonly runtime: GatewayRuntime,
  ) {}

  @Post(['customer/new', 'end_user/new'])
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  create(@Req() request: AuthenticatedRequest, @Body() body: CustomerDto) {
    return reloadingEndUsers(this.runtime, this.customers.create(body, actor(request)));
  }

  @Post(['customer/update', 'end_user/update'])
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  update(@Req() request: AuthenticatedRequest, @Body() body: CustomerDto) {
    return reloadingEndUsers(this.runtime, this.customers.update(body, actor(request)));
  }

  @Post(['customer/delete', 'end_user/delete'])
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  remove(@Req() request: AuthenticatedRequest, @Body() body: CustomerIdsDto) {
    return reloadingEndUsers(this.runtime, this.customers.delete([...new Set(body.user_ids)], actor(request)));
  }

  @Post(['customer/block', 'end_user/block'])
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  block(@Req() request: AuthenticatedRequest, @Body() body: CustomerIdsDto) {
    return reloadingEndUsers(this.runtime, this.customers.block([...new Set(body.user_ids)], actor(request)));
  }

  @Post(['customer/unblock', 'end_user/unblock'])
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  unblock(@Req() request: AuthenticatedRequest, @Body() body: CustomerIdsDto) {
    return reloadingEndUsers(this.runtime, this.customers.unblock([...new Set(body.user_ids)], actor(request)));
  }

  @Get(['customer/info', 'end_user/info'])
  @ManagementAccess('admin_or_viewer')
  info(@Query() query: CustomerInfoQueryDto) {
    return this.customers.info(query.end_user_id);
  }

  @Get(['customer/list', 'end_user/list'])
  @ManagementAccess('admin_or_viewer')
  list(@Query() query: CustomerListQueryDto) {
    return this.customers.list(query);
  }
}
