import { TEAM_ROLES } from '@tollgate/auth';
import type { TeamFields } from '@tollgate/tenancy';
import { ArrayNotEmpty, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, MaxLength, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Team fields shared by /team/new and /team/update (LiteLLM's names; null clears on update). */
export class TeamFieldsDto implements TeamFields {
  @IsOptional() @IsString() @MaxLength(200) team_alias?: string | null;
  @IsOptional() @IsString() organization_id?: string | null;
  @IsOptional() @IsArray() @IsString({ each: true }) models?: string[] | null;
  @IsOptional() @IsObject() model_aliases?: Record<string, string> | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget?: number | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) soft_budget?: number | null;
  @IsOptional() @IsString() budget_duration?: string | null;
  @IsOptional() @IsInt() @Min(0) tpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) rpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) max_parallel_requests?: number | null;
  @IsOptional() @IsObject() model_rpm_limit?: Record<string, number> | null;
  @IsOptional() @IsObject() model_tpm_limit?: Record<string, number> | null;
  @IsOptional() @IsObject() model_max_budget?: Record<string, unknown> | null;
  @IsOptional() @IsArray() @IsString({ each: true }) team_member_permissions?: string[] | null;
  @IsOptional() @IsArray() @IsString({ each: true }) guardrails?: string[] | null;
  @IsOptional() @IsArray() @IsString({ each: true }) tags?: string[] | null;
  @IsOptional() @IsObject() metadata?: Record<string, unknown> | null;
  @IsOptional() @IsBoolean() blocked?: boolean | null;
}

export class NewTeamDto extends TeamFieldsDto {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) team_id?: string;
  /** `[{role, user_id | user_email}]`, checked by parseMembers (it may be one shape or another). */
  @IsOptional() @IsArray() members_with_roles?: unknown[];
}

export class UpdateTeamDto extends TeamFieldsDto {
  @IsString() @IsNotEmpty() team_id!: string;
}

export class TeamRefDto {
  @IsString() @IsNotEmpty() team_id!: string;
}

export class DeleteTeamsDto {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) team_ids!: string[];
}

export class ListTeamsQuery {
  @IsOptional() @IsString() user_id?: string;
  @IsOptional() @IsString() organization_id?: string;
}

export class TeamMemberAddDto {
  @IsString() @IsNotEmpty() team_id!: string;
  /** One `{role, user_id | user_email}` or a list of them, checked by parseMembers. */
  @IsDefined({ message: 'member is required: {"role": "user", "user_id": "..."} or a list of them' }) member!: unknown;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget_in_team?: number | null;
}

export class TeamMemberRefDto {
  @IsString() @IsNotEmpty() team_id!: string;
  @IsOptional() @IsString() user_id?: string | null;
  @IsOptional() @IsString() user_email?: string | null;
}

export class TeamMemberUpdateDto extends TeamMemberRefDto {
  @IsOptional() @IsIn(TEAM_ROLES as unknown as string[]) role?: string;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget_in_team?: number | null;
}
