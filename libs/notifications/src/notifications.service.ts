import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, Env, StepEvent, StepTopic } from '@app/core';
import { ListNotificationsQuery, NotificationDto } from './dto/notification.dto';
import { MailQueue } from './mail-queue';
import { DigestRecipient, DigestReminder, EventKind, MailHealth, NotificationsRepository } from './notifications.repository';

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
  async sweep(asOf = this.clock.today()): Promise<{ notifications: number; escalations: number; approvals: number; enqueued: number }> {
    const days = this.env.REMINDER_DAYS_BEFORE.split(',').map(Number);
    const notifications = await this.notifications.insertReminders(asOf, days, this.env.OVERDUE_EVERY_DAYS);
    const escalations = await this.notifications.insertEscalations(asOf, days, this.env.OVERDUE_EVERY_DAYS, this.env.ESCALATE_AFTER_DAYS);
    // The approver's clock: submissions waiting past their approval deadline are reminded to the approvers.
    const approvals = await this.notifications.insertApprovalReminders(asOf, this.env.OVERDUE_EVERY_DAYS);
    const enqueued = await this.enqueueSaved();
    this.logger.log({ asOf, notifications, escalations, approvals, enqueued }, 'Reminder sweep done');
    return { notifications, escalations, approvals, enqueued };
  }

  /** An outbox event (submitted, returned, approved) becomes one email to the right people. */
  async fromEvent(event: StepEvent): Promise<void> {
    const kind = KIND_BY_TOPIC[event.topic];
    const { unitId, stepNo, actorId, note, eventId } = event.payload;
    const recipients = await this.notifications.eventRecipients(kind, unitId, stepNo, eventId);
    const context = await this.notifications.eventContext(unitId, stepNo, actorId, eventId);
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

  /**
   * The daily digest, one email per person and day: to every supervisor and admin their subtree's
   * counts, newly overdue units and what awaits them; to everyone who manages units that have
   * nobody to write to (editors and up of the nearest such ancestor), those units' reminders of the
   * day, grouped by the unit above them.
   */
  async digest(asOf = this.clock.today()): Promise<{ notifications: number }> {
    const users = await this.notifications.digestRecipients(asOf);
    const root = users.length > 0 ? await this.notifications.rootUnit() : null;
    const reminders = new Map<number, Promise<DigestReminder[]>>();
    let created = 0;
    for (const user of users) {
      if (!reminders.has(user.unitId)) reminders.set(user.unitId, this.notifications.digestReminders(user.unitId, asOf));
      const units = await reminders.get(user.unitId)!;
      const overview = user.role === 'supervisor' || user.role === 'admin' ? await this.overview(user, asOf) : {};
      const payload = {
        asOf,
        user: { id: user.id, name: user.name },
        unit: { id: user.unitId, name: user.unitName, tier: user.unitTier, committeeName: user.unitCommitteeName },
        root,
        ...overview,
        reminders: units.length === 0 ? null : { total: units.length, groups: groupByParent(units) },
      };
      if (await this.notifications.insertDigest(`digest:${user.id}:${asOf}`, user, payload)) created++;
    }
    await this.enqueueSaved();
    return { notifications: created };
  }

  private async overview(user: DigestRecipient, asOf: string): Promise<object> {
    const { counts, newlyOverdue, awaiting } = await this.notifications.digestParts(user, asOf);
    return {
      counts,
      newlyOverdue: { total: newlyOverdue[0]?.total ?? 0, items: newlyOverdue },
      awaiting: { total: awaiting[0]?.total ?? 0, items: awaiting },
    };
  }

  /**
   * Failed notifications of the caller's subtree back to the mail queue: one (`id`), or all created
   * since `since`. Returns how many were queued again (0 for a notification that is not failed).
   * Notifications without a unit belong to the admins of the root.
   */
  async resend(unitPath: string, target: { id?: string; since?: string }): Promise<{ requeued: number }> {
    const scope = { unitPath, atRoot: unitPath.split('/').filter(Boolean).length === 1 };
    if (target.id !== undefined && (await this.notifications.statusInScope(target.id, scope.unitPath, scope.atRoot)) === null)
      throw new DomainError('NOT_FOUND', `No notification ${target.id} in your units`, { id: target.id });
    const ids = await this.notifications.resend({
      scopePath: scope.unitPath,
      atRoot: scope.atRoot,
      id: target.id ?? null,
      since: target.since ?? null,
    });
    // The rows are pending now: should Redis be down, the worker's reclaim pass queues them later.
    await this.mail
      .requeue(ids)
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'Mail queue unreachable; resend deferred'));
    return { requeued: ids.length };
  }

  /** For /health: failed mails and the age of the oldest waiting one. */
  mailHealth(): Promise<MailHealth> {
    return this.notifications.health();
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

  /**
   * The log of the caller's subtree, newest first; notifications without a unit only for the root's
   * people (as resend treats them). A `from` after `to` is refused.
   */
  list(scopePath: string, query: ListNotificationsQuery): Promise<{ total: number; items: NotificationDto[] }> {
    if (query.from && query.to && query.from > query.to)
      throw DomainError.validation([{ field: 'from', reason: `must not be after to (${query.to})` }]);
    return this.notifications.list({
      scopePath,
      atRoot: scopePath.split('/').filter(Boolean).length === 1,
      from: query.from ?? null,
      to: query.to ?? null,
      unitId: query.unitId ?? null,
      kind: query.kind ?? null,
      status: query.status ?? null,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
  }
}

interface DigestLine {
  steps: DigestReminder['steps'];
  units: Pick<DigestReminder, 'id' | 'code' | 'name'>[];
}

/**
 * Reminders in tree order, grouped under the unit above them (the commune of a cell); within a
 * group, units with the same steps due share one line ("Bước 1 (hạn …): Chi bộ A, Chi bộ B, …"), so
 * a district with 300 cells reads as a few dozen lines rather than 300 repetitions.
 */
function groupByParent(units: DigestReminder[]): { parentName: string | null; lines: DigestLine[] }[] {
  const groups: { parentName: string | null; lines: DigestLine[]; bySteps: Map<string, DigestLine> }[] = [];
  for (const unit of units) {
    let group = groups[groups.length - 1];
    if (!group || group.parentName !== unit.parentName) {
      group = { parentName: unit.parentName, lines: [], bySteps: new Map() };
      groups.push(group);
    }
    const signature = JSON.stringify(unit.steps);
    let line = group.bySteps.get(signature);
    if (!line) {
      line = { steps: unit.steps, units: [] };
      group.bySteps.set(signature, line);
      group.lines.push(line);
    }
    line.units.push({ id: unit.id, code: unit.code, name: unit.name });
  }
  return groups.map(({ parentName, lines }) => ({ parentName, lines }));
}
