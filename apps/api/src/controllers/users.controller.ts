import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CreateUserDto, CurrentUser, ListUsersQuery, MinRole, UnitScope, UserDto, UsersService } from '@app/auth';

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
  list(@CurrentUser() user: AuthUser, @Query() query: ListUsersQuery): Promise<UserDto[]> {
    return this.users.list(user.unitPath, query.unitId);
  }
}
