/** The states of a unit's step (the state machine is libs/workflow's transition table). */
export const STEP_STATUSES = ['not_started', 'in_progress', 'awaiting_approval', 'returned', 'completed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Statuses whose step is finished: prerequisites met, no reminders, not overdue. */
export const FINISHED: readonly StepStatus[] = ['completed', 'skipped'];

/** FINISHED as an SQL list, `('completed', 'skipped')`, for `status IN …` / `NOT IN …` in repositories. */
export const FINISHED_SQL = `(${FINISHED.map((s) => `'${s}'`).join(', ')})`;
