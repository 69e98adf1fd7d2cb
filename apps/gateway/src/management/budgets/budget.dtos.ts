import type { BudgetLimitsInput, NewBudgetInput, UpdateBudgetInput } from '@tollgate/tenancy';
import { ArrayNotEmpty, IsArray, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false };

/** A budget's limits (LiteLLM's `BudgetNewRequest`); durations and `model_max_budget` entries are checked by the service. */
class BudgetLimitsDto implements BudgetLimitsInput {
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget?: number | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) soft_budget?: number | null;
  @IsOptional() @IsInt() @Min(0) max_parallel_requests?: number | null;
  @IsOptional() @IsInt() @Min(0) tpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) rpm_limit?: number | null;
  @IsOptional() @IsString() budget_duration?: string | null;
  @IsOptional() @IsObject() model_max_budget?: Record<string, unknown> | null;
}

export class NewBudgetDto extends BudgetLimitsDto implements NewBudgetInput {
  @IsOptional() @IsString() @IsNotEmpty() budget_id?: string;
}

export class UpdateBudgetDto extends BudgetLimitsDto implements UpdateBudgetInput {
  @IsString() @IsNotEmpty() budget_id!: string;
}

export class DeleteBudgetDto {
  @IsString() @IsNotEmpty() id!: string;
}

export class BudgetIdsDto {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) budgets!: string[];
}

export class BudgetInfoQueryDto {
  @IsString() @IsNotEmpty() budget_id!: string;
}
