import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { Env } from '@app/core';
import { OrgModule } from '@app/org';
import { AccessGuard } from './access.guard';
import { AuthService } from './auth.service';
import { FirstStartService } from './first-start.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { ScopeService } from './scope.service';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Users, login, and the global guard that enforces role and unit scope on every route. */
@Module({
  imports: [
    OrgModule,
    JwtModule.registerAsync({
      inject: [Env],
      useFactory: (env: Env) => ({
        // A KeyObject, not the string: jsonwebtoken would otherwise try (and fail) to parse the
        // string as a public key on every verification — the largest CPU cost of a request.
        secret: createSecretKey(Buffer.from(env.JWT_SECRET, 'utf8')),
        signOptions: { expiresIn: /^\d+$/.test(env.JWT_EXPIRES_IN) ? Number(env.JWT_EXPIRES_IN) : (env.JWT_EXPIRES_IN as `${number}h`) },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [Env],
      useFactory: (env: Env) => [{ name: 'login', ttl: env.LOGIN_RATE_TTL_SECONDS * 1000, limit: env.LOGIN_RATE_LIMIT }],
    }),
  ],
  providers: [
    AuthService,
    UsersRepository,
    UsersService,
    ScopeService,
    FirstStartService,
    LoginThrottlerGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, UsersService, ScopeService, LoginThrottlerGuard],
})
export class AuthModule {}
