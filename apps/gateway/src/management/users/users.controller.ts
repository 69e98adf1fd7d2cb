import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards, UsePipes } from '@nestjs/common';
import { UserAdmin, UserDirectory, VirtualKeyService } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { GatewayRuntime } from '../../gateway-runtime';
import { ManagementAccess, actorOf } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { userToRead, userUpdateCheck } from './user-access';
import { DeleteUsersDto, NewUserDto, UpdateUserDto, UserInfoQueryDto, UserListQueryDto } from './user.dtos';

/** LiteLLM's `/user/*` routes for internal users (people with a global role). */
@Controller('user')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class UsersController {
  constructor(
    private readonly users: UserAdmin,
    private readonly directory: UserDirectory,
    private readonly keys: VirtualKeyService,
    private readonly runtime: GatewayRuntime,
  ) {}

  /** Proxy admins only (so only they create admins); the personal key is issued by the key service. */
  @Post('new')
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  create(@Req() request: AuthenticatedRequest, @Body() body: NewUserDto) {
    const actor = actorOf(request.identity, request.headers);
    return this.users.create(body, actor, (userId) => this.keys.generate({ caller: request.identity, actor }, { user_id: userId }));
  }

  @Post('update')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async update(@Req() request: AuthenticatedRequest, @Body() body: UpdateUserDto) {
    const check = userUpdateCheck(request.identity, body);
    const result = await this.users.update(body, actorOf(request.identity, request.headers), check);
    // A new stored spend must replace the live one, which would otherwise keep counting from the old value.
    if (body.spend !== undefined) await this.runtime.limits.budgets.forget('user', String(result.user_id));
    return result;
  }

  @Post('delete')
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  remove(@Req() request: AuthenticatedRequest, @Body() body: DeleteUsersDto) {
    return this.users.delete(body.user_ids, actorOf(request.identity, request.headers));
  }

  @Get('info')
  @ManagementAccess('any_user')
  info(@Req() request: AuthenticatedRequest, @Query() query: UserInfoQueryDto) {
    return this.directory.info(userToRead(request.identity, query.user_id));
  }

  @Get('list')
  @ManagementAccess('admin_or_viewer')
  list(@Query() query: UserListQueryDto) {
    return this.directory.list(query);
  }
}
