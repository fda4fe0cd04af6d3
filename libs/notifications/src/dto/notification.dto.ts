import { Type } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate, IsDbInt, IsOmittable, PageQuery } from '@app/core';

export const NOTIFICATION_KINDS = ['reminder', 'escalation', 'submitted', 'returned', 'approved', 'digest'] as const;
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;

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
  recipients: string[];
  status: string;
  attempts: number;
  messageId: string | null;
  error: string | null;
  payload: object;
  createdAt: string;
  sentAt: string | null;
}
