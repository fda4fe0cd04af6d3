import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import { DomainError, Env, INT4_MAX, ROLES } from '@app/core';
import { UnitsRepository } from '@app/org';
import type { AuthUser, TokenClaims } from './auth-user';
import { LoginDto, LoginResultDto, MeDto } from './dto/auth.dto';
import { HashLimiter } from './hash-limiter';
import { LoginLimiter } from './login-limiter';
import { csrfMatches, csrfTokenFor } from './session';
import { hashPassword, UsersService } from './users.service';

/** Tokens whose signature was checked, kept until they expire (the oldest forgotten first): the signature is not checked again. */
const VERIFIED_TOKENS_KEPT = 2000;

@Injectable()
export class AuthService {
  /** Keyed by the whole token, signature included: only the exact token verified before matches. */
  private readonly verified = new Map<string, { claims: TokenClaims; exp: number }>();
  // Verified against when the email is unknown, so both refusals take the same time.
  private readonly dummyHash = hashPassword(randomUUID());

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly limiter: LoginLimiter,
    private readonly hashing: HashLimiter,
    private readonly env: Env,
    private readonly units: UnitsRepository,
  ) {}

  /** The caller with their unit. */
  async me(user: AuthUser): Promise<MeDto> {
    const unit = await this.units.findById(user.unitId);
    if (!unit) throw DomainError.notFound('Unit', user.unitId);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      unitId: user.unitId,
      unit: { id: unit.id, code: unit.code, name: unit.name, tier: unit.tier },
    };
  }

  /** `address` is the client's address: attempts are counted per account and per address before any hashing. */
  async login(dto: LoginDto, address: string): Promise<LoginResultDto> {
    await this.limiter.hit(dto.email, address);
    const user = await this.users.findForLogin(dto.email);
    const hash = user?.passwordHash ?? (await this.dummyHash);
    const ok = await this.hashing.run(address, () => argon2.verify(hash, dto.password).catch(() => false));
    if (!user || !ok) throw new DomainError('UNAUTHENTICATED', 'Wrong email or password');
    const claims: TokenClaims = { sub: user.id, role: user.role, unitId: user.unitId };
    const { passwordHash: _, ...publicUser } = user;
    return { accessToken: await this.jwt.signAsync(claims), user: publicUser };
  }

  /** The web session's CSRF token for this access token (see session.ts). */
  csrfToken(sessionToken: string): string {
    return csrfTokenFor(sessionToken, this.env.JWT_SECRET);
  }

  csrfMatches(sessionToken: string, cookie: string | undefined, header: string | undefined): boolean {
    return csrfMatches(sessionToken, this.env.JWT_SECRET, cookie, header);
  }

  /** Seconds the token stays valid (its exp - iat), for the session cookie's Max-Age. */
  lifetimeOf(token: string): number {
    const claims = this.jwt.decode<{ iat?: number; exp?: number }>(token);
    return claims?.exp && claims.iat ? claims.exp - claims.iat : 0;
  }

  /** The claims of a token this API signed; anything else (including a signed token with claims we never issue) is 401. */
  async verify(token: string): Promise<TokenClaims> {
    // The same token comes back with every request of a session (twice per write: before the body and in the guard).
    const known = this.verified.get(token);
    if (known && known.exp * 1000 > Date.now()) return known.claims;
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new DomainError('UNAUTHENTICATED', expired ? 'Token expired' : 'Invalid token');
    }
    const { sub, role } = claims as { sub: unknown; role: unknown };
    if (typeof sub !== 'number' || !Number.isInteger(sub) || sub < 1 || sub > INT4_MAX || !(ROLES as readonly unknown[]).includes(role)) {
      throw new DomainError('UNAUTHENTICATED', 'Invalid token');
    }
    const exp = (claims as { exp?: unknown }).exp;
    if (typeof exp === 'number') {
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, { claims, exp });
    }
    return claims;
  }
}
