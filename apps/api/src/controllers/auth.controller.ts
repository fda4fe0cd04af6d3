import { Body, Controller, Get, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Env } from '@app/core';
import { AuthService, AuthUser, CSRF_COOKIE, CurrentUser, LoginDto, LoginResultDto, MeDto, Public, SESSION_COOKIE } from '@app/auth';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly env: Env,
  ) {}

  /**
   * Exchanges email and password for a bearer token. Throttled per account and per client address
   * (429 RATE_LIMITED, `details.retryAfterSeconds`); password hashing is bounded.
   * Also opens the web app's session: cookie `ct_session` (the token; HttpOnly, SameSite=Strict) and
   * cookie `ct_csrf`, which cookie-authenticated writes echo in the `x-csrf-token` header.
   */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResultDto })
  async login(@Body() dto: LoginDto, @Ip() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResultDto> {
    const result = await this.auth.login(dto, ip);
    const maxAge = this.auth.lifetimeOf(result.accessToken);
    const common = { path: '/', sameSite: 'strict' as const, secure: this.env.COOKIE_SECURE, maxAge };
    reply.setCookie(SESSION_COOKIE, result.accessToken, { ...common, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, this.auth.csrfToken(result.accessToken), { ...common, httpOnly: false });
    return result;
  }

  /** Ends the web session: clears its cookies (the queue board uses the same session; a bearer token stays valid until it expires). */
  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session cookies are cleared' })
  logout(@Res({ passthrough: true }) reply: FastifyReply): void {
    const common = { path: '/', sameSite: 'strict' as const, secure: this.env.COOKIE_SECURE };
    reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
    reply.clearCookie(CSRF_COOKIE, common);
  }

  /** The caller and their unit. */
  @ApiBearerAuth()
  @ApiCookieAuth()
  @Get('me')
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.auth.me(user);
  }
}
