import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthService, AuthUser, CurrentUser, LoginDto, LoginResultDto, LoginThrottlerGuard, Public, UserDto } from '@app/auth';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Exchanges email and password for a bearer token; throttled per address and email (429 RATE_LIMITED). */
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() dto: LoginDto): Promise<LoginResultDto> {
    return this.auth.login(dto);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser): UserDto {
    return { id: user.id, email: user.email, name: user.name, role: user.role, unitId: user.unitId };
  }
}
