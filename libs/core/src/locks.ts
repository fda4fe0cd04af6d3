/**
 * Every PostgreSQL advisory lock key of the product, in one place. The numbers are arbitrary but
 * fixed: the database functions of migration ProgressCounters embed the counter keys (their SQL is
 * built from these constants when the migration runs), so changing one of those needs a migration
 * that redefines the functions.
 */
export const LOCKS = {
  /** Session lock around running migrations, so several instances can start at once (data-source.ts). */
  migrations: 7_351_024,
  /** First start: creating the root unit (FirstStartService). */
  firstStart: 7_351_025,
  /** Holiday calendar changes: the calendar is refreshed and due dates recomputed one change at a time. */
  calendar: 7_351_026,
  /**
   * The progress counters' overdue day (report_state): shared by every change to unit_steps (trigger
   * step_counts_apply), exclusive for the daily roll-forward and the recounts.
   */
  counters: 7_351_027,
  /** Per unit (second key: the unit id): statements that change how many of a unit's steps are finished take turns. */
  unitFinishing: 7_351_028,
  /** Shared by those per-unit locks, exclusive for a bulk statement that changes more than 1000 units at once. */
  bulkFinishing: 7_351_029,
} as const;

export type LockName = keyof typeof LOCKS;
