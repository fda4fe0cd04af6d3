import { Injectable } from '@nestjs/common';
import { FINISHED_SQL, Sql, type StepEvent, type Tx } from '@app/core';
import type { NotificationDto } from './dto/notification.dto';

/**
 * The SQL of notifications. Every INSERT is ON CONFLICT (key) DO NOTHING: the key names the
 * logical email, so running the sweep twice, or on two workers at once, sends nothing twice.
 */

/**
 * Inserts notification rows from `select` (key, kind, unit id, recipients, payload): a row without
 * recipients is recorded as skipped, so the log says why nobody got it. ON CONFLICT (key) DO NOTHING.
 */
const insertNotifications = (select: string, returning = 'id, status') => `
      INSERT INTO notifications (key, kind, unit_id, recipients, payload, status, error)
      SELECT key, kind, unit_id, recipients, payload,
             CASE WHEN cardinality(recipients) = 0 THEN 'skipped' ELSE 'pending' END,
             CASE WHEN cardinality(recipients) = 0 THEN 'no recipients' END
        FROM (${select}) n (key, kind, unit_id, recipients, payload)
      ON CONFLICT (key) DO NOTHING
      RETURNING ${returning}`;

/** A unit's recipients: its contact emails and its users with the editor role or above. */
const UNIT_RECIPIENTS = (unit: string) => `
  ARRAY(SELECT DISTINCT e FROM (
    SELECT unnest(${unit}.contact_emails) AS e
    UNION SELECT r.email FROM users r WHERE r.unit_id = ${unit}.id AND r.role IN ('editor', 'supervisor', 'admin')) x ORDER BY e)`;

/** Supervisors and admins of a unit itself. */
const UNIT_SUPERVISORS = (unitId: string) => `
  ARRAY(SELECT r.email FROM users r WHERE r.unit_id = ${unitId} AND r.role IN ('supervisor', 'admin') ORDER BY r.email)`;

/**
 * Open steps due in D-k (k in $2), due today, or overdue on the reminder cadence (day 1, then every
 * $3 days), as of $1. Uses the partial index on open steps' due dates.
 */
const DUE_STEPS = `
  SELECT us.unit_id, us.step_no, us.due_date, (us.due_date - $1::date) AS days_left
    FROM unit_steps us
   WHERE us.status NOT IN ${FINISHED_SQL}
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
    inserted AS (${insertNotifications(`SELECT 'reminder:' || unit_id || ':' || $1, 'reminder', unit_id, recipients, payload FROM grouped`)})
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
    inserted AS (${insertNotifications(`SELECT 'escalation:' || parent_id || ':' || $1, 'escalation', parent_id, recipients, payload FROM grouped`)})
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
  insert: insertNotifications(`SELECT $1::text, $2::text, $3::int, $4::text[], $5::jsonb`, 'id::text, status'),
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
  openSteps: `SELECT step_no AS no FROM unit_steps WHERE unit_id = $1 AND step_no = ANY($2::int[]) AND status NOT IN ${FINISHED_SQL}`,
  // The payload as sent (a reminder may have lost steps since the sweep).
  sent: `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now(), error = NULL, payload = $3 WHERE id = $1`,
  skipped: `UPDATE notifications SET status = 'skipped', error = $2 WHERE id = $1`,
  retry: `UPDATE notifications SET status = 'pending', error = $2 WHERE id = $1`,
  failed: `UPDATE notifications SET status = 'failed', error = $2 WHERE id = $1`,
};

/** The daily digest's queries, per supervisor or admin; $1 is the subtree pattern "<path>%". */
const DIGEST_SQL = {
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
           count(*) FILTER (WHERE us.status NOT IN ${FINISHED_SQL} AND us.due_date < $2::date)::int AS overdue
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 GROUP BY us.step_no ORDER BY us.step_no`,
  // Steps that became overdue since the previous digest ($2, or yesterday on the first digest): overdue starts the day after the due date.
  newlyOverdue: `
    SELECT u.code, u.name, us.step_no AS "stepNo", us.due_date AS "dueDate", count(*) OVER ()::int AS total
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 AND us.status NOT IN ${FINISHED_SQL}
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

const OUTBOX_SQL = {
  claim: `SELECT o.id::text AS id, o.topic, o.payload FROM outbox o WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
  published: `UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`,
};

