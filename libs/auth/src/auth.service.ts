import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@app/core';
import type { TokenClaims } from './auth-user';
import { LoginDto, LoginResultDto } from './dto/auth.dto';
import { hashPassword, UsersService } from './users.service';

@Injectable()
export class AuthService {
  // Verified against when the email is unknown, so both refusals take the same time.
  private readonly dummyHash = hashPassword(randomUUID());

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
  ) {}

  async login(dto: LoginDto): Promise<LoginResultDto> {
    const user = await this.users.findForLogin(dto.email);
    const ok = await argon2.verify(user?.passwordHash ?? (await this.dummyHash), dto.password).catch(() => false);
    if (!user || !ok) throw new DomainError('UNAUTHENTICATED', 'Wrong email or password');
    const claims: TokenClaims = { sub: user.id, role: user.role, unitId: user.unitId };
    const { passwordHash: _, ...publicUser } = user;
    return { accessToken: await this.jwt.signAsync(claims), user: publicUser };
  }

  async verify(token: string): Promise<TokenClaims> {
    try {
      return await this.jwt.verifyAsync<TokenClaims>(token);
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new DomainError('UNAUTHENTICATED', expired ? 'Token expired' : 'Invalid token');
    }
  }
}
