import type { AuditQuery } from '@tollgate/tenancy';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** Filters of GET /audit; `start`/`end` are checked (ISO 8601) by the reader, which names the field. */
export class AuditQueryDto implements AuditQuery {
  @IsOptional() @IsString() object_type?: string;
  @IsOptional() @IsString() object_id?: string;
  @IsOptional() @IsString() actor?: string;
  @IsOptional() @IsString() action?: string;
  @IsOptional() @IsString() start?: string;
  @IsOptional() @IsString() end?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) page_size?: number;
}
