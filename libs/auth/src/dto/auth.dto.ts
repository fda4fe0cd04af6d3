import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { IsDbInt, IsOmittable, ROLES, Role, TIERS, Tier } from '@app/core';

export class LoginDto {
  @IsEmail()
  email: string;

  @IsString()
  @MaxLength(200)
  password: string;
}

export class CreateUserDto {
  @IsEmail()
  email: string;

  @IsString()
  @Length(1, 200)
  name: string;

  /** At least 10 characters; common passwords and the user's own email are refused. */
  @IsString()
  @Length(10, 200)
  password: string;

  @IsIn(ROLES)
  role: Role;

  @IsDbInt()
  unitId: number;
}

export class ListUsersQuery {
  @IsOptional()
  @Type(() => Number)
  @IsDbInt()
  unitId?: number;
}

export class UserDto {
  id: number;
  email: string;
  name: string;
  role: Role;
  unitId: number;
}

/** A user as administrators see them: with the unit's name and whether the account is disabled. */
export class AdminUserDto extends UserDto {
  unitName: string;
  unitCode: string;
  /** A disabled account cannot log in, and its tokens no longer work. */
  disabled: boolean;
}

/** What an administrator changes on a user in their subtree; fields left out keep their value. */
export class UpdateUserDto {
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  /** true disables the account (it cannot log in; its tokens stop working), false enables it again. */
  @IsOmittable()
  @IsBoolean()
  disabled?: boolean;
}

export class LoginResultDto {
  accessToken: string;
  user: UserDto;
}

/** The caller's unit, as the web app shows it in its header. */
export class MeUnitDto {
  @ApiProperty()
  id: number;
  @ApiProperty()
  code: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: TIERS, enumName: 'Tier' })
  tier: Tier;
}

export class MeDto extends UserDto {
  @ApiProperty({ type: () => MeUnitDto })
  unit: MeUnitDto;
}
