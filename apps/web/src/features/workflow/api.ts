import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/api/client';
import type { StepAction } from '../../lib/vi';

export type WorkflowStep = Schemas['WorkflowStepDto'];
export type Workflow = Schemas['WorkflowDto'];

export const workflowKey = (unitId: number) => ['workflow', unitId] as const;

export function useWorkflow(unitId: number) {
  return useQuery({
    queryKey: workflowKey(unitId),
    queryFn: (): Promise<Workflow> => unwrap(api.GET('/api/units/{id}/workflow', { params: { path: { id: unitId } } })),
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

/** Marks a step's milestone done or not done (step 11: delegate allocation, 30 working days before the congress). */
export function setMilestone(unitId: number, no: number, done: boolean) {
  return unwrap(api.PUT('/api/units/{id}/steps/{no}/milestone', { params: { path: { id: unitId, no } }, body: { done } }));
}
