import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';
import type { Me } from '../../lib/api/contract';

export const ME_KEY = ['me'] as const;

/** The signed-in person (GET /api/me); a 401 sends the app to the login page. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: (): Promise<Me> => unwrap(api.GET('/api/me')),
    staleTime: 5 * 60_000,
  });
}

export async function login(email: string, password: string): Promise<void> {
  await unwrap(api.POST('/api/auth/login', { body: { email, password } }));
}

export function useLogout() {
  const queryClient = useQueryClient();
  return async () => {
    try {
      await unwrap(api.POST('/api/auth/logout'));
    } finally {
      queryClient.clear();
    }
  };
}

/** Only a path of this app may be the target after login (no other origin, no protocol-relative URL). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}
