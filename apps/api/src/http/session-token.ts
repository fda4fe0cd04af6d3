import type { FastifyRequest } from 'fastify';

/** The web app's session cookie (HttpOnly JWT, set at login by the web branch's session support). */
export const SESSION_COOKIE = 'ct_session';

/** One cookie's value from the Cookie header, without needing a cookie plugin. */
export function readCookie(req: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The bearer token of a request, else its session cookie. */
export function readAccessToken(req: Pick<FastifyRequest, 'headers'>): string | undefined {
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  return bearer ?? readCookie(req, SESSION_COOKIE);
}
