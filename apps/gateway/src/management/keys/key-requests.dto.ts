import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import type { DeleteKeysInput, GenerateKeyInput, ListKeysInput, RegenerateKeyInput, UpdateKeyInput } from '@tollgate/tenancy';
import { KeySettingsDto } from './key-settings.dto';

/** Query flags arrive as text: `true`/`false` become booleans, anything else stays text and fails validation. */
const queryFlag = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class GenerateKeyDto extends KeySettingsDto implements GenerateKeyInput {
  @IsOptional() @IsString() key?: string | null;
}

export class UpdateKeyDto extends KeySettingsDto implements UpdateKeyInput {
  @IsString() @IsNotEmpty() key!: string;
}

/** `key` comes from the path on `/key/{key}/regenerate`, so it is optional here and checked by the controller. */
export class RegenerateKeyDto extends KeySettingsDto implements Omit<RegenerateKeyInput, 'key'> {
  @IsOptional() @IsString() key?: string;
  @IsOptional() @IsString() new_key?: string | null;
  @IsOptional() @IsString() grace_period?: string | null;
}

export class DeleteKeysDto implements DeleteKeysInput {
  @IsOptional() @IsArray() @IsString({ each: true }) keys?: string[] | null;
  @IsOptional() @IsArray() @IsString({ each: true }) key_aliases?: string[] | null;
}

export class KeyRefDto {
  @IsString() @IsNotEmpty() key!: string;
}

export class KeyInfoQuery {
  @IsOptional() @IsString() key?: string;
}

export class ListKeysQuery implements ListKeysInput {
  @IsOptional() @IsString() user_id?: string;
  @IsOptional() @IsString() team_id?: string;
  @IsOptional() @IsString() organization_id?: string;
  @IsOptional() @IsString() key_alias?: string;
  @IsOptional() @Transform(queryFlag) @IsBoolean() substring_matching?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) size?: number;
  @IsOptional() @Transform(queryFlag) @IsBoolean() return_full_object?: boolean;
}
