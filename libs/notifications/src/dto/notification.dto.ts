import { Type } from 'class-transformer';
import { Equals, IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsCalendarDate, IsDbInt, IsOmittable, PageQuery } from '@app/core';

export const NOTIFICATION_KINDS = ['reminder', 'escalation', 'submitted', 'returned', 'approved', 'digest', 'approval_overdue'] as const;
/** `digested`: a reminder for a unit with nobody to write to, delivered in the daily digest of those who manage it. */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'digested'] as const;

export class ListNotificationsQuery extends PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsDbInt()
  unitId?: number;

  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: (typeof NOTIFICATION_KINDS)[number];

  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: (typeof NOTIFICATION_STATUSES)[number];

  /** Created on or after this day (YYYY-MM-DD, Vietnam time). */
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  /** Created on or before this day (YYYY-MM-DD, Vietnam time). */
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class ResendDto {
  /** Which notifications to send again: only failed ones can be. */
  @Equals('failed', { message: 'status must be "failed"' })
  status: 'failed';

  /** Only those created at or after this instant (ISO 8601 date or date-time). */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date or date-time' })
  since?: string;
}

export class SweepDto {
  /** Run the sweep as of this day (YYYY-MM-DD); today in Vietnam when absent. */
  @IsOmittable()
  @IsCalendarDate()
  asOf?: string;
}

export class NotificationDto {
  id: string;
  key: string;
  kind: string;
  unitId: number | null;
  /** The unit's code and name (null for a notification without a unit). */
  unitCode: string | null;
  unitName: string | null;
  recipients: string[];
  status: string;
  attempts: number;
  messageId: string | null;
  error: string | null;
  payload: object;
  createdAt: string;
  sentAt: string | null;
}

/** One page of the notification log and how many match the filters. */
export class NotificationListDto {
  total: number;
  items: NotificationDto[];
}

/** How many failed notifications went back to the mail queue. */
export class RequeuedDto {
  requeued: number;
}
