import type { ApiResponse, TestApp } from '../setup/test-app';

export interface WebSession {
  /** The Set-Cookie headers of the login answer, as sent. */
  setCookies: string[];
  session: string;
  csrf: string;
  /** The Cookie header a browser would send back. */
  cookie: string;
}

/** Cookie name → value of Set-Cookie headers. */
export function cookieValues(setCookies: string[]): Record<string, string> {
  return Object.fromEntries(setCookies.map((c) => c.split(';')[0].split('=')).map(([k, ...v]) => [k.trim(), v.join('=')]));
}

/** The Set-Cookie header that sets `name`. */
export function setCookieOf(setCookies: string[], name: string): string {
  const found = setCookies.find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no Set-Cookie for ${name} in ${JSON.stringify(setCookies)}`);
  return found;
}

/** Logs in as a browser does: POST /api/auth/login, keeping the cookies of the answer. */
export async function webLogin(t: TestApp, email: string, password: string): Promise<WebSession> {
  const res = await fetch(`${t.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const setCookies = res.headers.getSetCookie();
  const values = cookieValues(setCookies);
  return {
    setCookies,
    session: values.ct_session,
    csrf: values.ct_csrf,
    cookie: `ct_session=${values.ct_session}; ct_csrf=${values.ct_csrf}`,
  };
}

/** A request carrying the session cookies (and the CSRF header when `csrf` is given). */
export function withSession(
  t: TestApp,
  s: Pick<WebSession, 'cookie'>,
  method: string,
  path: string,
  options: { body?: unknown; csrf?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { cookie: s.cookie, ...(options.headers ?? {}) };
  if (options.csrf !== undefined) headers['x-csrf-token'] = options.csrf;
  return t.request(method, path, { body: options.body, headers });
}
