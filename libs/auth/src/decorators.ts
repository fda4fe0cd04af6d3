import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@app/core';
import type { AuthUser } from './auth-user';

export const PUBLIC_KEY = 'auth:public';
export const MIN_ROLE_KEY = 'auth:minRole';
export const UNIT_SCOPE_KEY = 'auth:unitScope';
export const ROOT_ADMIN_KEY = 'auth:rootAdmin';

/** No token needed (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The lowest role allowed: viewer < editor < supervisor < admin. */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE_KEY, role);

/** Where a route names the unit it acts on; the guard refuses units outside the caller's subtree. */
export interface UnitScopeSource {
  param?: string;
  query?: string;
  body?: string;
}
export const UnitScope = (source: UnitScopeSource) => SetMetadata(UNIT_SCOPE_KEY, source);

/**
 * Reaches beyond any subtree (the holiday calendar, new plans, a sweep as of another day): only an
 * admin of the tree's root (API.md "Admin scope"). With `whenBody`, only when the body carries that
 * field (a sweep without `asOf` stays open to every admin).
 */
export interface RootAdminOptions {
  whenBody?: string;
}
export const RootAdmin = (options: RootAdminOptions = {}) => SetMetadata(ROOT_ADMIN_KEY, options);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
