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

/** Creates the steps of `plan` ($1) for the units matching `filter` (a condition on u), with their due dates. */
export function createUnitStepsSql(filter: string): string {
  return `
    WITH created AS (
      INSERT INTO unit_steps (unit_id, step_no, plan_id, due_date)
      SELECT u.id, ps.no, ps.plan_id, ${DUE_DATE_EXPR}
        FROM units u
        JOIN plan_steps ps ON ps.plan_id = $1
        ${DUE_DATE_JOINS}
       WHERE ${filter}
      ON CONFLICT (unit_id, step_no) DO NOTHING
      RETURNING unit_id
    )
    SELECT count(DISTINCT unit_id)::int AS units, count(*)::int AS steps FROM created`;
}
