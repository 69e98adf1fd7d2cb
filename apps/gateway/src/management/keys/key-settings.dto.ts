import { IsArray, IsBoolean, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, Min } from 'class-validator';
import type { KeySettingsInput } from '@tollgate/tenancy';

const FINITE = { allowNaN: false, allowInfinity: false };

/**
 * The settings every key route accepts, with LiteLLM's field names. Types are checked here; values
 * (durations, limits inside maps, ownership) are checked by the key service, which names the field in its 400.
 */
export class KeySettingsDto implements KeySettingsInput {
  @IsOptional() @IsString() key_alias?: string | null;
  @IsOptional() @IsString() duration?: string | null;
  @IsOptional() @IsISO8601({ strict: true }) expires?: string | null;
  @IsOptional() @IsArray() @IsString({ each: true }) models?: string[] | null;
  @IsOptional() @IsObject() aliases?: Record<string, string> | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget?: number | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) spend?: number;
  @IsOptional() @IsNumber(FINITE) @Min(0) soft_budget?: number | null;
  @IsOptional() @IsString() budget_duration?: string | null;
  @IsOptional() @IsString() budget_id?: string | null;
  @IsOptional() @IsInt() @Min(0) tpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) rpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) max_parallel_requests?: number | null;
  @IsOptional() @IsObject() model_max_budget?: Record<string, unknown> | null;
  @IsOptional() @IsObject() model_rpm_limit?: Record<string, number> | null;
  @IsOptional() @IsObject() model_tpm_limit?: Record<string, number> | null;
  @IsOptional() @IsObject() metadata?: Record<string, unknown> | null;
  @IsOptional() @IsArray() @IsString({ each: true }) tags?: string[] | null;
  @IsOptional() @IsObject() permissions?: Record<string, unknown> | null;
  @IsOptional() @IsArray() @IsString({ each: true }) allowed_routes?: string[] | null;
  @IsOptional() @IsArray() @IsString({ each: true }) guardrails?: string[] | null;
  @IsOptional() @IsBoolean() blocked?: boolean | null;
  @IsOptional() @IsString() team_id?: string | null;
  @IsOptional() @IsString() user_id?: string | null;
  @IsOptional() @IsString() organization_id?: string | null;
}
