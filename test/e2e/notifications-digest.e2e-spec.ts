import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, SCHEDULE_JOBS } from '@app/notifications';
import { completeBefore, plannedTree, setStatus, SMALL_TREE } from '../factories/workflow';
import { addUser, clearDueDates, notificationRows, setContacts, setDue, settle, sweep, TITLES } from '../factories/notifications';
import { MailStack, startMailStack } from '../setup/test-worker';

/** Escalation of long-overdue units to their parent's supervisors, and the daily digest to every supervisor and admin. */
describe('escalations and the daily digest', () => {
  let stack: MailStack;
  let ids: Record<string, number>;
  const counts = (text: string, no: number) => text.split(/\r?\n/).find((l) => l.startsWith(`- Bước ${no}:`));

  beforeAll(async () => {
    stack = await startMailStack({ env: { ESCALATE_AFTER_DAYS: '7', OVERDUE_EVERY_DAYS: '3', REMINDER_DAYS_BEFORE: '7,3,1' } });
    const { t } = stack;
    ({ ids } = await plannedTree(t, SMALL_TREE));
    await addUser(t, 'supervisor', ids.P, 'sup.p@test.vn');
    await addUser(t, 'supervisor', ids.D1, 'sup.d1@test.vn');
    await addUser(t, 'admin', ids.D1, 'admin.d1@test.vn');
    await addUser(t, 'editor', ids.D1, 'editor.d1@test.vn');
    await addUser(t, 'supervisor', ids['D1-1'], 'sup.d11@test.vn');
    await t.db.query(`UPDATE users SET name = 'Nguyễn Thị Thu Hà' WHERE email = 'sup.d1@test.vn'`);
    for (const code of ['D1-1', 'D1-2', 'D1-1-1', 'D2-1']) await setContacts(t, ids[code], [`vp.${code.toLowerCase()}@test.vn`]);
  });
  afterAll(async () => stack?.close());
  beforeEach(async () => clearDueDates(stack.t));

  it('units overdue by more than ESCALATE_AFTER_DAYS are reported to the supervisors of their parent, one email per parent', async () => {
    const { t, smtp } = stack;
    const asOf = '2025-07-20';
    await setDue(t, ids['D1-1'], asOf, { 3: -10, 4: -13 });
    await setDue(t, ids['D1-2'], asOf, { 5: -7, 8: -10 }); // step 5 is only 7 days late: reminded, not escalated
    await setDue(t, ids['D1-1-1'], asOf, { 3: -16 }); // a cell: it has no step 2
    await setDue(t, ids['D2-1'], asOf, { 6: -19 }); // D2 has no supervisor
    expect(await sweep(t, asOf)).toMatchObject({ notifications: 4, escalations: 3 });
    await smtp.waitFor('two escalations', (all) => all.filter((m) => m.subject.startsWith('[Quá hạn]')).length >= 2);
    await settle(t);

    const escalations = smtp.messages.filter((m) => m.subject.startsWith('[Quá hạn]'));
    expect(escalations).toHaveLength(2);
    const d1 = escalations.find((m) => m.subject.includes('Huyện ủy D1'))!;
    expect(d1.subject).toBe('[Quá hạn] 2 đơn vị trực thuộc Huyện ủy D1 quá hạn (20/07/2025)');
    expect(d1.to).toEqual(['admin.d1@test.vn', 'sup.d1@test.vn']);
    expect(d1.text).toContain('Kính gửi: Ban Thường vụ Huyện ủy D1,');
    expect(d1.text.split(/\r?\n/).filter((l) => l.startsWith('- '))).toEqual([
      '- Đảng ủy xã D1-1 (D1-1): 2 bước, quá hạn 13 ngày kể từ 07/07/2025',
      '- Đảng ủy xã D1-2 (D1-2): 1 bước, quá hạn 10 ngày kể từ 10/07/2025',
    ]);
    expect(d1.text).toContain(`Xem chi tiết tại https://daihoi.test.vn/units/${ids.D1}`);

    const d11 = escalations.find((m) => m.subject.includes('Đảng ủy xã D1-1'))!;
    expect(d11.subject).toBe('[Quá hạn] 1 đơn vị trực thuộc Đảng ủy xã D1-1 quá hạn (20/07/2025)');
    expect(d11.to).toEqual(['sup.d11@test.vn']);
    expect(d11.text).toContain('- Chi bộ thôn D1-1-1 (D1-1-1): 1 bước, quá hạn 16 ngày kể từ 04/07/2025');

    const [d2] = await notificationRows(t, `escalation:${ids.D2}:`);
    expect(d2).toMatchObject({ status: 'skipped', error: 'no recipients', recipients: [] });
    expect(smtp.to('editor.d1@test.vn')).toEqual([]);
    expect(smtp.to('sup.p@test.vn')).toEqual([]);
    // The units themselves got their reminders.
    expect(smtp.to('vp.d1-2@test.vn')).toHaveLength(1);
  });

  it('the daily digest goes to every supervisor and admin: counts per step, newly overdue, awaiting approval, the link', async () => {
    const { t, smtp, worker } = stack;
    const asOf = '2025-09-10';
    await completeBefore(t, ids['D1-1'], 7);
    await setStatus(t, ids['D1-1'], 7, 'awaiting_approval');
    await setStatus(t, ids['D1-2'], 1, 'in_progress');
    await setStatus(t, ids['D1-2'], 2, 'returned');
    await setStatus(t, ids['D1-1-1'], 1, 'skipped');
    await setDue(t, ids['D1-2'], asOf, { 3: -1 }); // became overdue today
    await setDue(t, ids['D1-1-2'], asOf, { 4: -5 }); // overdue for a while: counted, not new
    await setDue(t, ids['D2-1'], asOf, { 2: 0, 3: 1 });

    expect(await worker.notifications.digest(asOf)).toEqual({ notifications: 5 });
    expect(await worker.notifications.digest(asOf)).toEqual({ notifications: 0 });
    const subject = '[Tổng hợp ngày 10/09/2025] Tiến độ chuẩn bị đại hội';
    await smtp.waitFor('five digests', (all) => all.filter((m) => m.subject.startsWith(subject)).length >= 5);
    await settle(t);
    const digests = smtp.messages.filter((m) => m.subject.startsWith(subject));
    expect(digests.map((m) => m.to.join()).sort()).toEqual([
      'admin.d1@test.vn',
      'admin@test.vn',
      'sup.d11@test.vn',
      'sup.d1@test.vn',
      'sup.p@test.vn',
    ]);

    const d1 = digests.find((m) => m.to[0] === 'sup.d1@test.vn')!;
    expect(d1.subject).toBe(`${subject} — Huyện ủy D1`);
    expect(d1.text).toContain('Kính gửi: Ban Thường vụ Huyện ủy D1 (đồng chí Nguyễn Thị Thu Hà),');
    expect(d1.text).toContain('Tổng hợp tiến độ chuẩn bị đại hội của Huyện ủy D1 và các đơn vị trực thuộc đến ngày 10/09/2025:');
    // D1's subtree: D1, D1-1, D1-2, D1-1-1, D1-1-2.
    const line = (c: number[]) =>
      `: hoàn thành ${c[0]}, đang thực hiện ${c[1]}, chờ phê duyệt ${c[2]}, trả lại, đề nghị hoàn thiện ${c[3]}, chưa bắt đầu ${c[4]}, không thực hiện ${c[5]}, quá hạn ${c[6]}`;
    expect(counts(d1.text, 1)).toBe(`- Bước 1${line([1, 1, 0, 0, 2, 1, 0])}`);
    // Step 2: the three committees only (cells have no step 2).
    expect(counts(d1.text, 2)).toBe(`- Bước 2${line([1, 0, 0, 1, 1, 0, 0])}`);
    expect(counts(d1.text, 3)).toBe(`- Bước 3${line([1, 0, 0, 0, 4, 0, 1])}`);
    expect(counts(d1.text, 4)).toBe(`- Bước 4${line([1, 0, 0, 0, 4, 0, 1])}`);
    expect(counts(d1.text, 7)).toBe(`- Bước 7${line([0, 0, 1, 0, 4, 0, 0])}`);
    expect(counts(d1.text, 15)).toBe(`- Bước 15${line([0, 0, 0, 0, 5, 0, 0])}`);
    expect(d1.text).toContain('Mới quá hạn kể từ bản tổng hợp trước: 1\n- Đảng ủy xã D1-2 (D1-2): Bước 3, hạn 09/09/2025');
    expect(d1.text).toContain(
      `Đang chờ đồng chí phê duyệt: 1 — xem tại https://daihoi.test.vn/approvals\n- Đảng ủy xã D1-1 (D1-1): Bước 7. ${TITLES[7]}`,
    );
    expect(d1.text).toContain('Xem chi tiết tại https://daihoi.test.vn');
    expect(d1.html).toContain('<a href="https://daihoi.test.vn">');
    // The web app's "Chờ phê duyệt" page (UI.md's route), only when something waits.
    expect(d1.text).toContain('Phê duyệt hoặc trả lại tại https://daihoi.test.vn/approvals');
    expect(d1.html).toContain('<a href="https://daihoi.test.vn/approvals">');

    // The commune's supervisor does not approve its own steps; its subtree has nothing newly overdue.
    const d11 = digests.find((m) => m.to[0] === 'sup.d11@test.vn')!;
    expect(d11.subject).toBe(`${subject} — Đảng ủy xã D1-1`);
    expect(d11.text).toContain('Mới quá hạn kể từ bản tổng hợp trước: 0');
    expect(d11.text).toContain('Đang chờ đồng chí phê duyệt: 0');
    expect(d11.text).not.toContain('/approvals');
    expect(counts(d11.text, 4)).toBe(`- Bước 4${line([1, 0, 0, 0, 2, 0, 1])}`);
    const root = digests.find((m) => m.to[0] === 'admin@test.vn')!;
    expect(root.subject).toBe(`${subject} — Ban Chấp hành Trung ương`);
    expect(root.text).toContain('Đang chờ đồng chí phê duyệt: 1');
    expect(smtp.to('editor.d1@test.vn')).toEqual([]);
  });

  it('the next digest, run as the scheduled job, lists only what became overdue since the previous one', async () => {
    const { t, smtp, worker } = stack;
    const asOf = '2025-09-12';
    await setDue(t, ids['D1-2'], '2025-09-10', { 3: -1 });
    await setDue(t, ids['D2-1'], '2025-09-10', { 2: 0, 5: 1, 6: 2 }); // due 10/09 and 11/09: overdue since; 12/09 not yet
    const schedule = worker.app.get<Queue>(getQueueToken(QUEUES.schedule));
    await schedule.add(SCHEDULE_JOBS.digest, { asOf }, { jobId: `test-digest-${asOf}` });
    const subject = '[Tổng hợp ngày 12/09/2025]';
    await smtp.waitFor('five digests', (all) => all.filter((m) => m.subject.startsWith(subject)).length >= 5);
    await settle(t);
    const digests = smtp.messages.filter((m) => m.subject.startsWith(subject));
    expect(digests).toHaveLength(5);
    const p = digests.find((m) => m.to[0] === 'sup.p@test.vn')!;
    expect(p.text).toContain(
      'Mới quá hạn kể từ bản tổng hợp trước: 2\n- Đảng ủy xã D2-1 (D2-1): Bước 2, hạn 10/09/2025\n- Đảng ủy xã D2-1 (D2-1): Bước 5, hạn 11/09/2025',
    );
    const d1 = digests.find((m) => m.to[0] === 'sup.d1@test.vn')!;
    expect(d1.text).toContain('Mới quá hạn kể từ bản tổng hợp trước: 0');
  });
});
