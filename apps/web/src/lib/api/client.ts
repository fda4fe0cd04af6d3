import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError } from '../errors';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The `ct_csrf` cookie the API set at login; writes echo it in `x-csrf-token`. */
export function csrfToken(cookie: string = typeof document === 'undefined' ? '' : document.cookie): string | null {
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'ct_csrf') return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** Where a 401 sends the person: the login page, then back to what they wanted. */
export function loginPath(current: string): string {
  if (current.startsWith('/login')) return current;
  return current && current !== '/' ? `/login?next=${encodeURIComponent(current)}` : '/login';
}

let onUnauthenticated: (() => void) | null = null;
/** The app registers how to go to the login page (the router's navigate) once it is mounted. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const token = csrfToken();
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/auth/login')) onUnauthenticated?.();
    return response;
  },
};

/** The one typed client of the API (types generated from its OpenAPI document). */
export const api = createClient<paths>({ baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin, credentials: 'same-origin' });
api.use(session);

interface ErrorBody {
  statusCode?: number;
  code?: string;
  message?: string;
  details?: unknown;
}

/** The data of an openapi-fetch answer, or an ApiError with the API's code. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  throw new ApiError(result.response.status, body.code ?? (result.response.status >= 500 ? 'INTERNAL' : 'UNKNOWN'), body.message ?? '', body.details);
}

