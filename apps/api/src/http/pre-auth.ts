import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '@app/auth';
import { DomainError, ROLE_RANK } from '@app/core';
import { BODY_METHODS, sendError } from './errors';
import { routeKey, RouteInfo } from './routes';
import { readAccessToken } from './session-token';

/**
 * Authenticates requests that carry a body before Fastify reads it: a 200 MB upload without a
 * valid token (bearer or session cookie), or from a role the route refuses, is answered 401/403
 * at once and costs no memory. It mirrors the global AccessGuard cheaply (signature and the
 * token's role); the guard still does the full check (the user as now, the unit scope).
 */
export function authenticateBeforeBody(app: NestFastifyApplication, routes: RouteInfo[]): void {
  const byKey = new Map(routes.map((r) => [routeKey(r.method, r.path), r]));
  const auth = app.get(AuthService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (!BODY_METHODS.has(req.method) || req.routeOptions.url === undefined) return;
      const route = byKey.get(routeKey(req.method, req.routeOptions.url));
      if (!route || route.isPublic) return;
      try {
        const token = readAccessToken(req);
        if (!token) throw new DomainError('UNAUTHENTICATED', 'Missing bearer token');
        const claims = await auth.verify(token);
        const needed = route.rootAdmin && !route.rootAdmin.whenBody ? 'admin' : route.minRole;
        if (needed && ROLE_RANK[claims.role] < ROLE_RANK[needed]) {
          throw new DomainError('FORBIDDEN_SCOPE', `This needs the ${needed} role or higher`, { requiredRole: needed, role: claims.role });
        }
      } catch (error) {
        return sendError(reply, error);
      }
    });
}
