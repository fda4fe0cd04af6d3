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
