import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Role } from '@app/core';
import { QUEUES } from '@app/notifications';
import type { ApiResponse, TestApp } from '../setup/test-app';

/** Step titles of the default plan, written out here so that the emails' diacritics are checked against text, not the code. */
export const TITLES: Record<number, string> = {
  1: 'Quán triệt chỉ thị, kế hoạch của cấp trên; ban hành kế hoạch của cấp mình',
  2: 'Thành lập các tiểu ban giúp việc đại hội (văn kiện, nhân sự, tổ chức – phục vụ)',
  3: 'Kiểm điểm sự lãnh đạo, chỉ đạo của cấp ủy nhiệm kỳ qua',
  4: 'Xây dựng dự thảo báo cáo chính trị',
  5: 'Lấy ý kiến góp ý dự thảo văn kiện (đảng viên, nhân dân, cấp dưới)',
  6: 'Rà soát, bổ sung quy hoạch cấp ủy',
  7: 'Xây dựng đề án nhân sự cấp ủy (số lượng, cơ cấu, tiêu chuẩn)',
  8: 'Thực hiện quy trình giới thiệu nhân sự',
  9: 'Thẩm tra, xác minh, kết luận tiêu chuẩn chính trị',
  10: 'Báo cáo cấp ủy cấp trên về văn kiện và phương án nhân sự',
};

/** YYYY-MM-DD plus `days` (calendar days). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** YYYY-MM-DD as the emails show it: dd/mm/yyyy. */
export function vnDate(iso: string): string {
  return iso.split('-').reverse().join('/');
}

/** No step has a due date any more: only what a test arranges can be due. */
export async function clearDueDates(t: TestApp): Promise<void> {
  await t.db.query(`UPDATE unit_steps SET due_date = NULL WHERE due_date IS NOT NULL`);
}

/** Sets due dates of a unit's steps relative to `asOf`: `{ stepNo: daysFromAsOf }` (negative = already past). */
export async function setDue(t: TestApp, unitId: number, asOf: string, offsets: Record<number, number>): Promise<void> {
  for (const [no, days] of Object.entries(offsets)) {
    const { rowCount } = await t.db.query(`UPDATE unit_steps SET due_date = $3::date + $4::int WHERE unit_id = $1 AND step_no = $2`, [
      unitId,
      Number(no),
      asOf,
      days,
    ]);
    if (rowCount !== 1) throw new Error(`unit ${unitId} has no step ${no}`);
  }
}

export async function setContacts(t: TestApp, unitId: number, emails: string[]): Promise<void> {
  await t.db.query(`UPDATE units SET contact_emails = $2 WHERE id = $1`, [unitId, emails]);
}

/** Creates a user bound to the unit (and logs in, so the token can act). */
export function addUser(t: TestApp, role: Role, unitId: number, email: string): Promise<string> {
  return t.loginAs(role, unitId, email);
}

export async function sweep(t: TestApp, asOf: string): Promise<{ notifications: number; escalations: number; enqueued: number }> {
  const res = await t.request('POST', '/api/reminders/sweep', { token: t.adminToken, body: { asOf } });
  if (res.status !== 200) throw new Error(`sweep failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function listNotifications(t: TestApp, query = '', token = t.adminToken): Promise<ApiResponse> {
  return t.request('GET', `/api/notifications${query ? `?${query}` : ''}`, { token });
}

export interface NotificationRow {
  id: string;
  key: string;
  kind: string;
  status: string;
  attempts: number;
  recipients: string[];
  error: string | null;
  messageId: string | null;
}

/** Notification rows whose key starts with `keyPrefix` (e.g. "reminder:12:"), oldest first. */
export async function notificationRows(t: TestApp, keyPrefix = ''): Promise<NotificationRow[]> {
  const { rows } = await t.db.query(
    `SELECT id::text, key, kind, status, attempts, recipients, error, message_id AS "messageId"
       FROM notifications WHERE key LIKE $1 || '%' ORDER BY id`,
    [keyPrefix],
  );
  return rows;
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitUntil<T>(
  description: string,
  check: () => Promise<T | false | null | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits until nothing is left to deliver: the outbox is relayed, no notification is pending or being
 * sent, and the queues hold no waiting, delayed or active job; then a short grace period, so that
 * a duplicate email (if the product sent one) would have arrived before the test counts.
 */
export async function settle(t: TestApp, timeoutMs = 15_000): Promise<void> {
  const queues = [QUEUES.mail, QUEUES.events].map((name) => t.app.get<Queue>(getQueueToken(name)));
  await waitUntil(
    'the outbox, the notifications and the queues to be idle',
    async () => {
      const { rows } = await t.db.query(
        `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)::int
              + (SELECT count(*) FROM notifications WHERE status IN ('pending', 'sending'))::int AS busy`,
      );
      if (rows[0].busy > 0) return false;
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(counts).some((n) => n > 0)) return false;
      }
      return true;
    },
    timeoutMs,
  );
  await new Promise((r) => setTimeout(r, 300));
}

/** Mails counted against notification rows: one message per row meant to be sent, none for others. */
export interface DeliveryAudit {
  /** Rows that must reach the SMTP server (everything not skipped or digested). */
  expected: number;
  /** Of those, rows whose message arrived. */
  delivered: number;
  /** Messages beyond the first for a row. */
  duplicated: number;
  /** Rows not sent (still pending, sending, failed), or sent with no message received. */
  lost: number;
}

/**
 * Compares what the SMTP server received with the `notifications` rows whose key is LIKE
 * `keyPattern` (e.g. 'reminder:%:2025-03-10'): each message carries its row's id in its Message-ID
 * (`<notification-<id>@…>`).
 */
export async function auditDelivery(t: TestApp, messages: { messageId: string }[], keyPattern = '%'): Promise<DeliveryAudit> {
  const { rows } = await t.db.query<{ id: string; status: string }>(
    `SELECT id::text, status FROM notifications WHERE key LIKE $1 AND status NOT IN ('skipped', 'digested')`,
    [keyPattern],
  );
  const received = new Map<string, number>();
  for (const m of messages) {
    const id = /^<notification-(\d+)@/.exec(m.messageId)?.[1];
    if (id) received.set(id, (received.get(id) ?? 0) + 1);
  }
  let delivered = 0;
  let duplicated = 0;
  let lost = 0;
  for (const row of rows) {
    const n = received.get(row.id) ?? 0;
    if (n > 0) delivered++;
    duplicated += Math.max(n - 1, 0);
    if (row.status !== 'sent' || n === 0) lost++;
  }
  return { expected: rows.length, delivered, duplicated, lost };
}
