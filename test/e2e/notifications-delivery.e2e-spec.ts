import { communes, plannedTree } from '../factories/workflow';
import { clearDueDates, notificationRows, setContacts, setDue, settle, sweep, vnDate, waitUntil } from '../factories/notifications';
import { MailQueue } from '@app/notifications';
import { MailStack, startMailStack, TestWorker } from '../setup/test-worker';

/** At most once per logical email (sweeps repeated or concurrent, jobs run twice), at least once while SMTP comes back. */
describe('reminder delivery: no duplicates, retries until SMTP answers', () => {
  let stack: MailStack;
  let ids: Record<string, number>;
  const contact = (i: number) => `vp.c${i}@test.vn`;
  const ofDay = (asOf: string) => stack.smtp.messages.filter((m) => m.subject.endsWith(`(${vnDate(asOf)})`));

  beforeAll(async () => {
    stack = await startMailStack();
    ({ ids } = await plannedTree(stack.t, communes(12)));
    for (let i = 1; i <= 12; i++) await setContacts(stack.t, ids[`C${i}`], [contact(i)]);
  });
  afterAll(async () => stack?.close());
  beforeEach(async () => clearDueDates(stack.t));

  /** A pending notification written straight into the table: no job carries it, the worker's safety net waits 60 s. */
  async function pendingNotification(unit: string, key: string): Promise<string> {
    const payload = {
      unit: { id: ids[unit], code: unit, name: `Đảng ủy xã ${unit}` },
      step: { no: 7, title: 'Xây dựng đề án nhân sự cấp ủy (số lượng, cơ cấu, tiêu chuẩn)', dueDate: null, status: 'awaiting_approval' },
      actor: { name: 'Nguyễn Văn Án', email: 'an@test.vn' },
      note: null,
    };
    const { rows } = await stack.t.db.query(
      `INSERT INTO notifications (key, kind, unit_id, recipients, payload) VALUES ($1, 'submitted', $2, $3, $4) RETURNING id::text`,
      [key, ids[unit], [contact(Number(unit.slice(1)))], JSON.stringify(payload)],
    );
    return rows[0].id;
  }

  it('the same sweep run twice sends each email once', async () => {
    const { t, smtp } = stack;
    const asOf = '2025-04-01';
    await setDue(t, ids.C1, asOf, { 2: 3, 3: 7 });
    await setDue(t, ids.C2, asOf, { 4: -1 });
    expect((await sweep(t, asOf)).notifications).toBe(2);
    expect(await sweep(t, asOf)).toMatchObject({ notifications: 0, escalations: 0 });
    await smtp.waitFor('two reminders', () => ofDay(asOf).length >= 2);
    expect((await sweep(t, asOf)).notifications).toBe(0);
    await settle(t);
    expect(ofDay(asOf).map((m) => m.to)).toEqual(expect.arrayContaining([[contact(1)], [contact(2)]]));
    expect(ofDay(asOf)).toHaveLength(2);
  });

  it('concurrent sweeps, from the API and from two worker instances, send each email once', async () => {
    const { t, smtp } = stack;
    const second: TestWorker = await stack.startWorker();
    const asOf = '2025-04-15';
    for (let i = 3; i <= 8; i++) await setDue(t, ids[`C${i}`], asOf, { 5: i % 2 === 0 ? 1 : 0 });
    const results = await Promise.all([
      sweep(t, asOf),
      sweep(t, asOf),
      stack.worker.notifications.sweep(asOf),
      second.notifications.sweep(asOf),
      second.notifications.sweep(asOf),
    ]);
    expect(results.reduce((n, r) => n + r.notifications, 0)).toBe(6);
    await smtp.waitFor('six reminders', () => ofDay(asOf).length >= 6);
    await settle(t);
    expect(ofDay(asOf)).toHaveLength(6);
    for (let i = 3; i <= 8; i++) expect(smtp.to(contact(i), vnDate(asOf))).toHaveLength(1);
    const rows = await notificationRows(t, 'reminder:');
    expect(rows.filter((r) => r.key.endsWith(asOf)).map((r) => [r.status, r.attempts])).toEqual(Array(6).fill(['sent', 1]));
  });

  it('SMTP refusing connections: the mails are retried with backoff and each arrives once when it is back', async () => {
    const { t, smtp } = stack;
    const asOf = '2025-05-05';
    await setDue(t, ids.C9, asOf, { 6: 3 });
    await setDue(t, ids.C10, asOf, { 6: 7 });
    await smtp.down();
    try {
      expect((await sweep(t, asOf)).notifications).toBe(2);
      // Both have failed at least twice, and are back to pending with the connection error recorded.
      const failing = await waitUntil('two failed attempts each', async () => {
        const rows = (await notificationRows(t, 'reminder:')).filter((r) => r.key.endsWith(asOf));
        return rows.length === 2 && rows.every((r) => r.attempts >= 2 && r.status === 'pending') && rows;
      });
      for (const r of failing) expect(r.error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await smtp.up();
    }
    await smtp.waitFor('both reminders after the outage', () => ofDay(asOf).length >= 2);
    await settle(t);
    expect(smtp.to(contact(9), vnDate(asOf))).toHaveLength(1);
    expect(smtp.to(contact(10), vnDate(asOf))).toHaveLength(1);
    const rows = (await notificationRows(t, 'reminder:')).filter((r) => r.key.endsWith(asOf));
    expect(rows.map((r) => [r.status, r.error])).toEqual([
      ['sent', null],
      ['sent', null],
    ]);
    expect(rows.every((r) => r.attempts >= 3)).toBe(true);
  });

  it('a mail job processed twice, or by two senders at once, sends one message', async () => {
    const { t, smtp, worker } = stack;
    const second = await stack.startWorker();
    const id = await pendingNotification('C11', 'test:twice');
    const outcomes = await Promise.all([
      worker.sender.send({ notificationId: id, lastAttempt: false }),
      worker.sender.send({ notificationId: id, lastAttempt: false }),
      second.sender.send({ notificationId: id, lastAttempt: false }),
    ]);
    expect(outcomes.sort()).toEqual(['sent', 'skipped', 'skipped']);
    expect(await worker.sender.send({ notificationId: id, lastAttempt: true })).toBe('skipped');

    // The same job added again (deduplicated by its id), and a second job for the same notification: still one message.
    await worker.mailQueue.add('send', { notificationId: id }, { jobId: `notification-${id}` });
    await worker.mailQueue.add('send', { notificationId: id }, { jobId: `notification-${id}-again` });
    await settle(t);
    const received = smtp.to(contact(11));
    expect(received).toHaveLength(1);
    expect(received[0].subject).toBe(
      '[Chờ phê duyệt] Đảng ủy xã C11: Bước 7. Xây dựng đề án nhân sự cấp ủy (số lượng, cơ cấu, tiêu chuẩn)',
    );
    expect(received[0].text).toContain('Người trình: Nguyễn Văn Án');
    const [row] = await notificationRows(t, 'test:twice');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, messageId: received[0].messageId });
  });

  it('the last attempt failing marks the notification failed: the reclaim pass leaves it alone, a retry asked for by hand sends it once', async () => {
    const { t, smtp, worker } = stack;
    const id = await pendingNotification('C12', 'test:last-attempt');
    await smtp.down();
    try {
      await expect(worker.sender.send({ notificationId: id, lastAttempt: true })).rejects.toThrow();
    } finally {
      await smtp.up();
    }
    const [row] = await notificationRows(t, 'test:last-attempt');
    expect(row).toMatchObject({ status: 'failed', attempts: 1, messageId: null, error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    // The safety net only picks up pending and lease-expired rows: a failed mail waits for a resend.
    expect(await worker.app.get(MailQueue).reclaim(0)).toBe(0);
    await settle(t);
    expect(smtp.to(contact(12))).toEqual([]);
    // A retry asked for by hand (Bull Board's retry re-runs the job) claims the failed row again.
    expect(await worker.sender.send({ notificationId: id, lastAttempt: true })).toBe('sent');
    expect(await worker.sender.send({ notificationId: id, lastAttempt: true })).toBe('skipped');
    await settle(t);
    expect(smtp.to(contact(12))).toHaveLength(1);
    expect((await notificationRows(t, 'test:last-attempt'))[0]).toMatchObject({ status: 'sent', attempts: 2, error: null });
  });
});
