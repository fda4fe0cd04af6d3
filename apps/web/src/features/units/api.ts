import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';
import type { ChildUnit, Page } from '../../lib/api/contract';
import type { StepStatus } from '../../lib/vi';

export function useUnit(id: number) {
  return useQuery({
    queryKey: ['unit', id],
    queryFn: () => unwrap(api.GET('/api/units/{id}', { params: { path: { id } } })),
  });
}

export interface ChildrenQuery {
  stepNo?: number;
  status?: StepStatus;
  q?: string;
  page?: number;
  pageSize?: number;
}

/** The unit's direct children with their progress (and one step's state when stepNo is given). */
export function fetchChildren(id: number, query: ChildrenQuery): Promise<Page<ChildUnit>> {
  return unwrap(
    api.GET('/api/units/{id}/children', {
      params: { path: { id }, query: { ...query, status: query.status as Exclude<StepStatus, 'closed'> | undefined } },
    }),
  );
}

export function useChildren(id: number, query: ChildrenQuery, enabled = true) {
  return useQuery({
    queryKey: ['children', id, query],
    queryFn: () => fetchChildren(id, query),
    enabled,
  });
}
