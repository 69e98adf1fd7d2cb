import { USER_ROLES, type UserRole } from '@tollgate/auth';
import type { NewUserInput, UpdateUserInput, UserListQuery, UserSettingsInput } from '@tollgate/tenancy';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Settings shared by /user/new and /user/update; durations and emails' uniqueness are checked by the service. */
class UserSettingsDto implements UserSettingsInput {
  @IsOptional() @IsString() user_email?: string | null;
  @IsOptional() @IsString() user_alias?: string | null;
  @IsOptional() @IsIn(USER_ROLES) user_role?: UserRole | null;
  @IsOptional() @IsArray() @IsString({ each: true }) models?: string[] | null;
  @IsOptional() @IsNumber(FINITE) @Min(0) max_budget?: number | null;
  @IsOptional() @IsString() budget_duration?: string | null;
  @IsOptional() @IsInt() @Min(0) tpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) rpm_limit?: number | null;
  @IsOptional() @IsInt() @Min(0) max_parallel_requests?: number | null;
  @IsOptional() @IsObject() metadata?: Record<string, unknown> | null;
  @IsOptional() @IsBoolean() blocked?: boolean | null;
}

export class NewUserDto extends UserSettingsDto implements NewUserInput {
  @IsOptional() @IsString() @IsNotEmpty() user_id?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) teams?: string[];
  @IsOptional() @IsBoolean() auto_create_key?: boolean;
}

export class UpdateUserDto extends UserSettingsDto implements UpdateUserInput {
  @IsOptional() @IsString() @IsNotEmpty() user_id?: string;
  @IsOptional() @IsNumber(FINITE) @Min(0) spend?: number;
}

export class DeleteUsersDto {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) user_ids!: string[];
}

export class UserInfoQueryDto {
  @IsOptional() @IsString() @IsNotEmpty() user_id?: string;
}

export class UserListQueryDto implements UserListQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) page_size?: number;
  @IsOptional() @IsIn(USER_ROLES) role?: string;
  @IsOptional() @IsString() user_ids?: string;
  @IsOptional() @IsString() user_email?: string;
  @IsOptional() @IsString() team?: string;
}
