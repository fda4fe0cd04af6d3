import type { FastifyRequest } from 'fastify';
import { readCookie, SESSION_COOKIE } from '@app/auth';

export { SESSION_COOKIE };

/**
 * The bearer token of a request, else the web app's session cookie (`ct_session`): the same order
 * as the AccessGuard, so the hooks that run before the body is read agree with it.
 */
export function readAccessToken(req: Pick<FastifyRequest, 'headers'>): string | undefined {
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  return bearer ?? readCookie(req.headers.cookie, SESSION_COOKIE);
}
