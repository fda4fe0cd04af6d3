import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { Env } from '@app/core';
import { OrgModule } from '@app/org';
import { AccessGuard } from './access.guard';
import { AuthService } from './auth.service';
import { FirstStartService } from './first-start.service';
import { HashLimiter } from './hash-limiter';
import { LoginLimiter } from './login-limiter';
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
  ],
  providers: [
    AuthService,
    UsersRepository,
    UsersService,
    ScopeService,
    FirstStartService,
    LoginLimiter,
    HashLimiter,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, UsersService, ScopeService],
})
export class AuthModule {}
