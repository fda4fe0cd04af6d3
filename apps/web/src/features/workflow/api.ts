import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/api/client';
import type { StepAction } from '../../lib/vi';

export type WorkflowStep = Schemas['WorkflowStepDto'] & {
  /** WEB-CONTRACT.md item 7: web-api adds these; the page copes without them. */
  daysOverdue?: number;
  lastNote?: string | null;
  lastDocumentRef?: string | null;
};
export type Workflow = Omit<Schemas['WorkflowDto'], 'steps'> & { steps: WorkflowStep[] };

export const workflowKey = (unitId: number) => ['workflow', unitId] as const;

export function useWorkflow(unitId: number) {
  return useQuery({
    queryKey: workflowKey(unitId),
    queryFn: async () => (await unwrap(api.GET('/api/units/{id}/workflow', { params: { path: { id: unitId } } }))) as Workflow,
  });
}

export function useHistory(unitId: number, no: number, enabled: boolean) {
  return useQuery({
    queryKey: ['history', unitId, no],
    queryFn: () => unwrap(api.GET('/api/units/{id}/steps/{no}/history', { params: { path: { id: unitId, no } } })),
    enabled,
  });
}

export function transition(
  unitId: number,
  no: number,
  body: { action: StepAction; expectedVersion: number; note?: string; documentRef?: string },
) {
  return unwrap(api.POST('/api/units/{id}/steps/{no}/actions', { params: { path: { id: unitId, no } }, body }));
}

/** Who changed a step last: a name when the API gives one (contract item 7), else nothing. */
export function updatedByName(updatedBy: unknown): string | null {
  if (updatedBy && typeof updatedBy === 'object' && 'name' in updatedBy && typeof (updatedBy as { name: unknown }).name === 'string')
    return (updatedBy as { name: string }).name;
  return null;
}
