import { useQuery } from '@tanstack/react-query';
import { api, request, unwrap } from '../../lib/api/client';
import type { ChildUnit, Page } from '../../lib/api/contract';

export function useUnit(id: number) {
  return useQuery({
    queryKey: ['unit', id],
    queryFn: () => unwrap(api.GET('/api/units/{id}', { params: { path: { id } } })),
  });
}

export interface ChildrenQuery {
  stepNo?: number;
  status?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** The unit's direct children with their progress (and one step's state when stepNo is given). */
export function fetchChildren(id: number, query: ChildrenQuery): Promise<Page<ChildUnit>> {
  return request<Page<ChildUnit>>('GET', `/api/units/${id}/children`, { query: { ...query } });
}

export function useChildren(id: number, query: ChildrenQuery, enabled = true) {
  return useQuery({
    queryKey: ['children', id, query],
    queryFn: () => fetchChildren(id, query),
    enabled,
  });
}
