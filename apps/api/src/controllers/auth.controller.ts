import { Body, Controller, Get, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Env } from '@app/core';
import {
  AuthService,
  AuthUser,
  CSRF_COOKIE,
  CurrentUser,
  LoginDto,
  LoginResultDto,
  LoginThrottlerGuard,
  MeDto,
  Public,
  SESSION_COOKIE,
} from '@app/auth';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH } from '../queue-board';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly env: Env,
  ) {}

  /**
   * Exchanges email and password for a bearer token; throttled per address and email (429 RATE_LIMITED).
   * Also opens the web app's session: cookie `ct_session` (the token; HttpOnly, SameSite=Strict) and
   * cookie `ct_csrf`, which cookie-authenticated writes echo in the `x-csrf-token` header.
   */
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResultDto })
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResultDto> {
    const result = await this.auth.login(dto);
    const maxAge = this.auth.lifetimeOf(result.accessToken);
    const common = { path: '/', sameSite: 'strict' as const, secure: this.env.COOKIE_SECURE, maxAge };
    reply.setCookie(SESSION_COOKIE, result.accessToken, { ...common, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, this.auth.csrfToken(result.accessToken), { ...common, httpOnly: false });
    return result;
  }

  /** Ends the web session: clears its cookies and the queue board's (a bearer token stays valid until it expires). */
  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session cookies are cleared' })
  logout(@Res({ passthrough: true }) reply: FastifyReply): void {
    const common = { path: '/', sameSite: 'strict' as const, secure: this.env.COOKIE_SECURE };
    reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
    reply.clearCookie(CSRF_COOKIE, common);
    reply.clearCookie(QUEUE_BOARD_COOKIE, { path: QUEUE_BOARD_PATH, sameSite: 'strict', httpOnly: true, secure: this.env.COOKIE_SECURE });
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
