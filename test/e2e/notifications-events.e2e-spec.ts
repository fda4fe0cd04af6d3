import { act, completeBefore, plannedTree, SMALL_TREE } from '../factories/workflow';
import { addUser, listNotifications, notificationRows, setContacts, settle, TITLES } from '../factories/notifications';
import { MailStack, startMailStack } from '../setup/test-worker';
import type { TestApp } from '../setup/test-app';

/** Transition emails through the outbox relay: submitted → approvers, returned → the unit's editors, approved → the unit. */
describe('event emails via the outbox relay', () => {
  let stack: MailStack;
  let ids: Record<string, number>;
  const tokens: Record<string, string> = {};
  const SUBMITTED = '[Chờ cho ý kiến / phê duyệt]';

  async function user(t: TestApp, role: 'viewer' | 'editor' | 'supervisor', unit: string, email: string, name: string) {
    tokens[email] = await addUser(t, role, ids[unit], email);
    await t.db.query(`UPDATE users SET name = $2 WHERE email = $1`, [email, name]);
  }

  async function submit(unit: string, email: string, note?: string) {
    await completeBefore(stack.t, ids[unit], 7);
    expect((await act(stack.t, tokens[email], ids[unit], 7, 'start')).status).toBe(200);
    const res = await act(stack.t, tokens[email], ids[unit], 7, 'submit', note ? { note } : {});
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    stack = await startMailStack();
    const { t } = stack;
    ({ ids } = await plannedTree(t, SMALL_TREE));
    await user(t, 'supervisor', 'P', 'sup.p@test.vn', 'Phạm Văn Phúc');
    await user(t, 'supervisor', 'D1', 'sup.d1a@test.vn', 'Đỗ Thị Ánh');
    await user(t, 'supervisor', 'D1', 'sup.d1b@test.vn', 'Lê Quốc Bảo');
    await user(t, 'editor', 'D1', 'editor.d1@test.vn', 'Hoàng Minh');
    await user(t, 'editor', 'D1-1', 'editor.d11@test.vn', 'Nguyễn Thị Hương');
    await user(t, 'supervisor', 'D1-1', 'sup.d11@test.vn', 'Trần Văn Đức');
    await user(t, 'viewer', 'D1-1', 'viewer.d11@test.vn', 'Vũ Xem');
    await user(t, 'editor', 'D2-1', 'editor.d21@test.vn', 'Bùi Thị Lụa');
    for (const code of ['D1-1-1', 'D1-1-2', 'D1-2'])
      await user(t, 'editor', code, `editor.${code.toLowerCase()}@test.vn`, `Biên tập ${code}`);
    await setContacts(t, ids['D1-1'], ['vp.d11@test.vn']);
  });
  afterAll(async () => stack?.close());

  it('submit → "Chờ phê duyệt" to the supervisors of the nearest ancestor level that has supervisors', async () => {
    const { t, smtp } = stack;
    await submit('D1-1', 'editor.d11@test.vn', 'Kính trình Huyện ủy xem xét, cho ý kiến');
    await submit('D2-1', 'editor.d21@test.vn'); // D2 has no supervisor: the province's approve
    await smtp.waitFor('two submissions', (all) => all.filter((m) => m.subject.startsWith(SUBMITTED)).length >= 2);
    await settle(t);

    const [d11, ...moreD11] = smtp.messages.filter((m) => m.subject.includes('Đảng ủy xã D1-1:'));
    expect(moreD11).toEqual([]);
    expect(d11.to).toEqual(['sup.d1a@test.vn', 'sup.d1b@test.vn']);
    expect(d11.subject).toBe(`[Chờ cho ý kiến / phê duyệt] Đảng ủy xã D1-1: Bước 7. ${TITLES[7]}`);
    expect(d11.text).toContain(
      `Đảng ủy xã D1-1 đã trình bước 7. ${TITLES[7]}, đề nghị Huyện ủy D1 (cấp trên trực tiếp cơ sở) xem xét, cho ý kiến / phê duyệt.`,
    );
    expect(d11.text).toContain('Ghi chú: Kính trình Huyện ủy xem xét, cho ý kiến');
    expect(d11.text).toContain('Người trình: Nguyễn Thị Hương');
    expect(d11.text).toContain(
      `Xem xét, cho ý kiến / phê duyệt hoặc trả lại tại https://daihoi.test.vn/approvals (hồ sơ đơn vị: https://daihoi.test.vn/units/${ids['D1-1']})`,
    );
    expect(d11.html).toContain(`<b>7. ${TITLES[7]}</b>`);

    const [d21, ...moreD21] = smtp.messages.filter((m) => m.subject.includes('Đảng ủy xã D2-1:'));
    expect(moreD21).toEqual([]);
    expect(d21.to).toEqual(['sup.p@test.vn']);
    expect(d21.text).not.toContain('Ghi chú');
    expect(d21.text).toContain('Người trình: Bùi Thị Lụa');
    expect(smtp.to('editor.d1@test.vn')).toEqual([]);
    expect(smtp.to('admin@test.vn')).toEqual([]);
  });

  it('return with a reason → "Trả lại, đề nghị hoàn thiện" with the reason to the unit’s editors; resubmit and approve → "Đã cho ý kiến / phê duyệt" to the unit', async () => {
    const { t, smtp } = stack;
    const unit = ids['D1-1'];
    const reason = 'Đề án chưa nêu rõ tỷ lệ cấp ủy viên nữ và trẻ tuổi; đề nghị bổ sung';
    expect((await act(t, tokens['sup.d1a@test.vn'], unit, 7, 'return', { note: reason })).status).toBe(200);
    await smtp.waitFor('the return', (all) => all.some((m) => m.subject.startsWith('[Trả lại, đề nghị hoàn thiện]')));

    const [returned] = smtp.messages.filter((m) => m.subject.startsWith('[Trả lại, đề nghị hoàn thiện]'));
    expect(returned.subject).toBe(`[Trả lại, đề nghị hoàn thiện] Đảng ủy xã D1-1: Bước 7. ${TITLES[7]}`);
    expect(returned.to).toEqual(['editor.d11@test.vn', 'sup.d11@test.vn']);
    expect(returned.text).toContain(`Bước 7. ${TITLES[7]} của Đảng ủy xã D1-1: Trả lại, đề nghị hoàn thiện.`);
    expect(returned.text).toContain(`Lý do: ${reason}`);
    expect(returned.text).toContain('Người trả lại: Đỗ Thị Ánh');
    expect(returned.text).toContain('Đề nghị Đảng ủy xã D1-1 hoàn thiện hồ sơ và trình lại tại https://daihoi.test.vn/units/');

    expect((await act(t, tokens['editor.d11@test.vn'], unit, 7, 'submit')).status).toBe(200);
    expect((await act(t, tokens['sup.d1b@test.vn'], unit, 7, 'approve', { note: 'Đồng ý với đề án' })).status).toBe(200);
    await smtp.waitFor('the approval', (all) => all.some((m) => m.subject.startsWith('[Đã cho ý kiến / phê duyệt]')));
    await settle(t);

    const [approved, ...moreApproved] = smtp.messages.filter((m) => m.subject.startsWith('[Đã cho ý kiến / phê duyệt]'));
    expect(moreApproved).toEqual([]);
    expect(approved.subject).toBe(`[Đã cho ý kiến / phê duyệt] Đảng ủy xã D1-1: Bước 7. ${TITLES[7]}`);
    expect(approved.to).toEqual(['editor.d11@test.vn', 'sup.d11@test.vn', 'vp.d11@test.vn']);
    expect(approved.text).toContain(`Bước 7. ${TITLES[7]} của Đảng ủy xã D1-1 đã được Huyện ủy D1 cho ý kiến / phê duyệt.`);
    expect(approved.text).toContain('Ghi chú: Đồng ý với đề án');
    expect(approved.text).toContain('Người thực hiện: Lê Quốc Bảo');
    // The resubmission is a new event: a second "Chờ phê duyệt" to the district; the viewer never gets anything.
    expect(smtp.messages.filter((m) => m.subject === `[Chờ cho ý kiến / phê duyệt] Đảng ủy xã D1-1: Bước 7. ${TITLES[7]}`)).toHaveLength(2);
    expect(smtp.to('viewer.d11@test.vn')).toEqual([]);

    const log = await listNotifications(t, `unitId=${unit}`);
    // Events are handled concurrently, so the log's order is not the transitions' order.
    expect(log.body.items.map((n: any) => `${n.kind}:${n.status}`).sort()).toEqual([
      'approved:sent',
      'returned:sent',
      'submitted:sent',
      'submitted:sent',
    ]);
  });

  it('with two workers relaying the outbox at once, each event is emailed exactly once', async () => {
    const { t, smtp } = stack;
    await stack.startWorker();
    const units = ['D1-1-1', 'D1-1-2', 'D1-2'];
    await Promise.all(units.map((u) => submit(u, `editor.${u.toLowerCase()}@test.vn`)));
    await smtp.waitFor('three submissions', (all) =>
      units.every((u) => all.some((m) => m.subject.includes(`xã ${u}:`) || m.subject.includes(`thôn ${u}:`))),
    );
    await settle(t);
    for (const u of units) {
      const mails = smtp.messages.filter((m) => m.subject.includes(` ${u}: Bước 7`));
      expect(mails).toHaveLength(1);
      // The cells' nearest level with a supervisor is their commune; the commune D1-2's is the district.
      expect(mails[0].to).toEqual(u === 'D1-2' ? ['sup.d1a@test.vn', 'sup.d1b@test.vn'] : ['sup.d11@test.vn']);
    }
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
    expect(rows[0].n).toBe(0);
    const events = await notificationRows(t, 'event:');
    expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
    expect(events.every((e) => e.status === 'sent' && e.attempts === 1)).toBe(true);
  });
});
