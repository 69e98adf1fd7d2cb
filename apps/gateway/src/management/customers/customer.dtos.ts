import { MODEL_REGIONS, type CustomerInput, type ModelRegion } from '@tollgate/tenancy';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false };

/**
 * /customer/new and /customer/update (LiteLLM's names). Inline limits create or change the customer's own
 * budget; `budget_id` links an existing one instead (both at once is a 400 from the service).
 */
export class CustomerDto implements CustomerInput {
  @IsString() @IsNotEmpty() user_id!: string;
  @IsOptional() @IsString() alias?: string | null;
  @IsOptional() @IsBoolean() blocked?: boolean | null;
  @IsOptional() @IsString() @IsNotEmpty() budget_id?: string | null;
  @IsOptional() @IsIn(MODEL_REGIONS) allowed_model_region?: ModelRegion | null;
  @IsOptional() @IsString() default_model?: string | null;
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget?: number | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) soft_budget?: number | null;
  @IsOptional() @IsInt() @Min(0) max_parallel_requests?: number | null;
  @IsOptional() @IsInt() @Min(0) tpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) rpm_limit?: number | null;
  @IsOptional() @IsString() budget_duration?: string | null;
  @IsOptional() @IsObject() model_max_budget?: Record<string, unknown> | null;
}

export class CustomerIdsDto {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) @IsNotEmpty({ each: true }) user_ids!: string[];
}

export class CustomerInfoQueryDto {
  @IsString() @IsNotEmpty() end_user_id!: string;
}

export class CustomerListQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) page_size?: number;
}
