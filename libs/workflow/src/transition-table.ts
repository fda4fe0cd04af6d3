import { FINISHED, STEP_STATUSES, type Role, type StepStatus, type StepTopic } from '@app/core';

// The statuses are shared with the repositories' SQL (@app/core steps.ts); exported here too, with the table.
export { FINISHED, STEP_STATUSES };
export type { StepStatus };

export const ACTIONS = ['start', 'complete', 'submit', 'approve', 'return', 'reopen', 'skip'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who acts: `unit` — a user of the unit itself or of an ancestor (anyone whose scope holds it);
 * `superior` — a user of a strict ancestor, never the unit's own users.
 */
export type Actor = 'unit' | 'superior';

export interface Transition {
  action: Action;
  from: readonly StepStatus[];
  to: StepStatus;
  actor: Actor;
  minRole: Role;
  /** Only for steps that need superior approval (true), or only for those that do not (false). */
  approvalStep?: boolean;
  /** Prerequisite steps (the plan's dependsOn) must be completed or skipped. */
  needsPrerequisites?: boolean;
  /** The congress step needs its 4 contents recorded first. */
  needsContents?: boolean;
  noteRequired?: boolean;
  /** The outbox topic this transition publishes (emails to approvers, editors, the unit). */
  emits?: StepTopic;
}

/** The step state machine (ARCHITECTURE.md): the one table read by the service, the API docs and the tests. */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'start', from: ['not_started'], to: 'in_progress', actor: 'unit', minRole: 'editor', needsPrerequisites: true },
  {
    action: 'complete',
    from: ['in_progress'],
    to: 'completed',
    actor: 'unit',
    minRole: 'editor',
    approvalStep: false,
    needsContents: true,
  },
  {
    action: 'submit',
    from: ['in_progress', 'returned'],
    to: 'awaiting_approval',
    actor: 'unit',
    minRole: 'editor',
    approvalStep: true,
    emits: 'step.submitted',
  },
  { action: 'approve', from: ['awaiting_approval'], to: 'completed', actor: 'superior', minRole: 'supervisor', emits: 'step.approved' },
  {
    action: 'return',
    from: ['awaiting_approval'],
    to: 'returned',
    actor: 'superior',
    minRole: 'supervisor',
    noteRequired: true,
    emits: 'step.returned',
  },
  { action: 'reopen', from: ['completed', 'skipped'], to: 'in_progress', actor: 'superior', minRole: 'supervisor', noteRequired: true },
  { action: 'skip', from: ['not_started'], to: 'skipped', actor: 'superior', minRole: 'supervisor', noteRequired: true },
];

/**
 * Not an action of the actions endpoint: when its unit is merged or dissolved (POST /api/units/merge,
 * POST /api/units/:id/dissolve), every open step becomes `closed`, with a history event (action
 * `merge` or `dissolve`, the decision as documentRef). `closed` is terminal and finished: no action
 * leaves it, it is never overdue nor reminded, reports never count it as missing; the unit's
 * workflow is then read-only (409 UNIT_CLOSED).
 */
export const CLOSING = {
  actions: ['merge', 'dissolve'] as const,
  from: STEP_STATUSES.filter((s) => !FINISHED.includes(s)),
  to: 'closed' as StepStatus,
  by: 'an admin of a strict ancestor, through the reorganisation endpoints',
};

export const TRANSITION_BY_ACTION: Record<Action, Transition> = Object.fromEntries(TRANSITIONS.map((t) => [t.action, t])) as Record<
  Action,
  Transition
>;

/** Renders the table as Markdown for the OpenAPI description. */
export function transitionTableMarkdown(): string {
  const rows = TRANSITIONS.map(
    (t) =>
      `| ${t.action} | ${t.from.join(', ')} | ${t.to} | ${t.minRole}+ ${t.actor === 'superior' ? 'of a strict ancestor' : 'in scope'} | ${[
        t.approvalStep === true ? 'approval steps only' : t.approvalStep === false ? 'steps without approval only' : '',
        t.needsPrerequisites ? 'prerequisites completed or skipped' : '',
        t.needsContents ? 'step 12 needs the 4 contents' : '',
        t.noteRequired ? 'note required' : '',
      ]
        .filter(Boolean)
        .join('; ')} |`,
  );
  const closing = `| ${CLOSING.actions.join(' / ')} (reorganisation) | ${CLOSING.from.join(', ')} | ${CLOSING.to} | ${CLOSING.by} | terminal; the unit becomes read-only |`;
  return ['| action | from | to | who | rules |', '|---|---|---|---|---|', ...rows, closing].join('\n');
}
