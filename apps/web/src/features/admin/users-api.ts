import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';
import type { Schemas } from '../../lib/api/client';

export type AdminUser = Schemas['AdminUserDto'];
export type NewUser = Schemas['CreateUserDto'];
export type UserChange = Schemas['UpdateUserDto'];

const USERS_KEY = ['admin-users'] as const;

/** The users of the caller's subtree (GET /api/users). */
export function useUsers() {
  return useQuery({ queryKey: USERS_KEY, queryFn: () => unwrap(api.GET('/api/users')) as Promise<AdminUser[]> });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) => unwrap(api.POST('/api/users', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: UserChange }) =>
      unwrap(api.PATCH('/api/users/{id}', { params: { path: { id } }, body: change })) as Promise<AdminUser>,
    onSuccess: () => qc.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

/** Units to pick from, searched on the server (accents and case ignored). */
export function useUnitOptions(q: string) {
  return useQuery({
    queryKey: ['unit-options', q],
    queryFn: () => unwrap(api.GET('/api/units', { params: { query: { q: q || undefined, pageSize: 20 } } })),
    staleTime: 60_000,
  });
}
