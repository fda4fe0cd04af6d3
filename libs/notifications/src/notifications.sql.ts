/**
 * The SQL of notifications. Every INSERT is ON CONFLICT (key) DO NOTHING: the key names the
 * logical email, so running the sweep twice, or on two workers at once, sends nothing twice.
 */

/** A unit's recipients: its contact emails and its users with the editor role or above. */
export const UNIT_RECIPIENTS = (unit: string) => `
  ARRAY(SELECT DISTINCT e FROM (
    SELECT unnest(${unit}.contact_emails) AS e
    UNION SELECT r.email FROM users r WHERE r.unit_id = ${unit}.id AND r.role IN ('editor', 'supervisor', 'admin')) x ORDER BY e)`;

/** Supervisors and admins of a unit itself. */
export const UNIT_SUPERVISORS = (unitId: string) => `
  ARRAY(SELECT r.email FROM users r WHERE r.unit_id = ${unitId} AND r.role IN ('supervisor', 'admin') ORDER BY r.email)`;

/**
 * Open steps due in D-k (k in $2), due today, or overdue on the reminder cadence (day 1, then every
 * $3 days), as of $1. Uses the partial index on open steps' due dates.
 */
const DUE_STEPS = `
  SELECT us.unit_id, us.step_no, us.due_date, (us.due_date - $1::date) AS days_left
    FROM unit_steps us
   WHERE us.status NOT IN ('completed', 'skipped')
     AND us.due_date <= $1::date + (SELECT max(k) FROM unnest($2::int[]) k)
     AND ((us.due_date - $1::date) = ANY($2::int[])
          OR us.due_date = $1::date
          OR (us.due_date < $1::date AND ($1::date - us.due_date - 1) % $3 = 0))`;

export const SWEEP_SQL = {
  reminders: `
    WITH due AS (${DUE_STEPS}),
    grouped AS (
      SELECT u.id AS unit_id, ${UNIT_RECIPIENTS('u')} AS recipients,
             jsonb_build_object('asOf', $1::text, 'unit', jsonb_build_object('id', u.id, 'code', u.code, 'name', u.name),
               'steps', jsonb_agg(jsonb_build_object('no', d.step_no, 'title', ps.title_vi, 'dueDate', d.due_date, 'daysLeft', d.days_left)
                                  ORDER BY d.due_date, d.step_no)) AS payload
        FROM due d
        JOIN units u ON u.id = d.unit_id
        JOIN unit_steps us ON us.unit_id = d.unit_id AND us.step_no = d.step_no
        JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = d.step_no
       GROUP BY u.id
    ),
    inserted AS (
      INSERT INTO notifications (key, kind, unit_id, recipients, payload, status, error)
      SELECT 'reminder:' || unit_id || ':' || $1, 'reminder', unit_id, recipients, payload,
             CASE WHEN cardinality(recipients) = 0 THEN 'skipped' ELSE 'pending' END,
             CASE WHEN cardinality(recipients) = 0 THEN 'no recipients' END
        FROM grouped
      ON CONFLICT (key) DO NOTHING
      RETURNING id, status
    )
    SELECT count(*)::int AS n FROM inserted`,

  // Units overdue by more than $4 days, reported to the supervisors of their parent, one email per parent.
  escalations: `
    WITH due AS (${DUE_STEPS}),
    late AS (
      SELECT d.unit_id, min(d.due_date) AS oldest, count(*)::int AS steps FROM due d
       WHERE d.days_left < -$4::int GROUP BY d.unit_id
    ),
    grouped AS (
      SELECT p.id AS parent_id, ${UNIT_SUPERVISORS('p.id')} AS recipients,
             jsonb_build_object('asOf', $1::text, 'parent', jsonb_build_object('id', p.id, 'code', p.code, 'name', p.name),
               'units', jsonb_agg(jsonb_build_object('id', u.id, 'code', u.code, 'name', u.name, 'oldestDueDate', l.oldest,
                                   'daysOverdue', $1::date - l.oldest, 'steps', l.steps) ORDER BY l.oldest, u.code)) AS payload
        FROM late l JOIN units u ON u.id = l.unit_id JOIN units p ON p.id = u.parent_id
       GROUP BY p.id
    ),
    inserted AS (
      INSERT INTO notifications (key, kind, unit_id, recipients, payload, status, error)
      SELECT 'escalation:' || parent_id || ':' || $1, 'escalation', parent_id, recipients, payload,
             CASE WHEN cardinality(recipients) = 0 THEN 'skipped' ELSE 'pending' END,
             CASE WHEN cardinality(recipients) = 0 THEN 'no recipients' END
        FROM grouped
      ON CONFLICT (key) DO NOTHING
      RETURNING id
    )
    SELECT count(*)::int AS n FROM inserted`,

  /**
   * Pending notifications to hand to the mail queue (new ones, and any a crash left behind), paged
   * by id. ORDER BY n.id, not a bare `id`: that names the id::text output column, and text order
   * ('10' < '9') would page past notifications whose ids have fewer digits.
   */
  pending: `
    SELECT n.id::text AS id FROM notifications n
     WHERE n.status = 'pending' AND n.id > $1::bigint AND n.created_at <= now() - make_interval(secs => $3)
     ORDER BY n.id LIMIT $2`,
};

