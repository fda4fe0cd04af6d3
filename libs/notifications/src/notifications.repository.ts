import { Injectable } from '@nestjs/common';
import { OFF_UNIT_CLOCK_SQL, Sql, type StepEvent, type Tx } from '@app/core';
import type { NotificationDto } from './dto/notification.dto';

/**
 * The SQL of notifications. Every INSERT is ON CONFLICT (key) DO NOTHING: the key names the
 * logical email, so running the sweep twice, or on two workers at once, sends nothing twice.
 */

/**
 * Inserts notification rows from `select` (key, kind, unit id, recipients, payload, digest unit): a
 * row without recipients goes into the daily digest of the digest unit's managers when there is one
 * (status `digested`, the unit named in payload.digestUnitId), and is recorded as skipped otherwise,
 * so the log says why nobody got it. ON CONFLICT (key) DO NOTHING.
 */
const insertNotifications = (select: string, returning = 'id, status') => `
      INSERT INTO notifications (key, kind, unit_id, recipients, payload, status, error)
      SELECT key, kind, unit_id, recipients,
             CASE WHEN cardinality(recipients) = 0 AND digest_unit IS NOT NULL
                  THEN payload || jsonb_build_object('digestUnitId', digest_unit) ELSE payload END,
             CASE WHEN cardinality(recipients) > 0 THEN 'pending' WHEN digest_unit IS NOT NULL THEN 'digested' ELSE 'skipped' END,
             CASE WHEN cardinality(recipients) = 0 AND digest_unit IS NULL THEN 'no recipients' END
        FROM (${select}) n (key, kind, unit_id, recipients, payload, digest_unit)
      ON CONFLICT (key) DO NOTHING
      RETURNING ${returning}`;

/** A unit's recipients: its contact emails and its users with the editor role or above. */
const UNIT_RECIPIENTS = (unit: string) => `
  ARRAY(SELECT DISTINCT e FROM (
    SELECT unnest(${unit}.contact_emails) AS e
    UNION SELECT r.email FROM users r WHERE r.disabled_at IS NULL AND r.unit_id = ${unit}.id AND r.role IN ('editor', 'supervisor', 'admin')) x ORDER BY e)`;

/**
 * The nearest strict ancestor of a unit that has users who manage it (editor and up): whose daily
 * digest carries the unit's reminders when the unit has nobody to write to. The ancestors are the
 * ids of the unit's path, so this reads a handful of rows by primary key.
 */
const MANAGING_ANCESTOR = (unit: string) => `
  (SELECT a.id FROM units a
    WHERE a.id = ANY(string_to_array(rtrim(${unit}.path, '/'), '/')::int[]) AND a.id <> ${unit}.id
      AND EXISTS (SELECT 1 FROM users r WHERE r.disabled_at IS NULL AND r.unit_id = a.id AND r.role IN ('editor', 'supervisor', 'admin'))
    ORDER BY a.depth DESC LIMIT 1)`;

/** The editors and up of the nearest strict ancestor that has any. */
const ANCESTOR_MANAGERS = (unit: string) => `
  ARRAY(SELECT r.email FROM users r WHERE r.disabled_at IS NULL AND r.unit_id = ${MANAGING_ANCESTOR(unit)} AND r.role IN ('editor', 'supervisor', 'admin') ORDER BY r.email)`;

/** Supervisors and admins of a unit itself. */
const UNIT_SUPERVISORS = (unitId: string) => `
  ARRAY(SELECT r.email FROM users r WHERE r.disabled_at IS NULL AND r.unit_id = ${unitId} AND r.role IN ('supervisor', 'admin') ORDER BY r.email)`;

/**
 * The unit that approves a unit's submissions: the nearest strict ancestor with supervisors or admins
 * (the approvers' emails and reminders go there), else the parent; null for the root.
 */
const APPROVING_UNIT = (unit: string) => `
  coalesce((SELECT a.id FROM units a
             WHERE a.id = ANY(string_to_array(rtrim(${unit}.path, '/'), '/')::int[]) AND a.id <> ${unit}.id
               AND EXISTS (SELECT 1 FROM users r WHERE r.disabled_at IS NULL AND r.unit_id = a.id AND r.role IN ('supervisor', 'admin'))
             ORDER BY a.depth DESC LIMIT 1), ${unit}.parent_id)`;

