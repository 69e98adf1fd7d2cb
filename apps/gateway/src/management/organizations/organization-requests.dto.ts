import { ORG_ROLES } from '@tollgate/auth';
import type { OrganizationFields } from '@tollgate/tenancy';
import { ArrayNotEmpty, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, MaxLength, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Organization fields shared by /organization/new and /organization/update, with LiteLLM's names. */
export class OrganizationFieldsDto implements OrganizationFields {
  @IsOptional() @IsArray() @IsString({ each: true }) models?: string[] | null;
  @IsOptional() @IsObject() metadata?: Record<string, unknown> | null;
  @IsOptional() @IsBoolean() blocked?: boolean | null;
  @IsOptional() @IsString() budget_id?: string | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget?: number | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) soft_budget?: number | null;
  @IsOptional() @IsInt() @Min(0) tpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) rpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) max_parallel_requests?: number | null;
  @IsOptional() @IsString() budget_duration?: string | null;
  @IsOptional() @IsObject() model_max_budget?: Record<string, unknown> | null;
}

export class NewOrganizationDto extends OrganizationFieldsDto {
  @IsString() @IsNotEmpty() @MaxLength(200) organization_alias!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) organization_id?: string;
}

export class UpdateOrganizationDto extends OrganizationFieldsDto {
  @IsString() @IsNotEmpty() organization_id!: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) organization_alias?: string;
}

export class DeleteOrganizationsDto {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) organization_ids!: string[];
}

export class OrganizationRefQuery {
  @IsString() @IsNotEmpty() organization_id!: string;
}

export class ListOrganizationsQuery {
  @IsOptional() @IsString() org_id?: string;
  @IsOptional() @IsString() org_alias?: string;
}

export class OrganizationMemberAddDto {
  @IsString() @IsNotEmpty() organization_id!: string;
  /** One `{role, user_id | user_email}` or a list of them, checked by parseMembers. */
  @IsDefined({ message: 'member is required: {"role": "internal_user", "user_id": "..."} or a list of them' }) member!: unknown;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget_in_organization?: number | null;
}

export class OrganizationMemberRefDto {
  @IsString() @IsNotEmpty() organization_id!: string;
  @IsOptional() @IsString() user_id?: string | null;
  @IsOptional() @IsString() user_email?: string | null;
}

export class OrganizationMemberUpdateDto extends OrganizationMemberRefDto {
  @IsOptional() @IsIn(ORG_ROLES as unknown as string[]) role?: string;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget_in_organization?: number | null;
}
