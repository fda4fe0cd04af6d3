import { FINISHED, STEP_STATUSES, type Role, type StepStatus, type StepTopic } from '@app/core';

// The statuses are shared with the repositories' SQL (@app/core steps.ts); exported here too, with the table.
export { FINISHED, STEP_STATUSES };
export type { StepStatus };

export const ACTIONS = ['start', 'complete', 'submit', 'approve', 'return', 'reopen', 'skip'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who acts: `unit` — a user of the unit itself or of an ancestor (anyone whose scope holds it);
 * `superior` — a user of a strict ancestor, never the unit's own users;
 * `outside` — the tree's root has no superior inside the tree (a province is approved by the
 * Politburo / Secretariat): an admin of the root records the outside decision, with its reference.
 */
export type Actor = 'unit' | 'superior' | 'outside';

/** How a superior's transition is done on the tree's root, which has no strict ancestor. */
export interface RootVariant {
  actor: 'outside';
  minRole: Role;
  /** The outside decision's number and date ("Quyết định số 123-QĐ/TW ngày …"): required. */
  documentRefRequired: true;
}

/** The one root variant of every superior's transition. */
const AT_ROOT: RootVariant = { actor: 'outside', minRole: 'admin', documentRefRequired: true };

export interface Transition {
  action: Action;
  from: readonly StepStatus[];
  to: StepStatus;
  actor: Actor;
  minRole: Role;
  /** Only for steps that need superior approval (true), or only for those that do not (false). */
  approvalStep?: boolean;
  /** Prerequisite steps (the plan's dependsOn) must be completed or skipped; one the unit does not have (not for its tier) counts as met. */
  needsPrerequisites?: boolean;
  /** The congress step needs its 4 contents recorded first. */
  needsContents?: boolean;
  noteRequired?: boolean;
  /** The outbox topic this transition publishes (emails to approvers, editors, the unit). */
  emits?: StepTopic;
  /** On the tree's root (no strict ancestor), who records it instead of a superior. */
  atRoot?: RootVariant;
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
  {
    action: 'approve',
    from: ['awaiting_approval'],
    to: 'completed',
    actor: 'superior',
    minRole: 'supervisor',
    emits: 'step.approved',
    atRoot: AT_ROOT,
  },
  {
    action: 'return',
    from: ['awaiting_approval'],
    to: 'returned',
    actor: 'superior',
    minRole: 'supervisor',
    noteRequired: true,
    emits: 'step.returned',
    atRoot: AT_ROOT,
  },
  {
    action: 'reopen',
    from: ['completed', 'skipped'],
    to: 'in_progress',
    actor: 'superior',
    minRole: 'supervisor',
    noteRequired: true,
    atRoot: AT_ROOT,
  },
  { action: 'skip', from: ['not_started'], to: 'skipped', actor: 'superior', minRole: 'supervisor', noteRequired: true, atRoot: AT_ROOT },
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
        t.needsPrerequisites ? 'prerequisites completed or skipped (a step the unit does not have counts as met)' : '',
        t.needsContents ? 'step 12 needs the 4 contents' : '',
        t.noteRequired ? 'note required' : '',
        t.atRoot ? `on the tree's root: ${t.atRoot.minRole} of the root records the outside decision, documentRef required` : '',
      ]
        .filter(Boolean)
        .join('; ')} |`,
  );
  const closing = `| ${CLOSING.actions.join(' / ')} (reorganisation) | ${CLOSING.from.join(', ')} | ${CLOSING.to} | ${CLOSING.by} | terminal; the unit becomes read-only |`;
  return ['| action | from | to | who | rules |', '|---|---|---|---|---|', ...rows, closing].join('\n');
}