export type EventKind = 'submitted' | 'returned' | 'approved';

export interface ClaimedNotification {
  kind: string;
  recipients: string[];
  payload: object;
  unitId: number | null;
}

export interface DigestRecipient {
  id: number;
  email: string;
  name: string;
  unitId: number;
  unitName: string;
  path: string;
  /** asOf of the user's previous digest, if any. */
  previous: string | null;
}

export interface NotificationFilter {
  scopePath: string;
  unitId: number | null;
  kind: string | null;
  status: string | null;
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

  /** Pending notifications older than `minAgeSeconds`, by id after `afterId`. */
  async pendingIds(afterId: string, limit: number, minAgeSeconds: number): Promise<string[]> {
    const rows: { id: string }[] = await this.sql.query(SWEEP_SQL.pending, [afterId, limit, minAgeSeconds]);
    return rows.map((r) => r.id);
  }

  /** Who gets an event email: approvers (submitted), the unit's editors (returned), the unit (approved); null: no such unit. */
  async eventRecipients(kind: EventKind, unitId: number): Promise<string[] | null> {
    const sql = kind === 'submitted' ? EVENT_SQL.approvers : kind === 'returned' ? EVENT_SQL.unitEditors : EVENT_SQL.unitRecipients;
    const [row]: { recipients: string[] }[] = await this.sql.query(sql, [unitId]);
    return row?.recipients ?? null;
  }

  /** What an event email shows: the unit, the step, the actor; null when the unit or step no longer exists. */
  async eventContext(
    unitId: number,
    stepNo: number,
    actorId: number,
  ): Promise<{ unit: object; step: object; actor: object | null } | null> {
    const [row]: { unit: object; step: object; actor: object | null }[] = await this.sql.query(EVENT_SQL.context, [
      unitId,
      stepNo,
      actorId,
    ]);
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

  /** Claims a pending notification for sending (or one stuck in sending); null when there is nothing to send. */
  async claim(id: string): Promise<ClaimedNotification | null> {
    const [row]: ClaimedNotification[] = await this.sql.query(MAIL_SQL.claim, [id]);
    return row ?? null;
  }

  /** Of a unit's steps, those still open now. */
  async openSteps(unitId: number | null, stepNos: number[]): Promise<number[]> {
    const rows: { no: number }[] = await this.sql.query(MAIL_SQL.openSteps, [unitId, stepNos]);
    return rows.map((r) => r.no);
  }

  async markSent(id: string, messageId: string, payload: object): Promise<void> {
    await this.sql.query(MAIL_SQL.sent, [id, messageId, JSON.stringify(payload)]);
  }

  async markSkipped(id: string, reason: string): Promise<void> {
    await this.sql.query(MAIL_SQL.skipped, [id, reason]);
  }

  /** A failed attempt: back to pending for the next retry, or failed after the last one. */
  async markFailedAttempt(id: string, error: string, lastAttempt: boolean): Promise<void> {
    await this.sql.query(lastAttempt ? MAIL_SQL.failed : MAIL_SQL.retry, [id, error]);
  }

  digestRecipients(): Promise<DigestRecipient[]> {
    return this.sql.query(DIGEST_SQL.recipients);
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
    const params = [`${f.scopePath}%`, f.unitId, f.kind, f.status];
    const where = `(n.unit_id IS NULL OR u.path LIKE $1) AND ($2::int IS NULL OR n.unit_id = $2)
      AND ($3::text IS NULL OR n.kind = $3) AND ($4::text IS NULL OR n.status = $4)`;
    const [{ total }]: { total: number }[] = await this.sql.query(
      `SELECT count(*)::int AS total FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE ${where}`,
      params,
    );
    const items: NotificationDto[] = await this.sql.query(
      `SELECT n.id::text, n.key, n.kind, n.unit_id AS "unitId", n.recipients, n.status, n.attempts, n.message_id AS "messageId",
              n.error, n.payload, n.created_at AS "createdAt", n.sent_at AS "sentAt"
         FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE ${where}
        ORDER BY n.id DESC LIMIT $5 OFFSET $6`,
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
