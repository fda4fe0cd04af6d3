/**
 * Due dates in SQL, set-based. Aliases: `u` units, `ps` plan_steps; the rule is ps.deadlines -> u.tier.
 * Working-day offsets are two joins on calendar_days (work_index counts working days up to a day):
 * "k working days after D" is the working day whose index is index(D) + k; "k before D" is the
 * working day whose index is (working days strictly before D) - k + 1.
 */
const RULE = `(ps.deadlines -> u.tier)`;
const DAYS = `(${RULE} ->> 'daysFromCongress')::int`;

export const DUE_DATE_JOINS = `
  LEFT JOIN calendar_days c0 ON c0.day = u.congress_date
  LEFT JOIN calendar_days c1 ON c1.is_working AND c1.work_index =
    CASE WHEN ${DAYS} >= 0 THEN c0.work_index + ${DAYS} ELSE c0.work_index - c0.is_working::int + ${DAYS} + 1 END`;

export const DUE_DATE_EXPR = `
  CASE
    WHEN ${RULE} ->> 'date' IS NOT NULL THEN (${RULE} ->> 'date')::date
    WHEN u.congress_date IS NULL OR ${DAYS} IS NULL THEN NULL
    WHEN coalesce((${RULE} ->> 'workingDays')::boolean, false) THEN c1.day
    ELSE u.congress_date + ${DAYS}
  END`;

/** Recomputes the due dates of open steps matching `filter` (a condition on us, u, ps); completed and skipped steps keep theirs. */
export function recomputeDueDatesSql(filter: string): string {
  return `
    WITH target AS (
      SELECT us.unit_id, us.step_no, ${DUE_DATE_EXPR} AS due
        FROM unit_steps us
        JOIN units u ON u.id = us.unit_id
        JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
        ${DUE_DATE_JOINS}
       WHERE us.status NOT IN ('completed', 'skipped') AND (${filter})
    )
    UPDATE unit_steps us SET due_date = t.due
      FROM target t
     WHERE us.unit_id = t.unit_id AND us.step_no = t.step_no AND us.due_date IS DISTINCT FROM t.due`;
}

/**
 * The steps of `plan` ($1) for the units matching `filter` (a condition on u), with their due dates.
 * Units are read in id order, so the rows arrive in primary-key order (unit, then step): the index
 * inserts and the per-row foreign-key checks on units then stay on the same few pages.
 */
function insertUnitStepsSql(filter: string): string {
  return `
    INSERT INTO unit_steps (unit_id, step_no, plan_id, due_date)
    SELECT u.id, ps.no, ps.plan_id, ${DUE_DATE_EXPR}
      FROM (SELECT u.id, u.tier, u.congress_date FROM units u WHERE ${filter} ORDER BY u.id) u
      JOIN plan_steps ps ON ps.plan_id = $1
      ${DUE_DATE_JOINS}`;
}

/**
 * Activation: none of these rows can exist yet (the plan is a draft and no unit under the root walks
 * another plan, checked under lock), so a duplicate is an error and not skipped: no speculative
 * insertion, and no RETURNING (the command's row count is the number of steps).
 */
export function activateUnitStepsSql(filter: string): string {
  return insertUnitStepsSql(filter);
}

/** Units created later: steps they already have are kept. */
export function createUnitStepsSql(filter: string): string {
  return `${insertUnitStepsSql(filter)}
    ON CONFLICT (unit_id, step_no) DO NOTHING`;
}
