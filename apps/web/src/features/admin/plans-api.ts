import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';
import type { Schemas } from '../../lib/api/client';

export type Plan = Schemas['PlanDto'];
export type Preview = Schemas['DeadlinePreviewDto'];
export type Rule = { date: string } | { daysFromCongress: number; workingDays?: boolean };

export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => unwrap(api.GET('/api/plans')) });
}

export function usePlan(id: number) {
  return useQuery({ queryKey: ['plans', id], queryFn: () => unwrap(api.GET('/api/plans/{id}', { params: { path: { id } } })) });
}

export function previewDeadlines(id: number, no: number, deadlines: Record<string, Rule>): Promise<Preview> {
  return unwrap(api.POST('/api/plans/{id}/steps/{no}/preview', { params: { path: { id, no } }, body: { deadlines } }));
}

export function useSaveDeadlines(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ no, deadlines }: { no: number; deadlines: Record<string, Rule> }) =>
      unwrap(api.PATCH('/api/plans/{id}/steps/{no}', { params: { path: { id, no } }, body: { deadlines } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['plans'] }),
  });
}

/** The tiers a step applies to (on a running plan its units follow at once; 409 when a unit of a removed tier already worked on it). */
export function useSaveAppliesTo(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ no, appliesTo }: { no: number; appliesTo: Plan['steps'][number]['appliesTo'] }) =>
      unwrap(api.PATCH('/api/plans/{id}/steps/{no}', { params: { path: { id, no } }, body: { appliesTo } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['plans'] }),
  });
}
