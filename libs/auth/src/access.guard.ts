import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, INT4_MAX, Role } from '@app/core';
import type { AuthUser, TokenClaims } from './auth-user';
import { AuthService } from './auth.service';
import { MIN_ROLE_KEY, PUBLIC_KEY, ROOT_ADMIN_KEY, RootAdminOptions, UNIT_SCOPE_KEY, UnitScopeSource } from './decorators';
import { ScopeService } from './scope.service';
import { CSRF_COOKIE, CSRF_HEADER, readCookie, SAFE_METHODS, SESSION_COOKIE } from './session';
import { UsersService } from './users.service';

interface GuardedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  user?: AuthUser;
}

/**
 * The one global guard: a valid bearer token or web session cookie (unless @Public; a
 * cookie-authenticated write also needs the CSRF header), the route's minimum role,
 * and the unit the route names inside the caller's subtree (@UnitScope).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly scope: ScopeService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const claims = await this.verifyToken(request);
    const source = this.reflector.getAllAndOverride<UnitScopeSource | undefined>(UNIT_SCOPE_KEY, targets);
    const unitId = source ? unitIdFrom(request, source) : undefined;
    // One round trip: the caller as it is now, and the path of the unit the route names.
    const found = await this.users.findAuthUserAndUnit(claims.sub, unitId ?? null);
    if (!found) throw new DomainError('UNAUTHENTICATED', 'The user of this token no longer exists');
    const { user, unitPath } = found;
    request.user = user;

    const minRole = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE_KEY, targets);
    if (minRole) this.scope.assertRole(user, minRole);
    const rootAdmin = this.reflector.getAllAndOverride<RootAdminOptions | undefined>(ROOT_ADMIN_KEY, targets);
    if (rootAdmin && (!rootAdmin.whenBody || bodyField(request, rootAdmin.whenBody) !== undefined)) {
      await this.scope.assertRootAdmin(user);
    }
    if (unitId !== undefined) this.scope.assertPathInScope(user, unitId, unitPath);
    return true;
  }

  /**
   * The bearer token when there is an Authorization header (API clients: no CSRF, as before),
   * else the web app's session cookie, whose writes must echo the CSRF cookie in x-csrf-token.
   */
  private async verifyToken(request: GuardedRequest): Promise<TokenClaims> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      if (!match) throw new DomainError('UNAUTHENTICATED', 'Missing bearer token');
      return this.auth.verify(match[1]);
    }
    const session = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!session) throw new DomainError('UNAUTHENTICATED', 'Missing bearer token or session cookie');
    const claims = await this.auth.verify(session);
    if (!SAFE_METHODS.includes(request.method.toUpperCase())) {
      const csrfHeader = request.headers[CSRF_HEADER];
      if (
        !this.auth.csrfMatches(
          session,
          readCookie(request.headers.cookie, CSRF_COOKIE),
          typeof csrfHeader === 'string' ? csrfHeader : undefined,
        )
      ) {
        throw new DomainError('CSRF_FAILED', 'A write from the web session needs the x-csrf-token header equal to the ct_csrf cookie');
      }
    }
    return claims;
  }
}

function bodyField(request: GuardedRequest, field: string): unknown {
  return request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>)[field] : undefined;
}

/**
 * The unit id a route names, or undefined when it names none (or something validation refuses).
 * A string that is a number but not written as plain digits ("1.0", "+1", " 1") is refused here:
 * validation would coerce it to that number after this check, and the scope must be checked on
 * the id that is actually used.
 */
function unitIdFrom(request: GuardedRequest, source: UnitScopeSource): number | undefined {
  const field = source.param ?? source.query ?? source.body ?? 'unitId';
  const raw = source.param
    ? request.params?.[source.param]
    : source.query
      ? request.query?.[source.query]
      : source.body && request.body && typeof request.body === 'object'
        ? (request.body as Record<string, unknown>)[source.body]
        : undefined;
  // Not an id at all (or outside int4): validation refuses it with the other fields.
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 1 && raw <= INT4_MAX ? raw : undefined;
  if (typeof raw !== 'string' || raw === '') return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id)) return undefined;
  if (String(id) !== raw) throw DomainError.validation([{ field, reason: 'must be a unit id written as plain digits' }]);
  if (id < 1 || id > INT4_MAX) throw DomainError.validation([{ field, reason: `must be a unit id from 1 to ${INT4_MAX}` }]);
  return id;
}
