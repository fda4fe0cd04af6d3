import { createHmac, timingSafeEqual } from 'node:crypto';

/** The web app's session: the access token in an HttpOnly cookie, and a CSRF token the app echoes in a header. */
export const SESSION_COOKIE = 'ct_session';
export const CSRF_COOKIE = 'ct_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing: a cookie-authenticated request with any other method needs the CSRF header. */
export const SAFE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/**
 * The CSRF token of a session: an HMAC of the session token under the server's secret (a "signed
 * double submit"). It is unguessable without the secret and bound to that one session, so a cookie
 * planted by a sibling subdomain cannot be paired with a header of the attacker's choosing.
 */
export function csrfTokenFor(sessionToken: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

/** True when the header equals the CSRF cookie and both are this session's token (constant time). */
export function csrfMatches(sessionToken: string, secret: string, cookie: string | undefined, header: string | undefined): boolean {
  if (!cookie || !header) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken, secret));
  const a = Buffer.from(cookie);
  const b = Buffer.from(header);
  return a.length === expected.length && b.length === expected.length && timingSafeEqual(a, expected) && timingSafeEqual(b, expected);
}

/** Reads one cookie from a Cookie header (the guard also runs where @fastify/cookie has not parsed it). */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const raw = Array.isArray(header) ? header.join('; ') : header;
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}
