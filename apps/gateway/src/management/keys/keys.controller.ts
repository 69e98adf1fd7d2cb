import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards, UsePipes } from '@nestjs/common';
import { badRequest } from '@tollgate/common';
import { VirtualKeyQueries, VirtualKeyService, type KeyActor } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { GatewayRuntime } from '../../gateway-runtime';
import { ManagementAccess, actorOf } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { DeleteKeysDto, GenerateKeyDto, KeyInfoQuery, KeyRefDto, ListKeysQuery, RegenerateKeyDto, UpdateKeyDto } from './key-requests.dto';

function actor(request: AuthenticatedRequest): KeyActor {
  return { caller: request.identity, actor: actorOf(request.identity, request.headers) };
}

/**
 * LiteLLM's `/key/*` routes. Any authenticated caller gets in; the key service decides what each may see
 * or change (admins everything, users their own keys, team admins their team's keys).
 */
@Controller('key')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class KeysController {
  constructor(
    private readonly keys: VirtualKeyService,
    private readonly queries: VirtualKeyQueries,
    private readonly runtime: GatewayRuntime,
  ) {}

  @Post('generate')
  @HttpCode(200)
  @ManagementAccess('any_user')
  generate(@Req() request: AuthenticatedRequest, @Body() body: GenerateKeyDto) {
    return this.keys.generate(actor(request), body);
  }

  @Post('update')
  @HttpCode(200)
  @ManagementAccess('any_user')
  async update(@Req() request: AuthenticatedRequest, @Body() body: UpdateKeyDto) {
    const result = await this.keys.update(actor(request), body);
    // A new stored spend must replace the live one, which would otherwise keep counting from the old value.
    if (body.spend !== undefined) await this.runtime.limits.budgets.forget('key', String(result.key));
    return result;
  }

  @Post('delete')
  @HttpCode(200)
  @ManagementAccess('any_user')
  remove(@Req() request: AuthenticatedRequest, @Body() body: DeleteKeysDto) {
    return this.keys.remove(actor(request), body);
  }

  @Get('info')
  @ManagementAccess('any_user')
  info(@Req() request: AuthenticatedRequest, @Query() query: KeyInfoQuery) {
    return this.queries.info(request.identity, query.key);
  }

  @Get('list')
  @ManagementAccess('any_user')
  list(@Req() request: AuthenticatedRequest, @Query() query: ListKeysQuery) {
    return this.queries.list(request.identity, query);
  }

  @Post('regenerate')
  @HttpCode(200)
  @ManagementAccess('any_user')
  regenerate(@Req() request: AuthenticatedRequest, @Body() body: RegenerateKeyDto) {
    if (!body.key) throw badRequest('Name the key to regenerate in "key" (or call POST /key/{key}/regenerate).', 'key');
    return this.keys.regenerate(actor(request), { ...body, key: body.key });
  }

  @Post(':key/regenerate')
  @HttpCode(200)
  @ManagementAccess('any_user')
  regenerateNamed(@Req() request: AuthenticatedRequest, @Param('key') key: string, @Body() body: RegenerateKeyDto) {
    return this.keys.regenerate(actor(request), { ...body, key });
  }

  @Post('block')
  @HttpCode(200)
  @ManagementAccess('any_user')
  block(@Req() request: AuthenticatedRequest, @Body() body: KeyRefDto) {
    return this.keys.setBlocked(actor(request), body.key, true);
  }

  @Post('unblock')
  @HttpCode(200)
  @ManagementAccess('any_user')
  unblock(@Req() request: AuthenticatedRequest, @Body() body: KeyRefDto) {
    return this.keys.setBlocked(actor(request), body.key, false);
  }
}
