import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';

export const APPROVALS_KEY = ['approvals'] as const;

export function useApprovals(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'list', page, pageSize],
    queryFn: () => unwrap(api.GET('/api/approvals', { params: { query: { page, pageSize } } })),
  });
}

/** The navigation badge: how many submissions wait for the caller. */
export function useApprovalsCount(enabled: boolean) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'count'],
    queryFn: async () => (await unwrap(api.GET('/api/approvals', { params: { query: { page: 1, pageSize: 1 } } }))).total,
    enabled,
    refetchInterval: 60_000,
  });
}

/**
 * The root's own submissions (GET /api/approvals?outside=true): nobody in the tree approves them, the
 * root's admin records the outside decision (Politburo, Secretariat) with its number. Empty for anyone else.
 */
export function useOutsideApprovals(enabled: boolean) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'outside'],
    queryFn: () => unwrap(api.GET('/api/approvals', { params: { query: { outside: true, page: 1, pageSize: 100 } } })),
    enabled,
  });
}
