/** The states of a unit's step (the state machine is libs/workflow's transition table). */
export const STEP_STATUSES = ['not_started', 'in_progress', 'awaiting_approval', 'returned', 'completed', 'skipped', 'closed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * Statuses whose step is finished: prerequisites met, no reminders, not overdue. `closed` is the
 * terminal status of the open steps of a unit that was merged or dissolved (history kept).
 */
export const FINISHED: readonly StepStatus[] = ['completed', 'skipped', 'closed'];

/** FINISHED as an SQL list, `('completed', 'skipped')`, for `status IN …` / `NOT IN …` in repositories. */
export const FINISHED_SQL = `(${FINISHED.map((s) => `'${s}'`).join(', ')})`;

/**
 * Statuses off the unit's own clock: finished, or submitted and awaiting approval. A submitted step
 * waits for the approver (the approver's clock: `approval_due`), so it is not the unit's overdue
 * item, nor reminded to the unit, even past the step's own due date (BRIEF.md "Ratification is the
 * approver's clock").
 */
export const OFF_UNIT_CLOCK: readonly StepStatus[] = [...FINISHED, 'awaiting_approval'];

/** OFF_UNIT_CLOCK as an SQL list, for `status NOT IN …`: the unit's overdue and due-soon steps. */
export const OFF_UNIT_CLOCK_SQL = `(${OFF_UNIT_CLOCK.map((s) => `'${s}'`).join(', ')})`;
