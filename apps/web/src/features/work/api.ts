import { useQuery } from '@tanstack/react-query';
import { request } from '../../lib/api/client';
import type { WorkPage } from '../../lib/api/contract';

export function useWork(page: number, pageSize: number) {
  return useQuery({
    queryKey: ['work', page, pageSize],
    queryFn: () => request<WorkPage>('GET', '/api/work', { query: { page, pageSize } }),
    placeholderData: (previous) => previous,
  });
}
