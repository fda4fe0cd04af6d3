import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { DbIntPipe } from '@app/core';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  AdminUserDto,
  AuthUser,
  CreateUserDto,
  CurrentUser,
  ListUsersQuery,
  MinRole,
  UnitScope,
  UpdateUserDto,
  UserDto,
  UsersService,
} from '@app/auth';

@ApiTags('users')
@ApiBearerAuth()
@MinRole('admin')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @UnitScope({ body: 'unitId' })
  create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto);
  }

  @Get()
  @UnitScope({ query: 'unitId' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListUsersQuery): Promise<AdminUserDto[]> {
    return this.users.list(user.unitPath, query.unitId);
  }

  /** Renames, changes the role of, disables (`disabled: true`) or enables a user of a unit in the caller's subtree. */
  @Patch(':id')
  update(@Param('id', DbIntPipe) id: number, @Body() dto: UpdateUserDto, @CurrentUser() user: AuthUser): Promise<AdminUserDto> {
    return this.users.update(id, dto, user);
  }
}