/** A unit as letters name it (committeeTitle): name, tier, stored committee name. */
const LETTER_UNIT = (a: string) =>
  `jsonb_build_object('id', ${a}.id, 'code', ${a}.code, 'name', ${a}.name, 'tier', ${a}.tier, 'committeeName', ${a}.committee_name)`;

/** The tree's root as letters name it (its organisation committee signs every letter). */
const ROOT_UNIT = `(SELECT jsonb_build_object('name', r.name, 'tier', r.tier, 'committeeName', r.committee_name) FROM units r WHERE r.parent_id IS NULL)`;

/**
 * A due date on the reminder cadence as of $1: D-k (k in $2), the day itself, or overdue on day 1
 * and then every $3 days. The first bound lets the partial index on open due dates serve.
 */
function onReminderCadence(due: string): string {
  return `${due} <= $1::date + (SELECT max(k) FROM unnest($2::int[]) k)
     AND ((${due} - $1::date) = ANY($2::int[])
          OR ${due} = $1::date
          OR (${due} < $1::date AND ($1::date - ${due} - 1) % $3 = 0))`;
}

/**
 * Open steps due in D-k (k in $2), due today, or overdue on the reminder cadence (day 1, then every
 * $3 days), as of $1. Uses the partial index on open steps' due dates.
 */
const DUE_STEPS = `
  SELECT us.unit_id, us.step_no, us.due_date, (us.due_date - $1::date) AS days_left
    FROM unit_steps us
   -- Not finished, and not awaiting approval: a submitted step waits for the approver, not the unit
   -- (the approver's clock reminds them), even past its own due date.
   WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL}
     AND ${onReminderCadence('us.due_date')}`;

/**
 * Step milestones (step 11: delegate allocation) on the same cadence, while not marked done and the
 * step is open (the unit's own work: not while it waits for approval), as of $1.
 */
const DUE_MILESTONES = `
  SELECT us.unit_id, us.step_no, us.milestone_due AS due_date, (us.milestone_due - $1::date) AS days_left
    FROM unit_steps us
   WHERE us.milestone_due IS NOT NULL AND us.milestone_done_at IS NULL
     AND us.status NOT IN ${OFF_UNIT_CLOCK_SQL}
     AND ${onReminderCadence('us.milestone_due')}`;

