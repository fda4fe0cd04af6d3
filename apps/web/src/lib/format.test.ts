import { describe, expect, it } from 'vitest';
import { daysBetween, dueTag, formatDate, formatDateTime, formatNumber, todayInVietnam, urgencyTag } from './format';

describe('dates and numbers in Vietnamese', () => {
  it('writes a calendar day as dd/mm/yyyy', () => {
    expect(formatDate('2026-03-05')).toBe('05/03/2026');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });

  it('writes an instant as dd/mm/yyyy HH:mm', () => {
    expect(formatDateTime('2026-03-05T01:02:00Z')).toMatch(/^\d{2}\/\d{2}\/2026 \d{2}:\d{2}$/);
  });

  it('uses Vietnamese separators', () => {
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatNumber(300000)).toBe('300.000');
  });

  it('counts calendar days and reads today in Vietnam (UTC+7)', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect(daysBetween('2026-03-02', '2026-02-27')).toBe(-3);
    expect(todayInVietnam(new Date('2026-03-01T18:00:00Z'))).toBe('2026-03-02');
    expect(todayInVietnam(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-01');
  });
});

describe('due tags', () => {
  const today = '2026-03-10';
  it('is red "quá hạn N ngày" for an open step past its date', () => {
    expect(dueTag({ status: 'in_progress', dueDate: '2026-03-07' }, today)).toEqual({ color: 'red', text: 'quá hạn 3 ngày' });
  });
  it('prefers the API’s working-day count when it gives one', () => {
    expect(dueTag({ status: 'returned', dueDate: '2026-03-07', daysOverdue: 2 }, today)).toEqual({ color: 'red', text: 'quá hạn 2 ngày' });
  });
  it('is amber within 7 days, including today', () => {
    expect(dueTag({ status: 'not_started', dueDate: '2026-03-10' }, today)).toEqual({ color: 'orange', text: 'hạn hôm nay' });
    expect(dueTag({ status: 'not_started', dueDate: '2026-03-17' }, today)).toEqual({ color: 'orange', text: 'còn 7 ngày' });
  });
  it('is plain further out, and absent for closed or undated steps', () => {
    expect(dueTag({ status: 'not_started', dueDate: '2026-03-18' }, today)?.color).toBe('default');
    expect(dueTag({ status: 'completed', dueDate: '2026-03-01' }, today)).toBeNull();
    expect(dueTag({ status: 'skipped', dueDate: '2026-03-01' }, today)).toBeNull();
    expect(dueTag({ status: 'in_progress', dueDate: null }, today)).toBeNull();
  });
  it('names each urgency of the work list', () => {
    expect(urgencyTag('overdue')).toEqual({ color: 'red', text: 'Quá hạn' });
    expect(urgencyTag('due_soon').text).toBe('Sắp đến hạn');
    expect(urgencyTag('returned').text).toBe('Trả lại, đề nghị hoàn thiện');
    expect(urgencyTag('approval').text).toBe('Chờ tôi phê duyệt');
  });
});
