import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/api/client';

export type Notification = Schemas['NotificationDto'];
export type NotificationKind = NonNullable<NotificationFilter['kind']>;
export type NotificationStatus = NonNullable<NotificationFilter['status']>;

export interface NotificationFilter {
  status?: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'digested';
  kind?: 'reminder' | 'escalation' | 'submitted' | 'returned' | 'approved' | 'digest' | 'approval_overdue';
  unitId?: number;
  /** Created on or after / on or before (YYYY-MM-DD, Vietnam time). */
  from?: string;
  to?: string;
}

const KEY = ['notifications'] as const;

/** A row still on its way (queued or being sent) changes by itself: the page asks again until it settles. */
export const inFlight = (n: Pick<Notification, 'status'>) => n.status === 'pending' || n.status === 'sending';

/** One page of the notification log of the caller's subtree, newest first (GET /api/notifications). */
export function useNotifications(page: number, pageSize: number, filter: NotificationFilter) {
  return useQuery({
    queryKey: [...KEY, page, pageSize, filter],
    queryFn: () => unwrap(api.GET('/api/notifications', { params: { query: { page, pageSize, ...filter } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(inFlight) ? 1500 : false),
  });
}

/** "Gửi lại": queues one failed notification again (admins); the log is read again after. */
export function useResend() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/notifications/{id}/resend', { params: { path: { id: Number(id) } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
