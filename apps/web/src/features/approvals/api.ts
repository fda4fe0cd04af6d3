import { useQuery } from '@tanstack/react-query';
import { request } from '../../lib/api/client';
import type { ApprovalItem, Page } from '../../lib/api/contract';

export const APPROVALS_KEY = ['approvals'] as const;

export function useApprovals(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'list', page, pageSize],
    queryFn: () => request<Page<ApprovalItem>>('GET', '/api/approvals', { query: { page, pageSize } }),
  });
}

/** The navigation badge: how many submissions wait for the caller. */
export function useApprovalsCount(enabled: boolean) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'count'],
    queryFn: async () => (await request<Page<ApprovalItem>>('GET', '/api/approvals', { query: { page: 1, pageSize: 1 } })).total,
    enabled,
    refetchInterval: 60_000,
  });
}
