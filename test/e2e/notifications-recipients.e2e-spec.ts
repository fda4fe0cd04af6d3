import { act, completeBefore, plannedTree, SMALL_TREE } from '../factories/workflow';
import {
  addUser,
  auditDelivery,
  clearDueDates,
  notificationRows,
  setContacts,
  setDue,
  settle,
  sweep,
  TITLES,
} from '../factories/notifications';
import { MailStack, startMailStack } from '../setup/test-worker';

/**
 * Notifications reach the people who do the work: units without anybody to write to go into the
 * daily digest of those who manage them; returned and approved steps reach the submitter; the
 * submission carries its note and document reference.
 */
describe('recipients: the digest for units without users, the submitter told', () => {
  let stack: MailStack;
  let ids: Record<string, number>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startMailStack();
    const { t } = stack;
    ({ ids } = await plannedTree(t, SMALL_TREE));
    // D1: a district editor and supervisor; its commune D1-1 and the cells below have no users;
    // D1-2 has a contact address. D2 and D2-1 have nobody: the province's supervisor manages them.
    tokens.editor = await addUser(t, 'editor', ids.D1, 'editor.d1@test.vn');
    tokens.supervisor = await addUser(t, 'supervisor', ids.D1, 'sup.d1@test.vn');
    tokens.province = await addUser(t, 'supervisor', ids.P, 'sup.p@test.vn');
    await t.db.query(`UPDATE users SET name = 'Trần Thị Biên' WHERE email = 'editor.d1@test.vn'`);
    await t.db.query(`UPDATE users SET name = 'Lê Văn Duyệt' WHERE email = 'sup.d1@test.vn'`);
    await setContacts(t, ids['D1-2'], ['vp.d1-2@test.vn']);
  });
  afterAll(async () => stack?.close());

  it('cells without users: no reminder skipped; the district editor gets one digest listing them, grouped under their commune', async () => {
    const { t, smtp, worker } = stack;
    await clearDueDates(t);
    const asOf = '2025-03-10';
    await setDue(t, ids['D1-1'], asOf, { 2: 7, 3: 0 });
    await setDue(t, ids['D1-1-1'], asOf, { 4: -1 });
    await setDue(t, ids['D1-1-2'], asOf, { 4: -1 });
    await setDue(t, ids['D1-2'], asOf, { 5: 1 });
    await setDue(t, ids['D2-1'], asOf, { 6: 3 });
    expect((await sweep(t, asOf)).notifications).toBe(5);

    const reminders = await notificationRows(t, 'reminder:');
    expect(reminders.filter((r) => r.status === 'skipped')).toEqual([]);
    const { rows: digested } = await t.db.query(
      `SELECT unit_id AS "unitId", (payload ->> 'digestUnitId')::int AS "digestUnitId" FROM notifications
        WHERE kind = 'reminder' AND status = 'digested' ORDER BY unit_id`,
    );
    expect(digested).toEqual(
      [
        { unitId: ids['D1-1'], digestUnitId: ids.D1 },
        { unitId: ids['D1-1-1'], digestUnitId: ids.D1 },
        { unitId: ids['D1-1-2'], digestUnitId: ids.D1 },
        { unitId: ids['D2-1'], digestUnitId: ids.P },
      ].sort((a, b) => a.unitId - b.unitId),
    );

    await worker.notifications.digest(asOf);
    await settle(t);
    const [editorDigest, ...more] = smtp.to('editor.d1@test.vn');
    expect(more).toEqual([]);
    expect(editorDigest.subject).toBe('[Tổng hợp ngày 10/03/2025] Tiến độ chuẩn bị đại hội — Huyện ủy D1');
    expect(editorDigest.text).toContain('Kính gửi: Ban Thường vụ Huyện ủy D1 (đồng chí Trần Thị Biên),');
    // An editor's digest carries the reminders only, not the supervisors' counts.
    expect(editorDigest.text).not.toContain('- Bước 1: hoàn thành');
    expect(editorDigest.text).toContain(
      'Nhắc hạn thay cho 3 đơn vị chưa có người nhận thư do Huyện ủy D1 theo dõi, các bước sắp đến hạn hoặc quá hạn tính đến ngày 10/03/2025:',
    );
    const lines = editorDigest.text.split(/\r?\n/);
    const from = lines.indexOf('Huyện ủy D1');
    // Units with the same steps due share one line.
    expect(lines.slice(from, from + 6)).toEqual([
      'Huyện ủy D1',
      '- Bước 3 (hạn 10/03/2025, hạn hôm nay); Bước 2 (hạn 17/03/2025, còn 7 ngày): Đảng ủy xã D1-1 (D1-1)',
      '',
      'Đảng ủy xã D1-1',
      '- Bước 4 (hạn 09/03/2025, quá hạn 1 ngày): Chi bộ thôn D1-1-1 (D1-1-1), Chi bộ thôn D1-1-2 (D1-1-2)',
      '',
    ]);
    expect(editorDigest.html).toContain(`<a href="https://daihoi.test.vn/units/${ids['D1-1-2']}">Chi bộ thôn D1-1-2</a>`);
    expect(editorDigest.text).not.toContain('D2-1');

    // The district's supervisor: one email with the counts and the same reminders.
    const [supDigest, ...moreSup] = smtp.to('sup.d1@test.vn');
    expect(moreSup).toEqual([]);
    expect(supDigest.text).toContain('- Bước 1: hoàn thành');
    expect(supDigest.text).toContain('- Bước 4 (hạn 09/03/2025, quá hạn 1 ngày): Chi bộ thôn D1-1-1 (D1-1-1), Chi bộ thôn D1-1-2 (D1-1-2)');
    // D2-1 has nobody and neither has D2: the province's supervisor manages it.
    const [provinceDigest] = smtp.to('sup.p@test.vn');
    expect(provinceDigest.text).toContain('- Bước 6 (hạn 13/03/2025, còn 3 ngày): Đảng ủy xã D2-1 (D2-1)');
    const provinceReminders = provinceDigest.text.slice(provinceDigest.text.indexOf('Nhắc hạn thay cho'));
    expect(provinceReminders).toContain('Nhắc hạn thay cho 1 đơn vị chưa có người nhận thư do Tỉnh ủy P theo dõi');
    expect(provinceReminders).not.toContain('D1-1-2'); // the district's editor manages it
    // D1-2 has an address: its own reminder, not in anybody's digest.
    expect(smtp.to('vp.d1-2@test.vn')).toHaveLength(1);
    expect(supDigest.text).not.toContain('xã D1-2 (D1-2)');

    // Running the digest again the same day sends nothing more; every row is one message.
    await worker.notifications.digest(asOf);
    await settle(t);
    expect(smtp.to('editor.d1@test.vn')).toHaveLength(1);
    expect(await auditDelivery(t, smtp.messages)).toMatchObject({ duplicated: 0, lost: 0 });
  });

  it('a commune step submitted by the district editor: the submission carries note and document; returned and approved reach the submitter', async () => {
    const { t, smtp } = stack;
    const unit = ids['D1-1']; // no users of its own
    await completeBefore(t, unit, 7);
    expect((await act(t, tokens.editor, unit, 7, 'start')).status).toBe(200);
    const submitted = await act(t, tokens.editor, unit, 7, 'submit', { note: 'Kính trình Huyện ủy', documentRef: 'Tờ trình số 15-TTr/ĐU' });
    expect(submitted.status).toBe(200);
    await smtp.waitFor('the submission', (all) => all.some((m) => m.subject.startsWith('[Chờ cho ý kiến / phê duyệt] Đảng ủy xã D1-1')));
    const [submission] = smtp.messages.filter((m) => m.subject.startsWith('[Chờ cho ý kiến / phê duyệt] Đảng ủy xã D1-1'));
    expect(submission.to).toEqual(['sup.d1@test.vn']);
    expect(submission.text).toContain('Ghi chú: Kính trình Huyện ủy');
    expect(submission.text).toContain('Văn bản kèm theo: Tờ trình số 15-TTr/ĐU');
    expect(submission.text).toContain('Người trình: Trần Thị Biên');
    expect(submission.text).toContain('https://daihoi.test.vn/approvals');

    expect((await act(t, tokens.supervisor, unit, 7, 'return', { note: 'Bổ sung cơ cấu nữ' })).status).toBe(200);
    await smtp.waitFor('the return', (all) => all.some((m) => m.subject.startsWith('[Trả lại, đề nghị hoàn thiện]')));
    const [returned] = smtp.messages.filter((m) => m.subject.startsWith('[Trả lại, đề nghị hoàn thiện]'));
    expect(returned.to).toEqual(['editor.d1@test.vn']);
    expect(returned.subject).toBe(`[Trả lại, đề nghị hoàn thiện] Đảng ủy xã D1-1: Bước 7. ${TITLES[7]}`);
    expect(returned.text).toContain('Lý do: Bổ sung cơ cấu nữ');
    expect(returned.text).toContain(`https://daihoi.test.vn/units/${unit}`);

    expect((await act(t, tokens.editor, unit, 7, 'submit')).status).toBe(200);
    expect((await act(t, tokens.supervisor, unit, 7, 'approve')).status).toBe(200);
    await smtp.waitFor('the approval', (all) => all.some((m) => m.subject.startsWith('[Đã cho ý kiến / phê duyệt]')));
    await settle(t);
    const [approved, ...moreApproved] = smtp.messages.filter((m) => m.subject.startsWith('[Đã cho ý kiến / phê duyệt]'));
    expect(moreApproved).toEqual([]);
    expect(approved.to).toEqual(['editor.d1@test.vn']);
    expect(approved.text).toContain('Người thực hiện: Lê Văn Duyệt');

    const events = await notificationRows(t, 'event:');
    expect(events.map((e) => `${e.kind}:${e.status}`).sort()).toEqual([
      'approved:sent',
      'returned:sent',
      'submitted:sent',
      'submitted:sent',
    ]);
    expect(await auditDelivery(t, smtp.messages, 'event:%')).toEqual({ expected: 4, delivered: 4, duplicated: 0, lost: 0 });
  });

  it('approved goes to the submitter and to the unit: its contact address and its own editors', async () => {
    const { t, smtp } = stack;
    const unit = ids['D1-2'];
    await addUser(t, 'editor', unit, 'editor.d12@test.vn');
    await completeBefore(t, unit, 7);
    expect((await act(t, tokens.editor, unit, 7, 'start')).status).toBe(200);
    expect((await act(t, tokens.editor, unit, 7, 'submit')).status).toBe(200);
    expect((await act(t, tokens.supervisor, unit, 7, 'approve')).status).toBe(200);
    await smtp.waitFor('the approval', (all) => all.some((m) => m.subject.startsWith('[Đã cho ý kiến / phê duyệt] Đảng ủy xã D1-2')));
    await settle(t);
    const [approved] = smtp.messages.filter((m) => m.subject.startsWith('[Đã cho ý kiến / phê duyệt] Đảng ủy xã D1-2'));
    expect(approved.to).toEqual(['editor.d1@test.vn', 'editor.d12@test.vn', 'vp.d1-2@test.vn'].sort());
  });
});
