import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/api/client';
import type { paths } from '../../lib/api/schema';

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

type QueryOf<P extends keyof paths> = NonNullable<paths[P]['get'] extends { parameters: { query?: infer Q } } ? Q : never>;
/** The columns the API sorts each report's pages by (whitelisted there). */
export type ContentsSort = NonNullable<QueryOf<'/api/reports/contents'>['sort']>;
export type OverdueSort = NonNullable<QueryOf<'/api/reports/overdue'>['sort']>;
/** A server-side sort: a column and its direction; none = the report's default order. */
export interface ServerSort<C extends string> {
  sort?: C;
  order?: 'asc' | 'desc';
}

/** The contents report (summary and one page of items, sorted by the server over all pages). */
export function useContents(
  rootId: number | undefined,
  page: number,
  pageSize: number,
  filter: ContentsFilter = {},
  sort: ServerSort<ContentsSort> = {},
) {
  return useQuery({
    queryKey: ['reports', 'contents', rootId ?? 'me', page, pageSize, filter, sort],
    queryFn: async () =>
      await unwrap(
        api.GET('/api/reports/contents', {
          params: { query: { rootId, page, pageSize, format: 'json', sep: 'comma', ...filter, ...sort } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/**
 * One page of the overdue list (oldest due date first unless sorted) and its total; one step's with
 * `stepNo`, pilot units only (or the main wave) with `pilot`.
 */
export function useOverdue(
  rootId: number | undefined,
  page: number,
  pageSize: number,
  sort: ServerSort<OverdueSort> = {},
  filter: { stepNo?: number; pilot?: boolean } = {},
) {
  const { stepNo, pilot } = filter;
  return useQuery({
    queryKey: ['reports', 'overdue', rootId ?? 'me', page, pageSize, sort, stepNo, pilot],
    queryFn: async () =>
      await unwrap(
        api.GET('/api/reports/overdue', {
          params: { query: { rootId, page, pageSize, format: 'json', sep: 'comma', stepNo, pilot, ...sort } },
        }),
      ),
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
