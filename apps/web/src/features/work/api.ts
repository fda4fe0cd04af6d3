import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';

export function useWork(page: number, pageSize: number) {
  return useQuery({
    queryKey: ['work', page, pageSize],
    queryFn: () => unwrap(api.GET('/api/work', { params: { query: { page, pageSize } } })),
    placeholderData: (previous) => previous,
  });
}
