import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsDbInt, ROLES, Role } from '@app/core';

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

export class LoginResultDto {
  accessToken: string;
  user: UserDto;
}
