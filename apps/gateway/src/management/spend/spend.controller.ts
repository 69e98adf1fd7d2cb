import { managementValidation } from '../management-validation.pipe';
import { Controller, Get, Headers, Query, Req, Res, UseGuards, UsePipes } from '@nestjs/common';
import { globalSpend, SpendLogReader, SpendReporter } from '@tollgate/tenancy';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';
import { GatewayRuntime } from '../../gateway-runtime';
import { ManagementAccess } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { globalMaxBudget } from './global-max-budget';
import { SpendLogsQueryDto, SpendReportQueryDto } from './spend.dtos';

/**
 * LiteLLM's spend routes. Request logs are readable by any user, scoped by the reader to what they may see;
 * the global total and the report cover everyone, so they are for proxy admins and viewers.
 */
@Controller()
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class SpendController {
  constructor(
    private readonly logs: SpendLogReader,
    private readonly reporter: SpendReporter,
    private readonly runtime: GatewayRuntime,
  ) {}

  /**
   * `{data, total, page, page_size, total_pages}`; with `summarize=false`, LiteLLM's plain list of the page's
   * rows, its paging in `x-total-count`, `x-page`, `x-page-size` and `x-total-pages`.
   */
  @Get('spend/logs')
  @ManagementAccess('any_user')
  async spendLogs(@Req() request: AuthenticatedRequest, @Query() query: SpendLogsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const page = await this.logs.list(request.identity, query);
    if (query.summarize !== 'false') return page;
    reply.header('x-total-count', String(page.total));
    reply.header('x-page', String(page.page));
    reply.header('x-page-size', String(page.page_size));
    reply.header('x-total-pages', String(page.total_pages));
    return page.data;
  }

  @Get('global/spend')
  @ManagementAccess('admin_or_viewer')
  global() {
    return globalSpend(this.runtime.db, globalMaxBudget(this.runtime.config));
  }

  @Get('global/spend/report')
  @ManagementAccess('admin_or_viewer')
  async report(@Query() query: SpendReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const answer = await this.reporter.report(query, accept);
    if (answer.format === 'json') return answer.body;
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${answer.filename}"`);
    return answer.body;
  }
}
