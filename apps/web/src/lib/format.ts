import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { T } from './vi';

dayjs.locale('vi');

const numberFormat = new Intl.NumberFormat('vi-VN');

/** `YYYY-MM-DD` (or an ISO instant) → dd/mm/yyyy; empty for null. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = dayjs(value);
  return d.isValid() ? d.format('DD/MM/YYYY') : '';
}

/** An ISO instant → dd/mm/yyyy HH:mm in the browser's time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format('DD/MM/YYYY HH:mm') : '';
}

/** Vietnamese separators: 1.234,5 */
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

export type Urgency = 'overdue' | 'due_soon' | 'returned' | 'approval' | 'normal';

/** Due soon = within this many days (UI.md: "due soon in amber"; the work list's window). */
export const DUE_SOON_DAYS = 7;

/** Whole calendar days from `today` to `due` (negative when past). Both `YYYY-MM-DD`. */
export function daysBetween(today: string, due: string): number {
  const a = Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10));
  const b = Date.UTC(+due.slice(0, 4), +due.slice(5, 7) - 1, +due.slice(8, 10));
  return Math.round((b - a) / 86_400_000);
}

/** Today in Vietnam (UTC+7, no daylight saving) as `YYYY-MM-DD`: the API's calendar. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

export interface DueTag {
  color: 'red' | 'orange' | 'default';
  text: string;
}

/**
 * The due-date tag of an open step: red "quá hạn N ngày" when overdue, amber when due within
 * 7 days, plain otherwise; null for closed steps (completed/skipped) and steps without a date.
 */
export function dueTag(step: { status: string; dueDate: string | null; daysOverdue?: number | null }, today: string): DueTag | null {
  if (!step.dueDate || step.status === 'completed' || step.status === 'skipped') return null;
  const left = daysBetween(today, step.dueDate);
  const overdue = step.daysOverdue && step.daysOverdue > 0 ? step.daysOverdue : left < 0 ? -left : 0;
  if (overdue > 0) return { color: 'red', text: T.overdueDays(overdue) };
  if (left <= DUE_SOON_DAYS) return { color: 'orange', text: T.dueInDays(left) };
  return { color: 'default', text: `${T.dueDate} ${formatDate(step.dueDate)}` };
}

/** The work list's urgency of a unit, as a tag color and Vietnamese label. */
export function urgencyTag(urgency: string): { color: string; text: string } {
  switch (urgency) {
    case 'overdue':
      return { color: 'red', text: T.overdue };
    case 'returned':
      return { color: 'volcano', text: T.returned };
    case 'approval':
      return { color: 'blue', text: T.awaitingMyApproval };
    case 'due_soon':
      return { color: 'orange', text: T.dueSoon };
    default:
      return { color: 'default', text: '' };
  }
}
