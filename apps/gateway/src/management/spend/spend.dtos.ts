import type { SpendLogQuery, SpendReportQuery } from '@tollgate/tenancy';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';

/**
 * GET /spend/logs. Query values arrive as text; a repeated single-valued parameter arrives as a list and is
 * refused by `IsString`. Ranges (page bounds, dates, summarize) are checked by the reader, which names the
 * parameter in the 400.
 */
export class SpendLogsQueryDto implements SpendLogQuery {
  @IsOptional() @IsString() api_key?: string;
  @IsOptional() @IsString() user_id?: string;
  @IsOptional() @IsString() team_id?: string;
  @IsOptional() @IsString() model?: string;
  @IsOptional() @IsString({ each: true }) tags?: string | string[];
  @IsOptional() @IsString({ each: true }) tag?: string | string[];
  @IsOptional() @IsString() request_id?: string;
  @IsOptional() @IsString() start_date?: string;
  @IsOptional() @IsString() end_date?: string;
  @IsOptional() @Type(() => Number) @IsInt() page?: number;
  @IsOptional() @Type(() => Number) @IsInt() page_size?: number;
  @IsOptional() @IsString() summarize?: string;
}

/** GET /global/spend/report; group_by, format and the days are checked by the reporter. */
export class SpendReportQueryDto implements SpendReportQuery {
  @IsOptional() @IsString() start_date?: string;
  @IsOptional() @IsString() end_date?: string;
  @IsOptional() @IsString() group_by?: string;
  @IsOptional() @IsString() format?: string;
  // Declared so that they reach the reporter, which refuses them (unknown parameters are dropped silently).
  @IsOptional() @IsString() api_key?: string;
  @IsOptional() @IsString() internal_user_id?: string;
  @IsOptional() @IsString() team_id?: string;
  @IsOptional() @IsString() customer_id?: string;
}
