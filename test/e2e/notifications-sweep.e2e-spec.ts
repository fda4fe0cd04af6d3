import { communes, plannedTree, setStatus } from '../factories/workflow';
import {
  addDays,
  addUser,
  clearDueDates,
  listNotifications,
  notificationRows,
  setContacts,
  setDue,
  settle,
  sweep,
  TITLES,
  vnDate,
} from '../factories/notifications';
import { MailStack, startMailStack } from '../setup/test-worker';

/** The reminder sweep end to end: POST /api/reminders/sweep → notification rows → mail jobs → the worker → SMTP. */
describe('reminder sweep emails', () => {
  let stack: MailStack;
  let ids: Record<string, number>;
  const stepLines = (text: string) => text.split(/\r?\n/).filter((l) => l.startsWith('- Bước'));

  beforeAll(async () => {
    stack = await startMailStack({ env: { REMINDER_DAYS_BEFORE: '7,3,1', OVERDUE_EVERY_DAYS: '3', ESCALATE_AFTER_DAYS: '7' } });
    ({ ids } = await plannedTree(stack.t, communes(6)));
    for (let i = 1; i <= 6; i++) {
      await setContacts(stack.t, ids[`C${i}`], [`vp.c${i}@test.vn`, `bt.c${i}@test.vn`]);
      await addUser(stack.t, 'editor', ids[`C${i}`], `editor.c${i}@test.vn`);
    }
  });
  afterAll(async () => stack?.close());
  beforeEach(async () => clearDueDates(stack.t));

  it('D-7, D-3, D-1, due today and overdue days 1, 4, 7: one email per unit listing its steps, in due-date order', async () => {
    const { t, smtp } = stack;
    const asOf = '2025-03-10';
    await addUser(t, 'supervisor', ids.C1, 'sup.c1@test.vn');
    await addUser(t, 'viewer', ids.C1, 'viewer.c1@test.vn');
    // Reminded: 7, 3, 1 days before, the day itself, overdue day 1, 4 and 7. Not reminded: 8, 5, 2 before, overdue day 2 and 3.
    await setDue(t, ids.C1, asOf, { 2: 7, 3: 3, 4: 1, 5: 0, 6: -1, 8: -4, 9: -7, 1: 8, 10: 5, 11: 2, 12: -2, 13: -3 });
    await setDue(t, ids.C2, asOf, { 1: 3 });
    await setDue(t, ids.C3, asOf, { 2: 2, 3: -3 });

    expect(await sweep(t, asOf)).toEqual({ notifications: 2, escalations: 0, approvals: 0, enqueued: 2 });
    await smtp.waitFor('the reminders of C1 and C2', () => smtp.to('vp.c1@test.vn').length + smtp.to('vp.c2@test.vn').length === 2);
    await settle(t);

    const [mail, ...more] = smtp.to('vp.c1@test.vn');
    expect(more).toEqual([]);
    expect(mail.to).toEqual(['bt.c1@test.vn', 'editor.c1@test.vn', 'sup.c1@test.vn', 'vp.c1@test.vn']);
    expect(mail.subject).toBe('[Nhắc hạn] Đảng ủy xã C1: 7 bước sắp đến hạn hoặc quá hạn (10/03/2025)');
    expect(mail.text).toContain('Kính gửi: Ban Thường vụ Đảng ủy xã C1,');
    expect(mail.text).toContain(
      'Tính đến ngày 10/03/2025, các bước chuẩn bị đại hội sau đây của Đảng ủy xã C1 sắp đến hạn hoặc đã quá hạn:',
    );
    expect(stepLines(mail.text)).toEqual([
      `- Bước 9. ${TITLES[9]} — hạn 03/03/2025 (quá hạn 7 ngày)`,
      `- Bước 8. ${TITLES[8]} — hạn 06/03/2025 (quá hạn 4 ngày)`,
      `- Bước 6. ${TITLES[6]} — hạn 09/03/2025 (quá hạn 1 ngày)`,
      `- Bước 5. ${TITLES[5]} — hạn 10/03/2025 (hạn hôm nay)`,
      `- Bước 4. ${TITLES[4]} — hạn 11/03/2025 (còn 1 ngày)`,
      `- Bước 3. ${TITLES[3]} — hạn 13/03/2025 (còn 3 ngày)`,
      `- Bước 2. ${TITLES[2]} — hạn 17/03/2025 (còn 7 ngày)`,
    ]);
    expect(mail.text).toContain(`Đề nghị Đảng ủy xã C1 cập nhật tiến độ tại https://daihoi.test.vn/units/${ids.C1}`);
    expect(mail.html).toContain(`<li>Bước 2. ${TITLES[2]} — hạn 17/03/2025 (còn 7 ngày)</li>`);
    expect(mail.html).toContain(`<a href="https://daihoi.test.vn/units/${ids.C1}">`);

    const [c2] = smtp.to('vp.c2@test.vn');
    expect(c2.to).toEqual(['bt.c2@test.vn', 'editor.c2@test.vn', 'vp.c2@test.vn']);
    expect(c2.subject).toBe('[Nhắc hạn] Đảng ủy xã C2: 1 bước sắp đến hạn hoặc quá hạn (10/03/2025)');
    expect(stepLines(c2.text)).toEqual([`- Bước 1. ${TITLES[1]} — hạn 13/03/2025 (còn 3 ngày)`]);
    // C3 has nothing on a reminder day; D's and P's people get nothing; the viewer is not a recipient.
    expect(smtp.to('vp.c3@test.vn')).toEqual([]);
    expect(smtp.messages.filter((m) => m.subject.includes('(10/03/2025)'))).toHaveLength(2);
    expect(smtp.to('viewer.c1@test.vn')).toEqual([]);
  });

  it('day by day around one due date: reminded at D-7, D-3, D-1, D, then overdue on days 1, 4 and 7 only', async () => {
    const { t, smtp } = stack;
    const due = '2025-06-15';
    await setDue(t, ids.C4, due, { 3: 0 });
    const days: number[] = [];
    for (let offset = -9; offset <= 8; offset++) {
      const asOf = addDays(due, offset);
      const result = await sweep(t, asOf);
      if (result.notifications > 0) days.push(offset);
    }
    expect(days).toEqual([-7, -3, -1, 0, 1, 4, 7]);
    await smtp.waitFor('7 reminders to C4', () => smtp.to('vp.c4@test.vn').length >= 7);
    await settle(t);

    const mails = smtp.to('vp.c4@test.vn');
    expect(mails).toHaveLength(7);
    const byDay = (offset: number) => mails.find((m) => m.subject.endsWith(`(${vnDate(addDays(due, offset))})`));
    const suffix: Record<number, string> = {
      [-7]: '(còn 7 ngày)',
      [-3]: '(còn 3 ngày)',
      [-1]: '(còn 1 ngày)',
      0: '(hạn hôm nay)',
      1: '(quá hạn 1 ngày)',
      4: '(quá hạn 4 ngày)',
      7: '(quá hạn 7 ngày)',
    };
    for (const offset of days) {
      const mail = byDay(offset);
      expect(mail?.subject).toBe(`[Nhắc hạn] Đảng ủy xã C4: 1 bước sắp đến hạn hoặc quá hạn (${vnDate(addDays(due, offset))})`);
      expect(stepLines(mail!.text)).toEqual([`- Bước 3. ${TITLES[3]} — hạn 15/06/2025 ${suffix[offset]}`]);
    }
  });

  it('a step completed (or submitted: the approver’s time) before its reminder is sent is not listed; a reminder left with no step is not sent', async () => {
    const { t, smtp } = stack;
    const asOf = '2025-08-20';
    // The worker is down: the sweep records and enqueues the reminders, nothing sends them yet.
    await stack.worker.close();
    await setDue(t, ids.C5, asOf, { 2: 1, 3: 3 });
    await setDue(t, ids.C6, asOf, { 4: 0 });
    await setDue(t, ids.C4, asOf, { 7: -1, 4: 3 });
    expect(await sweep(t, asOf)).toMatchObject({ notifications: 3 });
    await setStatus(t, ids.C5, 2, 'completed');
    await setStatus(t, ids.C6, 4, 'skipped');
    await setStatus(t, ids.C4, 7, 'awaiting_approval'); // submitted since the sweep: off the unit's clock

    await stack.startWorker();
    await smtp.waitFor('the reminder to C5', () => smtp.to('vp.c5@test.vn').length > 0);
    await settle(t);

    const [mail, ...more] = smtp.to('vp.c5@test.vn');
    expect(more).toEqual([]);
    expect(mail.subject).toBe('[Nhắc hạn] Đảng ủy xã C5: 1 bước sắp đến hạn hoặc quá hạn (20/08/2025)');
    expect(stepLines(mail.text)).toEqual([`- Bước 3. ${TITLES[3]} — hạn 23/08/2025 (còn 3 ngày)`]);
    await smtp.waitFor('the reminder to C4', () => smtp.to('vp.c4@test.vn', '(20/08/2025)').length > 0);
    const [c4] = smtp.to('vp.c4@test.vn', '(20/08/2025)');
    expect(stepLines(c4.text)).toEqual([`- Bước 4. ${TITLES[4]} — hạn 23/08/2025 (còn 3 ngày)`]);
    expect(smtp.to('vp.c6@test.vn')).toEqual([]);
    const [c6] = await notificationRows(t, `reminder:${ids.C6}:${asOf}`);
    expect(c6.status).toBe('skipped');
  });

  it('GET /api/notifications shows the reminder sent, with the Message-ID the SMTP server received', async () => {
    const { t, smtp } = stack;
    const asOf = '2025-10-01';
    await setDue(t, ids.C2, asOf, { 7: 1 });
    await sweep(t, asOf);
    const [received] = await smtp.waitFor('the reminder to C2', () => smtp.to('vp.c2@test.vn', '(01/10/2025)').length > 0);
    await settle(t);

    const res = await listNotifications(t, `kind=reminder&unitId=${ids.C2}`);
    expect(res.status).toBe(200);
    const item = res.body.items.find((n: any) => n.key === `reminder:${ids.C2}:${asOf}`);
    expect(item).toMatchObject({
      kind: 'reminder',
      unitId: ids.C2,
      status: 'sent',
      attempts: 1,
      error: null,
      recipients: ['bt.c2@test.vn', 'editor.c2@test.vn', 'vp.c2@test.vn'],
    });
    expect(item.messageId).toMatch(/^<.+@.+>$/);
    expect(item.sentAt).not.toBeNull();
    expect(smtp.to('vp.c2@test.vn', '(01/10/2025)').map((m) => m.messageId)).toEqual([item.messageId]);
    expect(received).toBeDefined();

    // Every email the server received is one sent notification, and the other way round.
    const sent = await listNotifications(t, 'status=sent&pageSize=500');
    expect(sent.body.items.map((n: any) => n.messageId).sort()).toEqual(smtp.messages.map((m) => m.messageId).sort());
    // The commune's own editor sees its notifications; another commune's are outside its scope.
    const editor = await addUser(t, 'editor', ids.C2, 'editor2.c2@test.vn');
    const own = await listNotifications(t, `unitId=${ids.C2}`, editor);
    expect(own.status).toBe(200);
    expect(own.body.items.map((n: any) => n.key)).toContain(`reminder:${ids.C2}:${asOf}`);
    expect((await listNotifications(t, `unitId=${ids.C1}`, editor)).status).toBe(403);
  });
});
