import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthService, AuthUser, CurrentUser, LoginDto, LoginResultDto, Public, UserDto } from '@app/auth';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Exchanges email and password for a bearer token. Throttled per account and per client address
   * (429 RATE_LIMITED, `details.retryAfterSeconds`); password hashing is bounded.
   */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResultDto> {
    return this.auth.login(dto, ip);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser): UserDto {
    return { id: user.id, email: user.email, name: user.name, role: user.role, unitId: user.unitId };
  }
}
