/**
 * The progress counters kept by triggers (migration ProgressCounters): what TypeScript must know
 * about them, in one place.
 *
 * - `step_counts` (bucket, tier, step, status → n, overdue), `step_counts_top` (the same per depth-1
 *   anchor) and `unit_counts` (bucket, tier → units walking a plan, units with every step finished)
 *   are kept by the statement-level triggers `step_counts_on_insert/update/delete` on unit_steps,
 *   in the transaction of each change: a transition (workflow.repository), an activation
 *   (plans.repository, which may switch them off and count once with step_counts_add_subtree), a due
 *   date recomputation, new units getting steps.
 * - A unit's bucket is its ancestor at depth COUNTER_BUCKET_DEPTH (itself above that depth), its anchor
 *   its ancestor at depth 1. When units that walk a plan change bucket, anchor or tier (a move by
 *   import or PATCH parentId, which rewrites the paths of the whole subtree, or a tier change), the
 *   trigger `step_counts_on_unit_move` on units moves exactly those units' counts from the old keys to
 *   the new ones, under the exclusive counters lock (migration ExactMoves): the cost follows the moved
 *   units' steps, never the country. `step_counts_rebuild()` (a national recount) is left for repairs.
 * - `overdue` counts open steps due before `report_state.overdue_as_of`; `step_counts_roll_overdue(day)`
 *   moves that day (reports.repository: the worker at midnight, and a read that finds it behind).
 */
export const COUNTER_BUCKET_DEPTH = 2;

/** SQL: the bucket id of a unit row `u` (its ancestor at COUNTER_BUCKET_DEPTH, read from the path). */
export function counterBucketSql(u: string): string {
  return `(CASE WHEN ${u}depth >= ${COUNTER_BUCKET_DEPTH} THEN split_part(${u}path, '/', ${COUNTER_BUCKET_DEPTH + 1})::int ELSE ${u}id END)`;
}
