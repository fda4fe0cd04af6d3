import { DomainError, ErrorCode, ROLE_RANK, Role } from '@app/core';
import { ACTIONS, Action, FINISHED, StepStatus, Transition, TRANSITION_BY_ACTION } from './transition-table';

export interface StepFacts {
  stepNo: number;
  status: StepStatus;
  requiresApproval: boolean;
  /** Prerequisite steps not yet completed or skipped (see pendingPrerequisites: a step the unit does not have is met). */
  pendingPrerequisites: number[];
  /** For the congress step: contents without a recorded status (empty for other steps). */
  unrecordedContents: number[];
  /** The step's unit is the tree's root: a superior's transition is its outside variant (Transition.atRoot). */
  atRoot: boolean;
}

export interface CallerFacts {
  role: Role;
  /** The caller's unit is a strict ancestor of the step's unit (the caller is in scope either way). */
  isSuperior: boolean;
}

/**
 * The prerequisite rule: a step waits for the steps it depends on until each is finished (completed,
 * skipped, closed). A dependency on a step the unit does not have (its plan step does not apply to
 * the unit's tier, e.g. a cell has no step 6 before step 7) counts as met.
 * `steps`: the unit's own steps and their statuses.
 */
export function pendingPrerequisites(dependsOn: readonly number[], steps: ReadonlyMap<number, StepStatus>): number[] {
  return dependsOn.filter((no) => {
    const status = steps.get(no);
    return status !== undefined && !FINISHED.includes(status);
  });
}

interface Refusal {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** Reads the transition table; the order of the checks is the order of the errors: who, from which state, then the rules. */
function check(t: Transition, step: StepFacts, caller: CallerFacts): Refusal | null {
  const who = step.atRoot && t.atRoot ? t.atRoot : t;
  if (ROLE_RANK[caller.role] < ROLE_RANK[who.minRole]) {
    const why = who.actor === 'outside' ? ` (on the root, the ${who.minRole} records the outside decision)` : '';
    return {
      code: 'FORBIDDEN_SCOPE',
      message: `${t.action} needs the ${who.minRole} role or higher${why}`,
      details: { requiredRole: who.minRole, ...(who.actor === 'outside' ? { requiredActor: 'outside' } : {}) },
    };
  }
  // `outside`: the caller is in scope of the root, so bound to the root itself; nothing more to check.
  if (who.actor === 'superior' && !caller.isSuperior) {
    return {
      code: 'FORBIDDEN_SCOPE',
      message: `${t.action} is done by a user of a superior unit, never by the unit's own users`,
      details: { requiredActor: 'superior' },
    };
  }
  if (!t.from.includes(step.status)) {
    return { code: 'INVALID_TRANSITION', message: `Cannot ${t.action} a step that is ${step.status}`, details: { status: step.status } };
  }
  if (t.approvalStep !== undefined && t.approvalStep !== step.requiresApproval) {
    const why = step.requiresApproval ? 'needs superior approval: submit it' : 'needs no approval: complete it';
    return { code: 'INVALID_TRANSITION', message: `Step ${step.stepNo} ${why}`, details: { status: step.status } };
  }
  if (t.needsPrerequisites && step.pendingPrerequisites.length > 0) {
    return {
      code: 'PREREQUISITES_PENDING',
      message: `Prerequisite step(s) ${step.pendingPrerequisites.join(', ')} must be completed or skipped first`,
      details: { pending: step.pendingPrerequisites },
    };
  }
  if (t.needsContents && step.unrecordedContents.length > 0) {
    return {
      code: 'CONTENTS_MISSING',
      message: `Record the congress contents ${step.unrecordedContents.join(', ')} first`,
      details: { missing: step.unrecordedContents },
    };
  }
  return null;
}

/** The actions this caller could take on this step now. */
export function allowedActions(step: StepFacts, caller: CallerFacts): Action[] {
  return ACTIONS.filter((a) => check(TRANSITION_BY_ACTION[a], step, caller) === null);
}

/** Why `t` may not happen now, as the API error, or null when it may. */
export function refusal(t: Transition, step: StepFacts, caller: CallerFacts): DomainError | null {
  const r = check(t, step, caller);
  if (!r) return null;
  const details = r.code === 'INVALID_TRANSITION' ? { ...r.details, allowedActions: allowedActions(step, caller) } : r.details;
  return new DomainError(r.code, r.message, details);
}
