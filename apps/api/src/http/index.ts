import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from '@app/core';
import { refuseUnroutedRequests, stopReadingUnwantedBodies } from './errors';
import { rejectUnsafeStrings } from './input-guard';
import { authenticateBeforeBody } from './pre-auth';
import { collectRegisteredRoutes, describeRoutes } from './routes';
import { applySecurityHeaders } from './security-headers';

export { httpErrorOptions } from './errors';
export { StreamedJsonBody, streamJsonBodies } from './json-body';
export { describeRoutes, registeredRoutes, type RouteInfo } from './routes';
export { readAccessToken, SESSION_COOKIE } from './session-token';

/**
 * The HTTP-level defences, in the order their hooks must run: security headers; 405 / unknown
 * paths; authentication before a body is read; no NUL or lone surrogate in any string.
 */
export async function installHttpSecurity(app: NestFastifyApplication, env: Env): Promise<void> {
  const routes = describeRoutes(app);
  const fastify = app.getHttpAdapter().getInstance();
  collectRegisteredRoutes(fastify);
  await applySecurityHeaders(app, env);
  refuseUnroutedRequests(fastify, routes);
  stopReadingUnwantedBodies(fastify);
  authenticateBeforeBody(app, routes);
  rejectUnsafeStrings(fastify);
}
