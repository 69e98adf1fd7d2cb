import { managementValidation } from '../management-validation.pipe';
import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards, UsePipes } from '@nestjs/common';
import { BudgetAdmin } from '@tollgate/tenancy';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { GatewayRuntime } from '../../gateway-runtime';
import { reloadingEndUsers } from '../end-user-refresh';
import { ManagementAccess, actorOf } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { BudgetIdsDto, BudgetInfoQueryDto, DeleteBudgetDto, NewBudgetDto, UpdateBudgetDto } from './budget.dtos';

const actor = (request: AuthenticatedRequest) => actorOf(request.identity, request.headers);

/** LiteLLM's `/budget/*` routes for reusable budgets. Proxy admins write; proxy admin viewers read. */
@Controller('budget')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class BudgetsController {
  constructor(
    private readonly budgets: BudgetAdmin,
    private readonly runtime: GatewayRuntime,
  ) {}

  @Post('new')
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  create(@Req() request: AuthenticatedRequest, @Body() body: NewBudgetDto) {
    return this.budgets.create(body, actor(request));
  }

  @Post('update')
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  update(@Req() request: AuthenticatedRequest, @Body() body: UpdateBudgetDto) {
    return reloadingEndUsers(this.runtime, this.budgets.update(body, actor(request)));
  }

  @Post('delete')
  @HttpCode(200)
  @ManagementAccess('proxy_admin')
  remove(@Req() request: AuthenticatedRequest, @Body() body: DeleteBudgetDto) {
    return reloadingEndUsers(this.runtime, this.budgets.delete(body.id, actor(request)));
  }

  /** LiteLLM's form: `{budgets: [ids]}` in the body, answered with the list of those budgets. */
  @Post('info')
  @HttpCode(200)
  @ManagementAccess('admin_or_viewer')
  infoMany(@Body() body: BudgetIdsDto) {
    return this.budgets.info([...new Set(body.budgets)]);
  }

  @Get('info')
  @ManagementAccess('admin_or_viewer')
  async info(@Query() query: BudgetInfoQueryDto) {
    const [budget] = await this.budgets.info([query.budget_id], 'budget_id');
    return budget;
  }

  @Get('list')
  @ManagementAccess('admin_or_viewer')
  list() {
    return this.budgets.list();
  }
}
