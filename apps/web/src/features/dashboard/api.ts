import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/api/client';

export type ProgressReport = Schemas['ProgressReportDto'];
export type ProgressRow = Schemas['ProgressRowDto'];
export type StepCounts = Schemas['StepCountsDto'];
export type ContentsReport = Schemas['ContentsReportDto'];
export type ContentsItem = Schemas['ContentsItemDto'];
export type OverdueReport = Schemas['OverdueReportDto'];
export type OverdueItem = Schemas['OverdueItemDto'];

/** The progress report of a subtree, one row per child unit (GET /api/reports/progress). */
export function useProgress(rootId: number | undefined) {
  return useQuery({
    queryKey: ['reports', 'progress', rootId ?? 'me'],
    queryFn: async () =>
      await unwrap(
        api.GET('/api/reports/progress', { params: { query: { rootId, groupBy: 'child', format: 'json', sep: 'comma', layout: 'long' } } }),
      ),
    placeholderData: keepPreviousData,
  });
}

export interface ContentsFilter {
  tier?: Schemas['ContentsItemDto']['tier'];
  completedAll?: boolean;
  heldFrom?: string;
  heldTo?: string;
  /** Pilot congresses only (true), the main wave only (false). */
  pilot?: boolean;
}

/** The contents report (summary and one page of items). */
export function useContents(rootId: number | undefined, page: number, pageSize: number, filter: ContentsFilter = {}) {
  return useQuery({
    queryKey: ['reports', 'contents', rootId ?? 'me', page, pageSize, filter],
    queryFn: async () =>
      await unwrap(
        api.GET('/api/reports/contents', {
          params: { query: { rootId, page, pageSize, format: 'json', sep: 'comma', ...filter } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** One page of the overdue list (oldest due date first) and its total. */
export function useOverdue(rootId: number | undefined, page: number, pageSize: number, pilot?: boolean) {
  return useQuery({
    queryKey: ['reports', 'overdue', rootId ?? 'me', page, pageSize, pilot],
    queryFn: async () =>
      await unwrap(api.GET('/api/reports/overdue', { params: { query: { rootId, page, pageSize, format: 'json', sep: 'comma', pilot } } })),
    placeholderData: keepPreviousData,
  });
}

/** The address of an export of a report (same origin: the session cookie authenticates the download). */
export function exportUrl(
  report: 'progress' | 'contents' | 'overdue',
  format: 'csv' | 'xlsx',
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  params.set('format', format);
  if (format === 'csv') params.set('sep', 'semicolon');
  return `/api/reports/${report}?${params.toString()}`;
}
