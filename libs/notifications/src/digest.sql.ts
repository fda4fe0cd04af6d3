/** The daily digest's queries, per supervisor or admin; $1 is the subtree pattern "<path>%". */
export const DIGEST_SQL = {
  recipients: `
    SELECT r.id, r.email, r.name, u.id AS "unitId", u.name AS "unitName", u.path,
           (SELECT max(n.payload ->> 'asOf') FROM notifications n WHERE n.kind = 'digest' AND n.user_id = r.id) AS previous
      FROM users r JOIN units u ON u.id = r.unit_id
     WHERE r.role IN ('supervisor', 'admin') ORDER BY r.id`,
  counts: `
    SELECT us.step_no AS no,
           count(*) FILTER (WHERE us.status = 'not_started')::int AS "notStarted",
           count(*) FILTER (WHERE us.status = 'in_progress')::int AS "inProgress",
           count(*) FILTER (WHERE us.status = 'awaiting_approval')::int AS "awaitingApproval",
           count(*) FILTER (WHERE us.status = 'returned')::int AS returned,
           count(*) FILTER (WHERE us.status = 'completed')::int AS completed,
           count(*) FILTER (WHERE us.status = 'skipped')::int AS skipped,
           count(*) FILTER (WHERE us.status NOT IN ('completed', 'skipped') AND us.due_date < $2::date)::int AS overdue
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 GROUP BY us.step_no ORDER BY us.step_no`,
  // Steps that became overdue since the previous digest ($2, or yesterday on the first digest): overdue starts the day after the due date.
  newlyOverdue: `
    SELECT u.code, u.name, us.step_no AS "stepNo", us.due_date AS "dueDate", count(*) OVER ()::int AS total
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 AND us.status NOT IN ('completed', 'skipped')
       AND us.due_date >= coalesce($2::date, $3::date - 1) AND us.due_date < $3::date
     ORDER BY us.due_date, u.code, us.step_no LIMIT 50`,
  awaiting: `
    SELECT u.code, u.name, us.step_no AS "stepNo", ps.title_vi AS title, count(*) OVER ()::int AS total
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
     WHERE u.path LIKE $1 AND u.id <> $2 AND us.status = 'awaiting_approval'
     ORDER BY us.updated_at LIMIT 50`,
  insert: `
    INSERT INTO notifications (key, kind, user_id, unit_id, recipients, payload)
    VALUES ($1, 'digest', $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING RETURNING id::text`,
};
