import { Injectable, Logger } from '@nestjs/common';
import { Clock, Env, StepEvent, StepTopic } from '@app/core';
import { ListNotificationsQuery, NotificationDto } from './dto/notification.dto';
import { MailQueue } from './mail-queue';
import { EventKind, NotificationsRepository } from './notifications.repository';

const KIND_BY_TOPIC: Record<StepTopic, EventKind> = {
  'step.submitted': 'submitted',
  'step.returned': 'returned',
  'step.approved': 'approved',
};

/**
 * Turns deadlines, transitions and the day's state into notification rows (the logical emails),
 * then hands them to the mail queue. PostgreSQL holds every fact; Redis only carries the work.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly env: Env,
    private readonly clock: Clock,
    private readonly mail: MailQueue,
  ) {}

  /** The reminder sweep as of a day: one email per unit listing its due and overdue steps, plus escalations. */
  async sweep(asOf = this.clock.today()): Promise<{ notifications: number; escalations: number; enqueued: number }> {
    const days = this.env.REMINDER_DAYS_BEFORE.split(',').map(Number);
    const notifications = await this.notifications.insertReminders(asOf, days, this.env.OVERDUE_EVERY_DAYS);
    const escalations = await this.notifications.insertEscalations(asOf, days, this.env.OVERDUE_EVERY_DAYS, this.env.ESCALATE_AFTER_DAYS);
    const enqueued = await this.enqueueSaved();
    this.logger.log({ asOf, notifications, escalations, enqueued }, 'Reminder sweep done');
    return { notifications, escalations, enqueued };
  }

  /** An outbox event (submitted, returned, approved) becomes one email to the right people. */
  async fromEvent(event: StepEvent): Promise<void> {
    const kind = KIND_BY_TOPIC[event.topic];
    const { unitId, stepNo, actorId, note } = event.payload;
    const recipients = await this.notifications.eventRecipients(kind, unitId);
    const context = await this.notifications.eventContext(unitId, stepNo, actorId);
    if (!recipients || !context) return; // the unit or step no longer exists: nothing to say
    const rows = await this.notifications.insertEvent({
      key: `event:${event.outboxId}`,
      kind,
      unitId,
      recipients,
      payload: { ...context, note },
    });
    const pending = rows.filter((r) => r.status === 'pending').map((r) => r.id);
    await this.mail.enqueue(pending);
  }

  /** The daily digest to every supervisor and admin: their subtree's counts, newly overdue units, what awaits them. */
  async digest(asOf = this.clock.today()): Promise<{ notifications: number }> {
    const users = await this.notifications.digestRecipients();
    let created = 0;
    for (const user of users) {
      const { counts, newlyOverdue, awaiting } = await this.notifications.digestParts(user, asOf);
      const payload = {
        asOf,
        user: { id: user.id, name: user.name },
        unit: { id: user.unitId, name: user.unitName },
        counts,
        newlyOverdue: { total: newlyOverdue[0]?.total ?? 0, items: newlyOverdue },
        awaiting: { total: awaiting[0]?.total ?? 0, items: awaiting },
      };
      if (await this.notifications.insertDigest(`digest:${user.id}:${asOf}`, user, payload)) created++;
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

  list(scopePath: string, query: ListNotificationsQuery): Promise<{ total: number; items: NotificationDto[] }> {
    return this.notifications.list({
      scopePath,
      unitId: query.unitId ?? null,
      kind: query.kind ?? null,
      status: query.status ?? null,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
  }
}