export const EVENT_SQL = {
  /** The approvers of a unit: supervisors and admins of the nearest ancestor level that has any. */
  approvers: `
    SELECT coalesce((
      SELECT array_agg(r.email ORDER BY r.email) FROM users r JOIN units a ON a.id = r.unit_id
       WHERE r.role IN ('supervisor', 'admin') AND u.path LIKE a.path || '%' AND a.id <> u.id
       GROUP BY a.depth ORDER BY a.depth DESC LIMIT 1), '{}') AS recipients
      FROM units u WHERE u.id = $1`,
  unitEditors: `
    SELECT ARRAY(SELECT r.email FROM users r WHERE r.unit_id = u.id AND r.role IN ('editor', 'supervisor', 'admin') ORDER BY r.email)
           AS recipients
      FROM units u WHERE u.id = $1`,
  unitRecipients: `SELECT ${UNIT_RECIPIENTS('u')} AS recipients FROM units u WHERE u.id = $1`,
  context: `
    SELECT jsonb_build_object('id', u.id, 'code', u.code, 'name', u.name) AS unit,
           jsonb_build_object('no', ps.no, 'title', ps.title_vi, 'dueDate', us.due_date, 'status', us.status) AS step,
           (SELECT jsonb_build_object('name', a.name, 'email', a.email) FROM users a WHERE a.id = $3) AS actor
      FROM units u JOIN unit_steps us ON us.unit_id = u.id AND us.step_no = $2
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
     WHERE u.id = $1`,
  insert: `
    INSERT INTO notifications (key, kind, unit_id, recipients, payload, status, error)
    VALUES ($1, $2, $3, $4, $5, CASE WHEN cardinality($4::text[]) = 0 THEN 'skipped' ELSE 'pending' END,
            CASE WHEN cardinality($4::text[]) = 0 THEN 'no recipients' END)
    ON CONFLICT (key) DO NOTHING
    RETURNING id::text, status`,
};

export const MAIL_SQL = {
  // Claim before sending: a second run of the same job finds it sent (or being sent) and does nothing.
  // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE, rows for a SELECT.
  claim: `
    WITH claimed AS (
      UPDATE notifications SET status = 'sending', claimed_at = now(), attempts = attempts + 1
       WHERE id = $1 AND (status = 'pending' OR (status = 'sending' AND claimed_at < now() - interval '5 minutes'))
      RETURNING kind, recipients, payload, unit_id AS "unitId")
    SELECT * FROM claimed`,
  /** Of a reminder's steps ($2), those still open now: a step finished since the sweep is no longer reminded. */
  openSteps: `SELECT step_no AS no FROM unit_steps WHERE unit_id = $1 AND step_no = ANY($2::int[]) AND status NOT IN ('completed', 'skipped')`,
  // The payload as sent (a reminder may have lost steps since the sweep).
  sent: `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now(), error = NULL, payload = $3 WHERE id = $1`,
  skipped: `UPDATE notifications SET status = 'skipped', error = $2 WHERE id = $1`,
  retry: `UPDATE notifications SET status = 'pending', error = $2 WHERE id = $1`,
  failed: `UPDATE notifications SET status = 'failed', error = $2 WHERE id = $1`,
};