export const SWEEP_SQL = {
  // A unit's reminder lists its due steps and its due milestones (titled by the milestone).
  reminders: `
    WITH due AS (
      SELECT d.*, false AS milestone FROM (${DUE_STEPS}) d
      UNION ALL
      SELECT m.*, true AS milestone FROM (${DUE_MILESTONES}) m
    ),
    grouped AS (
      SELECT u.id AS unit_id, ${UNIT_RECIPIENTS('u')} AS recipients, ${MANAGING_ANCESTOR('u')} AS digest_unit,
             jsonb_build_object('asOf', $1::text,
               'unit', ${LETTER_UNIT('u')},
               'root', ${ROOT_UNIT},
               'steps', jsonb_agg(jsonb_build_object('no', d.step_no,
                                    'title', CASE WHEN d.milestone THEN ps.milestone ->> 'titleVi' ELSE ps.title_vi END,
                                    'dueDate', d.due_date, 'daysLeft', d.days_left)
                                  ORDER BY d.due_date, d.step_no, d.milestone)) AS payload
        FROM due d
        JOIN units u ON u.id = d.unit_id
        JOIN unit_steps us ON us.unit_id = d.unit_id AND us.step_no = d.step_no
        JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = d.step_no
       GROUP BY u.id
    ),
    inserted AS (${insertNotifications(`SELECT 'reminder:' || unit_id || ':' || $1, 'reminder', unit_id, recipients, payload, digest_unit FROM grouped`)})
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
             jsonb_build_object('asOf', $1::text, 'parent', ${LETTER_UNIT('p')}, 'root', ${ROOT_UNIT},
               'units', jsonb_agg(jsonb_build_object('id', u.id, 'code', u.code, 'name', u.name, 'oldestDueDate', l.oldest,
                                   'daysOverdue', $1::date - l.oldest, 'steps', l.steps) ORDER BY l.oldest, u.code)) AS payload
        FROM late l JOIN units u ON u.id = l.unit_id JOIN units p ON p.id = u.parent_id
       GROUP BY p.id
    ),
    inserted AS (${insertNotifications(`SELECT 'escalation:' || parent_id || ':' || $1, 'escalation', parent_id, recipients, payload, NULL::int FROM grouped`)})
    SELECT count(*)::int AS n FROM inserted`,

  /**
   * The approver's clock: submissions awaiting approval past their approval deadline (day 1, then
   * every $2 days), one email per approving unit (the nearest ancestor with supervisors or admins)
   * and day, to its supervisors and admins.
   */
  approvalReminders: `
    WITH late AS (
      SELECT us.unit_id, us.step_no, us.approval_due FROM unit_steps us
       WHERE us.status = 'awaiting_approval' AND us.approval_due < $1::date AND ($1::date - us.approval_due - 1) % $2 = 0
    ),
    placed AS (
      SELECT l.*, u.code, u.name, ${APPROVING_UNIT('u')} AS approver_id
        FROM late l JOIN units u ON u.id = l.unit_id
    ),
    grouped AS (
      SELECT p.id AS approver_id, ${UNIT_SUPERVISORS('p.id')} AS recipients,
             jsonb_build_object('asOf', $1::text, 'approver', ${LETTER_UNIT('p')},
               'root', ${ROOT_UNIT},
               'items', jsonb_agg(jsonb_build_object('unitId', x.unit_id, 'code', x.code, 'name', x.name, 'no', x.step_no, 'title', ps.title_vi,
                                   'approvalDue', x.approval_due, 'daysOverdue', $1::date - x.approval_due)
                                  ORDER BY x.approval_due, x.code, x.step_no)) AS payload
        FROM placed x
        JOIN units p ON p.id = x.approver_id
        JOIN unit_steps us ON us.unit_id = x.unit_id AND us.step_no = x.step_no
        JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = x.step_no
       GROUP BY p.id
    ),
    inserted AS (${insertNotifications(`SELECT 'approval:' || approver_id || ':' || $1, 'approval_overdue', approver_id, recipients, payload, NULL::int FROM grouped`)})
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

  /**
   * What may need a job again: pending rows older than $3 seconds (their job may have been lost
   * with Redis data) and rows in `sending` whose lease ran out (their worker died mid-send).
   */
  reclaimable: `
    SELECT n.id::text AS id FROM notifications n
     WHERE n.id > $1::bigint
       AND ((n.status = 'pending' AND n.created_at <= now() - make_interval(secs => $3))
         OR (n.status = 'sending' AND coalesce(n.lease_until, n.claimed_at + interval '5 minutes') < now()))
     ORDER BY n.id LIMIT $2`,
};

/** The user who submitted the step (the latest submit before event $3), if any. */
const SUBMITTER = `
  ARRAY(SELECT r.email FROM step_events e JOIN users r ON r.id = e.actor_id AND r.disabled_at IS NULL
         WHERE e.unit_id = u.id AND e.step_no = $2 AND e.action = 'submit' AND e.id <= $3
         ORDER BY e.id DESC LIMIT 1)`;

/** `people`, and when that is empty the managers of the nearest ancestor who manage the unit: an event email always reaches someone who can act. */
const OR_ANCESTOR_MANAGERS = (people: string) => `
  coalesce(nullif(ARRAY(SELECT DISTINCT x FROM unnest(${people}) x ORDER BY x), '{}'), ${ANCESTOR_MANAGERS('u')})`;

export const EVENT_SQL = {
  /** The approvers of a unit: supervisors and admins of the nearest ancestor level that has any. */
  approvers: `
    SELECT coalesce((
      SELECT array_agg(r.email ORDER BY r.email) FROM users r JOIN units a ON a.id = r.unit_id
       WHERE r.disabled_at IS NULL AND r.role IN ('supervisor', 'admin') AND u.path LIKE a.path || '%' AND a.id <> u.id
       GROUP BY a.depth ORDER BY a.depth DESC LIMIT 1), '{}') AS recipients
      FROM units u WHERE u.id = $1`,
  /** Returned: the submitter and the unit's editors and up. */
  returned: `
    SELECT ${OR_ANCESTOR_MANAGERS(`${SUBMITTER} || ARRAY(SELECT r.email FROM users r WHERE r.disabled_at IS NULL AND r.unit_id = u.id AND r.role IN ('editor', 'supervisor', 'admin'))`)}
           AS recipients
      FROM units u WHERE u.id = $1`,
  /** Approved: the submitter and the unit (its contact emails and its editors and up). */
  approved: `SELECT ${OR_ANCESTOR_MANAGERS(`${SUBMITTER} || ${UNIT_RECIPIENTS('u')}`)} AS recipients FROM units u WHERE u.id = $1`,
  /**
   * The unit, the step, the unit that approves it (null at the root: its approvals are outside
   * decisions), the root (who signs), the actor, and the document reference of the transition (step_events $4).
   */
  context: `
    SELECT ${LETTER_UNIT('u')} AS unit,
           jsonb_build_object('no', ps.no, 'code', ps.code, 'title', ps.title_vi, 'dueDate', us.due_date, 'status', us.status) AS step,
           (SELECT ${LETTER_UNIT('a')} FROM units a WHERE a.id = ${APPROVING_UNIT('u')}) AS approver,
           ${ROOT_UNIT} AS root,
           (SELECT jsonb_build_object('name', a.name, 'email', a.email) FROM users a WHERE a.id = $3) AS actor,
           (SELECT e.document_ref FROM step_events e WHERE e.id = $4) AS "documentRef"
      FROM units u JOIN unit_steps us ON us.unit_id = u.id AND us.step_no = $2
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
     WHERE u.id = $1`,
  insert: insertNotifications(`SELECT $1::text, $2::text, $3::int, $4::text[], $5::jsonb, NULL::int`, 'id::text, status'),
};

/**
 * Sending. A claim sets `sending`, a lease ($2 ms) and increments `attempts`, which is the claim's
 * token: renewing the lease, failing or skipping only touch the row while the same claim holds it.
 * A row can be claimed when pending, failed (a retry asked for by hand, e.g. from Bull Board), or
 * sending with its lease run out (its worker died).
 */
export const MAIL_SQL = {
  // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE, rows for a SELECT.
  claim: `
    WITH claimed AS (
      UPDATE notifications
         SET status = 'sending', claimed_at = now(), lease_until = now() + make_interval(secs => $2::int / 1000.0), attempts = attempts + 1
       WHERE id = $1
         AND (status IN ('pending', 'failed')
              OR (status = 'sending' AND coalesce(lease_until, claimed_at + interval '5 minutes') < now()))
      RETURNING kind, recipients, payload, unit_id AS "unitId", attempts AS token)
    SELECT * FROM claimed`,
  renew: `
    WITH renewed AS (
      UPDATE notifications SET lease_until = now() + make_interval(secs => $3::int / 1000.0)
       WHERE id = $1 AND status = 'sending' AND attempts = $2 RETURNING id)
    SELECT count(*)::int AS n FROM renewed`,
  /**
   * Of a reminder's steps ($2), those still on the unit's clock now: a step finished, or submitted
   * (awaiting approval), since the sweep is no longer reminded to the unit.
   */
  openSteps: `SELECT step_no AS no FROM unit_steps WHERE unit_id = $1 AND step_no = ANY($2::int[]) AND status NOT IN ${OFF_UNIT_CLOCK_SQL}`,
  // The payload as sent (a reminder may have lost steps since the sweep). Whoever holds the row now:
  // the mail went out, so nobody may send it again.
  sent: `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now(), error = NULL, lease_until = NULL, payload = $3
          WHERE id = $1 AND status <> 'sent'`,
  skipped: `UPDATE notifications SET status = 'skipped', error = $2, lease_until = NULL WHERE id = $1 AND status = 'sending' AND attempts = $3`,
  retry: `UPDATE notifications SET status = 'pending', error = $2, lease_until = NULL WHERE id = $1 AND status = 'sending' AND attempts = $3`,
  failed: `UPDATE notifications SET status = 'failed', error = $2, lease_until = NULL WHERE id = $1 AND status = 'sending' AND attempts = $3`,
  /**
   * Failed notifications back to pending, in the caller's subtree ($1 "<path>%"), one ($2) or all
   * created since $3. Rows without a unit belong to the root's admins.
   */
  resend: `
    WITH target AS (
      SELECT n.id FROM notifications n LEFT JOIN units u ON u.id = n.unit_id
       WHERE n.status = 'failed' AND (u.path LIKE $1 OR (n.unit_id IS NULL AND $4::boolean))
         AND ($2::bigint IS NULL OR n.id = $2) AND ($3::timestamptz IS NULL OR n.created_at >= $3)
       FOR UPDATE OF n),
    requeued AS (
      UPDATE notifications n SET status = 'pending', error = NULL, lease_until = NULL
        FROM target WHERE n.id = target.id RETURNING n.id)
    SELECT id::text AS id FROM requeued ORDER BY id`,
  /** Whether a notification exists in the caller's subtree. */
  inScope: `
    SELECT n.status FROM notifications n LEFT JOIN units u ON u.id = n.unit_id
     WHERE n.id = $2 AND (u.path LIKE $1 OR (n.unit_id IS NULL AND $3::boolean))`,
  /** For /health: failed mails, and the age of the oldest one waiting to go out (pending or sending). */
  health: `
    SELECT (SELECT count(*) FROM notifications WHERE status = 'failed')::int AS failed,
           (SELECT floor(extract(epoch FROM now() - n.created_at))::int FROM notifications n
             WHERE n.status IN ('pending', 'sending') ORDER BY n.id LIMIT 1) AS "oldestPendingSeconds"`,
};

/** The daily digest's queries; $1 is the subtree pattern "<path>%". */
const DIGEST_SQL = {
  /**
   * Who gets a digest on day $1: every supervisor and admin, and the editors of units whose digest
   * carries reminders that day (units below them with nobody to write to).
   */
  recipients: `
    SELECT r.id, r.email, r.name, r.role, u.id AS "unitId", u.name AS "unitName", u.tier AS "unitTier",
           u.committee_name AS "unitCommitteeName", u.path,
           (SELECT max(n.payload ->> 'asOf') FROM notifications n WHERE n.kind = 'digest' AND n.user_id = r.id AND n.payload ->> 'asOf' < $1) AS previous
      FROM users r JOIN units u ON u.id = r.unit_id
     WHERE r.disabled_at IS NULL
       AND (r.role IN ('supervisor', 'admin')
        OR (r.role = 'editor' AND EXISTS (
              SELECT 1 FROM notifications d
               WHERE d.status = 'digested' AND d.payload ->> 'asOf' = $1 AND (d.payload ->> 'digestUnitId')::int = u.id)))
     ORDER BY r.id`,
  /** The day's reminders of units that had nobody to write to and that this unit manages, in tree order. */
  reminders: `
    SELECT d.unit_id AS id, u.code, u.name, p.name AS "parentName", d.payload -> 'steps' AS steps
      FROM notifications d JOIN units u ON u.id = d.unit_id LEFT JOIN units p ON p.id = u.parent_id
     WHERE d.status = 'digested' AND d.payload ->> 'asOf' = $2 AND (d.payload ->> 'digestUnitId')::int = $1
     ORDER BY u.path`,
  counts: `
    SELECT us.step_no AS no,
           count(*) FILTER (WHERE us.status = 'not_started')::int AS "notStarted",
           count(*) FILTER (WHERE us.status = 'in_progress')::int AS "inProgress",
           count(*) FILTER (WHERE us.status = 'awaiting_approval')::int AS "awaitingApproval",
           count(*) FILTER (WHERE us.status = 'returned')::int AS returned,
           count(*) FILTER (WHERE us.status = 'completed')::int AS completed,
           count(*) FILTER (WHERE us.status = 'skipped')::int AS skipped,
           count(*) FILTER (WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND us.due_date < $2::date)::int AS overdue
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 GROUP BY us.step_no ORDER BY us.step_no`,
  // Steps that became overdue since the previous digest ($2, or yesterday on the first digest): overdue starts the day after the due date.
  // The unit's overdue (counts and this list): a submitted step awaiting approval is on the approver's clock, not counted.
  newlyOverdue: `
    SELECT u.code, u.name, us.step_no AS "stepNo", us.due_date AS "dueDate", count(*) OVER ()::int AS total
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 AND us.status NOT IN ${OFF_UNIT_CLOCK_SQL}
       AND us.due_date >= coalesce($2::date, $3::date - 1) AND us.due_date < $3::date
     ORDER BY us.due_date, u.code, us.step_no LIMIT 50`,
  awaiting: `
    SELECT u.code, u.name, us.step_no AS "stepNo", ps.title_vi AS title, count(*) OVER ()::int AS total
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
     WHERE u.path LIKE $1 AND u.id <> $2 AND us.status = 'awaiting_approval'
     ORDER BY us.updated_at LIMIT 50`,
  /** The tree's root as letters name it: who signs the digest. */
  root: `SELECT ${ROOT_UNIT} AS root`,
  insert: `
    INSERT INTO notifications (key, kind, user_id, unit_id, recipients, payload)
    VALUES ($1, 'digest', $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING RETURNING id::text`,
};

const OUTBOX_SQL = {
  claim: `SELECT o.id::text AS id, o.topic, o.payload FROM outbox o WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
  published: `UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`,
};

export type EventKind = 'submitted' | 'returned' | 'approved';

/** What an event email shows (payload of submitted, returned, approved). */
export interface EventContext {
  unit: object;
  step: object;
  approver: object | null;
  root: object | null;
  actor: object | null;
  documentRef: string | null;
}

export interface ClaimedNotification {
  kind: string;
  recipients: string[];
  payload: object;
  unitId: number | null;
  /** The claim's token (the attempt number): only this claim may renew, fail or skip the row. */
  token: number;
}

export interface DigestRecipient {
  id: number;
  email: string;
  name: string;
  role: string;
  unitId: number;
  unitName: string;
  unitTier: string;
  unitCommitteeName: string | null;
  path: string;
  /** asOf of the user's previous digest, if any. */
  previous: string | null;
}

/** One unit's reminder of the day, carried by its managers' digest. */
export interface DigestReminder {
  id: number;
  code: string;
  name: string;
  parentName: string | null;
  steps: { no: number; title: string; dueDate: string; daysLeft: number }[];
}

export interface MailHealth {
  failed: number;
  /** Age in seconds of the oldest notification waiting to be sent; null when none waits. */
  oldestPendingSeconds: number | null;
}

/** Which notifications a resend targets, within the caller's subtree. */
export interface ResendFilter {
  scopePath: string;
  /** The caller is at the root: notifications without a unit are theirs too. */
  atRoot: boolean;
  id: string | null;
  since: string | null;
}

export interface NotificationFilter {
  scopePath: string;
  /** The caller's unit is the tree's root: notifications without a unit are theirs too. */
  atRoot: boolean;
  unitId: number | null;
  kind: string | null;
  status: string | null;
  /** Created on or after / on or before these days (Vietnam time). */
  from: string | null;
  to: string | null;
  limit: number;
  offset: number;
}

/**
 * The SQL of notifications (the logical emails: reminders, escalations, event emails, digests),
 * and of the outbox the worker relays. Every INSERT is ON CONFLICT (key) DO NOTHING.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly sql: Sql) {}

  /** The sweep's reminders as of a day: one row per unit with due or overdue steps. Returns how many were new. */
  async insertReminders(asOf: string, daysBefore: number[], overdueEvery: number): Promise<number> {
    const [{ n }]: { n: number }[] = await this.sql.query(SWEEP_SQL.reminders, [asOf, daysBefore, overdueEvery]);
    return n;
  }

  /** Escalations to the parents' supervisors of units overdue by more than `escalateAfter` days. */
  async insertEscalations(asOf: string, daysBefore: number[], overdueEvery: number, escalateAfter: number): Promise<number> {
    const [{ n }]: { n: number }[] = await this.sql.query(SWEEP_SQL.escalations, [asOf, daysBefore, overdueEvery, escalateAfter]);
    return n;
  }

  /** The approvers' reminders: submissions waiting past their approval deadline, one email per approving unit. */
  async insertApprovalReminders(asOf: string, overdueEvery: number): Promise<number> {
    const [{ n }]: { n: number }[] = await this.sql.query(SWEEP_SQL.approvalReminders, [asOf, overdueEvery]);
    return n;
  }

  /** Pending notifications older than `minAgeSeconds`, by id after `afterId`. */
  async pendingIds(afterId: string, limit: number, minAgeSeconds: number): Promise<string[]> {
    const rows: { id: string }[] = await this.sql.query(SWEEP_SQL.pending, [afterId, limit, minAgeSeconds]);
    return rows.map((r) => r.id);
  }

  /** What may need a mail job again (pending older than `minAgeSeconds`, or sending with an expired lease), by id after `afterId`. */
  async reclaimableIds(afterId: string, limit: number, minAgeSeconds: number): Promise<string[]> {
    const rows: { id: string }[] = await this.sql.query(SWEEP_SQL.reclaimable, [afterId, limit, minAgeSeconds]);
    return rows.map((r) => r.id);
  }

  /**
   * Who gets an event email: the approvers (submitted); the submitter and the unit's editors
   * (returned); the submitter and the unit (approved). Null: no such unit.
   */
  async eventRecipients(kind: EventKind, unitId: number, stepNo: number, eventId: number): Promise<string[] | null> {
    const [row]: { recipients: string[] }[] =
      kind === 'submitted'
        ? await this.sql.query(EVENT_SQL.approvers, [unitId])
        : await this.sql.query(kind === 'returned' ? EVENT_SQL.returned : EVENT_SQL.approved, [unitId, stepNo, eventId]);
    return row?.recipients ?? null;
  }

  /** What an event email shows: the unit, the step, the actor, the document reference; null when the unit or step no longer exists. */
  async eventContext(unitId: number, stepNo: number, actorId: number, eventId: number): Promise<EventContext | null> {
    const [row]: EventContext[] = await this.sql.query(EVENT_SQL.context, [unitId, stepNo, actorId, eventId]);
    return row ?? null;
  }

  /** The new row's id and status (none when the key existed). */
  insertEvent(n: {
    key: string;
    kind: EventKind;
    unitId: number;
    recipients: string[];
    payload: object;
  }): Promise<{ id: string; status: string }[]> {
    return this.sql.query(EVENT_SQL.insert, [n.key, n.kind, n.unitId, n.recipients, JSON.stringify(n.payload)]);
  }

  /** Claims a notification for sending, with a lease of `leaseMs`; null when there is nothing to send (sent, held by a live claim, skipped). */
  async claim(id: string, leaseMs: number): Promise<ClaimedNotification | null> {
    const [row]: ClaimedNotification[] = await this.sql.query(MAIL_SQL.claim, [id, leaseMs]);
    return row ?? null;
  }

  /** Extends the lease while the claim `token` still holds the row; false when it does not. */
  async renewLease(id: string, token: number, leaseMs: number): Promise<boolean> {
    const [{ n }]: { n: number }[] = await this.sql.query(MAIL_SQL.renew, [id, token, leaseMs]);
    return n > 0;
  }

  /** Of a unit's steps, those still open now. */
  async openSteps(unitId: number | null, stepNos: number[]): Promise<number[]> {
    const rows: { no: number }[] = await this.sql.query(MAIL_SQL.openSteps, [unitId, stepNos]);
    return rows.map((r) => r.no);
  }

  async markSent(id: string, messageId: string, payload: object): Promise<void> {
    await this.sql.query(MAIL_SQL.sent, [id, messageId, JSON.stringify(payload)]);
  }

  async markSkipped(id: string, token: number, reason: string): Promise<void> {
    await this.sql.query(MAIL_SQL.skipped, [id, reason, token]);
  }

  /** A failed attempt: back to pending for the next retry, or failed after the last one (only while the claim `token` holds the row). */
  async markFailedAttempt(id: string, token: number, error: string, lastAttempt: boolean): Promise<void> {
    await this.sql.query(lastAttempt ? MAIL_SQL.failed : MAIL_SQL.retry, [id, error, token]);
  }

  /** Failed notifications back to pending; returns their ids. */
  async resend(f: ResendFilter): Promise<string[]> {
    const rows: { id: string }[] = await this.sql.query(MAIL_SQL.resend, [`${f.scopePath}%`, f.id, f.since, f.atRoot]);
    return rows.map((r) => r.id);
  }

  /** The status of a notification in the caller's subtree; null when there is none. */
  async statusInScope(id: string, scopePath: string, atRoot: boolean): Promise<string | null> {
    const [row]: { status: string }[] = await this.sql.query(MAIL_SQL.inScope, [`${scopePath}%`, id, atRoot]);
    return row?.status ?? null;
  }

  async health(): Promise<MailHealth> {
    const [row]: MailHealth[] = await this.sql.query(MAIL_SQL.health);
    return row;
  }

  /** The tree's root as letters name it (name, tier, committee name), null on an empty tree. */
  async rootUnit(): Promise<object | null> {
    const [row]: { root: object | null }[] = await this.sql.query(DIGEST_SQL.root);
    return row?.root ?? null;
  }

  digestRecipients(asOf: string): Promise<DigestRecipient[]> {
    return this.sql.query(DIGEST_SQL.recipients, [asOf]);
  }

  /** The day's reminders that go into the digest of the managers of `unitId`. */
  digestReminders(unitId: number, asOf: string): Promise<DigestReminder[]> {
    return this.sql.query(DIGEST_SQL.reminders, [unitId, asOf]);
  }

  /** A digest's parts for the subtree at `path`: per-step counts, steps newly overdue since `previous`, what awaits approval. */
  async digestParts(
    recipient: DigestRecipient,
    asOf: string,
  ): Promise<{ counts: object[]; newlyOverdue: { total: number }[]; awaiting: { total: number }[] }> {
    const scope = `${recipient.path}%`;
    const [counts, newlyOverdue, awaiting] = await Promise.all([
      this.sql.query<object[]>(DIGEST_SQL.counts, [scope, asOf]),
      this.sql.query<{ total: number }[]>(DIGEST_SQL.newlyOverdue, [scope, recipient.previous, asOf]),
      this.sql.query<{ total: number }[]>(DIGEST_SQL.awaiting, [scope, recipient.unitId]),
    ]);
    return { counts, newlyOverdue, awaiting };
  }

  /** Returns whether the digest was new (its key is per user and day). */
  async insertDigest(key: string, recipient: DigestRecipient, payload: object): Promise<boolean> {
    const rows: unknown[] = await this.sql.query(DIGEST_SQL.insert, [
      key,
      recipient.id,
      recipient.unitId,
      [recipient.email],
      JSON.stringify(payload),
    ]);
    return rows.length > 0;
  }

  async list(f: NotificationFilter): Promise<{ total: number; items: NotificationDto[] }> {
    const params = [`${f.scopePath}%`, f.unitId, f.kind, f.status, f.atRoot, f.from, f.to];
    const day = `(n.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    const where = `(u.path LIKE $1 OR (n.unit_id IS NULL AND $5::boolean)) AND ($2::int IS NULL OR n.unit_id = $2)
      AND ($3::text IS NULL OR n.kind = $3) AND ($4::text IS NULL OR n.status = $4)
      AND ($6::date IS NULL OR ${day} >= $6::date) AND ($7::date IS NULL OR ${day} <= $7::date)`;
    const [{ total }]: { total: number }[] = await this.sql.query(
      `SELECT count(*)::int AS total FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE ${where}`,
      params,
    );
    const items: NotificationDto[] = await this.sql.query(
      `SELECT n.id::text, n.key, n.kind, n.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", n.recipients, n.status, n.attempts, n.message_id AS "messageId",
              n.error, n.payload, n.created_at AS "createdAt", n.sent_at AS "sentAt"
         FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE ${where}
        ORDER BY n.id DESC LIMIT $8 OFFSET $9`,
      [...params, f.limit, f.offset],
    );
    return { total, items };
  }

  /** Unpublished outbox rows, locked (FOR UPDATE SKIP LOCKED: several relays share the work), oldest first. */
  async claimOutbox(tx: Tx, limit: number): Promise<StepEvent[]> {
    const rows: { id: string; topic: StepEvent['topic']; payload: StepEvent['payload'] }[] = await tx.query(OUTBOX_SQL.claim, [limit]);
    return rows.map((r) => ({ outboxId: r.id, topic: r.topic, payload: r.payload }));
  }

  async markPublished(tx: Tx, outboxIds: string[]): Promise<void> {
    await tx.query(OUTBOX_SQL.published, [outboxIds]);
  }
}
