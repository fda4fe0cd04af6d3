import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, Env } from '@app/core';
import { EventJob } from './jobs';
import { MailQueue } from './mail-queue';
import { EVENT_SQL, SWEEP_SQL } from './notifications.sql';
import { DIGEST_SQL } from './digest.sql';
import { ListNotificationsQuery, NotificationDto } from './dto/notification.dto';

const KIND_BY_TOPIC = { 'step.submitted': 'submitted', 'step.returned': 'returned', 'step.approved': 'approved' } as const;

/**
 * Turns deadlines, transitions and the day's state into notification rows (the logical emails),
 * then hands them to the mail queue. PostgreSQL holds every fact; Redis only carries the work.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly env: Env,
    private readonly clock: Clock,
    private readonly mail: MailQueue,
  ) {}

  /** The reminder sweep as of a day: one email per unit listing its due and overdue steps, plus escalations. */
  async sweep(asOf = this.clock.today()): Promise<{ notifications: number; escalations: number; enqueued: number }> {
    const days = this.env.REMINDER_DAYS_BEFORE.split(',').map(Number);
    const params = [asOf, days, this.env.OVERDUE_EVERY_DAYS];
    const [{ n: notifications }]: { n: number }[] = await this.db.query(SWEEP_SQL.reminders, params);
    const [{ n: escalations }]: { n: number }[] = await this.db.query(SWEEP_SQL.escalations, [...params, this.env.ESCALATE_AFTER_DAYS]);
    const enqueued = await this.enqueueSaved();
    this.logger.log({ asOf, notifications, escalations, enqueued }, 'Reminder sweep done');
    return { notifications, escalations, enqueued };
  }

  /** An outbox event (submitted, returned, approved) becomes one email to the right people. */
  async fromEvent(job: EventJob): Promise<void> {
    const kind = KIND_BY_TOPIC[job.topic];
    const { unitId, stepNo, actorId, note } = job.payload;
    const recipientsSql =
      kind === 'submitted' ? EVENT_SQL.approvers : kind === 'returned' ? EVENT_SQL.unitEditors : EVENT_SQL.unitRecipients;
    const [target]: { recipients: string[] }[] = await this.db.query(recipientsSql, [unitId]);
    const [context]: { unit: object; step: object; actor: object | null }[] = await this.db.query(EVENT_SQL.context, [
      unitId,
      stepNo,
      actorId,
    ]);
    if (!target || !context) return; // the unit or step no longer exists: nothing to say
    const rows: { id: string; status: string }[] = await this.db.query(EVENT_SQL.insert, [
      `event:${job.outboxId}`,
      kind,
      unitId,
      target.recipients,
      JSON.stringify({ ...context, note }),
    ]);
    const pending = rows.filter((r) => r.status === 'pending').map((r) => r.id);
    await this.mail.enqueue(pending);
  }

  /** The daily digest to every supervisor and admin: their subtree's counts, newly overdue units, what awaits them. */
  async digest(asOf = this.clock.today()): Promise<{ notifications: number }> {
    const users: { id: number; email: string; name: string; unitId: number; unitName: string; path: string; previous: string | null }[] =
      await this.db.query(DIGEST_SQL.recipients);
    let created = 0;
    for (const user of users) {
      const scope = `${user.path}%`;
      const [counts, newlyOverdue, awaiting] = await Promise.all([
        this.db.query(DIGEST_SQL.counts, [scope, asOf]),
        this.db.query(DIGEST_SQL.newlyOverdue, [scope, user.previous, asOf]),
        this.db.query(DIGEST_SQL.awaiting, [scope, user.unitId]),
      ]);
      const payload = {
        asOf,
        user: { id: user.id, name: user.name },
        unit: { id: user.unitId, name: user.unitName },
        counts,
        newlyOverdue: { total: newlyOverdue[0]?.total ?? 0, items: newlyOverdue },
        awaiting: { total: awaiting[0]?.total ?? 0, items: awaiting },
      };
      const rows: { id: string }[] = await this.db.query(DIGEST_SQL.insert, [
        `digest:${user.id}:${asOf}`,
        user.id,
        user.unitId,
        [user.email],
        JSON.stringify(payload),
      ]);
      created += rows.length;
    }
    await this.enqueueSaved();
    return { notifications: created };
  }

  /**
   * The rows are committed before they are handed to Redis: if Redis is down the sweep still
   * succeeds, and the worker's periodic pass over pending notifications sends them later.
   */
  private async enqueueSaved(): Promise<number> {
    try {
      return await this.mail.enqueuePending();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Mail queue unreachable; pending notifications will be sent when it returns');
      return 0;
    }
  }

  async list(scopePath: string, query: ListNotificationsQuery): Promise<{ total: number; items: NotificationDto[] }> {
    const params = [`${scopePath}%`, query.unitId ?? null, query.kind ?? null, query.status ?? null];
    const where = `(n.unit_id IS NULL OR u.path LIKE $1) AND ($2::int IS NULL OR n.unit_id = $2)
      AND ($3::text IS NULL OR n.kind = $3) AND ($4::text IS NULL OR n.status = $4)`;
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE ${where}`,
      params,
    );
    const items: NotificationDto[] = await this.db.query(
      `SELECT n.id::text, n.key, n.kind, n.unit_id AS "unitId", n.recipients, n.status, n.attempts, n.message_id AS "messageId",
              n.error, n.payload, n.created_at AS "createdAt", n.sent_at AS "sentAt"
         FROM notifications n LEFT JOIN units u ON u.id = n.unit_id WHERE ${where}
        ORDER BY n.id DESC LIMIT $5 OFFSET $6`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return { total, items };
  }
}
