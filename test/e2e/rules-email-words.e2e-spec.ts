import { act, completeBefore, plannedTree } from '../factories/workflow';
import { addUser, clearDueDates, setDue, settle, sweep } from '../factories/notifications';
import { MailStack, startMailStack } from '../setup/test-worker';
import type { ReceivedMail } from '../setup/smtp-sink';

/**
 * Letters are addressed to the committee, use the Party's words and are signed by the root's
 * organisation committee (BRIEF.md "Two names", "Words"): every template × event, on the mails the
 * SMTP sink received. A provincial deployment: the root is Đảng bộ tỉnh Thái Bình (so "Ban Tổ chức
 * Tỉnh ủy Thái Bình" signs), Đảng bộ huyện Vũ Thư (cấp trên trực tiếp cơ sở) approves Đảng bộ xã Vũ
 * Hội; the committees' names are derived from the organisations' (committeeTitle).
 */
const SIGNED = 'Ban Tổ chức Tỉnh ủy Thái Bình';
const ASOF = '2025-07-20';
const DECISION = 'Quyết định số 1234-QĐ/TW ngày 10/10/2025';

/** [case, the mail (subject start, recipient), salutation, words]. */
const CASES: [string, { subject: string; to: string }, string, string[]][] = [
  [
    'submitted, step 7 (cho ý kiến / phê duyệt)',
    { subject: '[Chờ cho ý kiến / phê duyệt] Đảng bộ xã Vũ Hội: Bước 7.', to: 'sup.vt@test.vn' },
    'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
    ['Đảng ủy xã Vũ Hội đã trình bước 7.', 'đề nghị Huyện ủy Vũ Thư (cấp trên trực tiếp cơ sở) xem xét, cho ý kiến / phê duyệt.'],
  ],
  [
    'returned, step 7',
    { subject: '[Trả lại, đề nghị hoàn thiện] Đảng bộ xã Vũ Hội: Bước 7.', to: 'ed.vh@test.vn' },
    'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
    [
      'của Đảng bộ xã Vũ Hội: Trả lại, đề nghị hoàn thiện.',
      'Lý do: Bổ sung cơ cấu nữ',
      'Người trả lại: Trần Thị Bình (Huyện ủy Vũ Thư)',
      'Đề nghị Đảng ủy xã Vũ Hội hoàn thiện hồ sơ và trình lại',
    ],
  ],
  [
    'approved, step 7 (cho ý kiến / phê duyệt)',
    { subject: '[Đã cho ý kiến / phê duyệt] Đảng bộ xã Vũ Hội: Bước 7.', to: 'ed.vh@test.vn' },
    'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
    ['của Đảng bộ xã Vũ Hội đã được Huyện ủy Vũ Thư cho ý kiến / phê duyệt.'],
  ],
  [
    'submitted, step 13 (chuẩn y)',
    { subject: '[Chờ chuẩn y] Đảng bộ xã Vũ Hội: Bước 13.', to: 'sup.vt@test.vn' },
    'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
    ['xem xét, chuẩn y.', 'Văn bản kèm theo: Tờ trình số 12-TTr/ĐU'],
  ],
  [
    'approved, step 13 (chuẩn y)',
    { subject: '[Đã chuẩn y] Đảng bộ xã Vũ Hội: Bước 13.', to: 'ed.vh@test.vn' },
    'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
    ['của Đảng bộ xã Vũ Hội đã được Huyện ủy Vũ Thư chuẩn y.'],
  ],
  [
    "approved, the root's step 13 by an outside decision",
    { subject: '[Đã chuẩn y] Đảng bộ tỉnh Thái Bình: Bước 13.', to: 'ed.tb@test.vn' },
    'Kính gửi: Ban Thường vụ Tỉnh ủy Thái Bình,',
    ['của Đảng bộ tỉnh Thái Bình đã được chuẩn y.', `Văn bản: ${DECISION}`],
  ],
  [
    'reminder',
    { subject: '[Nhắc hạn] Đảng bộ xã Vũ Hội:', to: 'ed.vh@test.vn' },
    'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
    ['Đề nghị Đảng ủy xã Vũ Hội cập nhật tiến độ'],
  ],
  [
    'escalation',
    { subject: '[Quá hạn] 1 đơn vị trực thuộc Đảng bộ huyện Vũ Thư', to: 'sup.vt@test.vn' },
    'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
    ['các đơn vị trực thuộc Đảng bộ huyện Vũ Thư (cấp trên trực tiếp cơ sở)', 'Đề nghị Huyện ủy Vũ Thư chỉ đạo, đôn đốc'],
  ],
  [
    'approval_overdue',
    { subject: '[Quá hạn phê duyệt]', to: 'sup.vt@test.vn' },
    'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
    ['chờ phê duyệt, chuẩn y quá thời hạn xem xét', 'Đề nghị Huyện ủy Vũ Thư xem xét'],
  ],
  [
    'digest to a supervisor of the district',
    { subject: '[Tổng hợp ngày 20/07/2025]', to: 'sup.vt@test.vn' },
    'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư (đồng chí Trần Thị Bình),',
    ['trả lại, đề nghị hoàn thiện 0', 'không thực hiện 1'],
  ],
  [
    "digest to the root's admin",
    { subject: '[Tổng hợp ngày 20/07/2025]', to: 'admin@test.vn' },
    'Kính gửi: Ban Thường vụ Tỉnh ủy Thái Bình (đồng chí Quản trị hệ thống),',
    ['Tổng hợp tiến độ chuẩn bị đại hội của Đảng bộ tỉnh Thái Bình'],
  ],
];

describe('emails: addressed to the committee, the Party’s words, signed by the root’s organisation committee', () => {
  let stack: MailStack;
  let ids: Record<string, number>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startMailStack({
      env: {
        ROOT_UNIT_CODE: 'TB',
        ROOT_UNIT_NAME: 'Đảng bộ tỉnh Thái Bình',
        ROOT_UNIT_TIER: 'province',
        ESCALATE_AFTER_DAYS: '7',
        OVERDUE_EVERY_DAYS: '3',
        REMINDER_DAYS_BEFORE: '7,3,1',
      },
    });
    const { t, smtp, worker } = stack;
    ({ ids } = await plannedTree(t, [
      { code: 'VT', name: 'Đảng bộ huyện Vũ Thư', tier: 'district', parentCode: '' },
      { code: 'VH', name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots', parentCode: 'VT' },
    ]));
    ids.TB = t.rootUnitId;
    tokens.supVt = await addUser(t, 'supervisor', ids.VT, 'sup.vt@test.vn');
    tokens.edVh = await addUser(t, 'editor', ids.VH, 'ed.vh@test.vn');
    tokens.edTb = await addUser(t, 'editor', ids.TB, 'ed.tb@test.vn');
    await t.db.query(`UPDATE users SET name = 'Trần Thị Bình' WHERE email = 'sup.vt@test.vn'`);
    const ok = async (token: string, unit: number, no: number, action: string, options = {}) =>
      expect((await act(t, token, unit, no, action, options)).body).toMatchObject({ no });

    // Step 7: submitted, returned, submitted again, approved (cho ý kiến / phê duyệt).
    await completeBefore(t, ids.VH, 7);
    await ok(tokens.edVh, ids.VH, 7, 'start');
    await ok(tokens.edVh, ids.VH, 7, 'submit');
    await ok(tokens.supVt, ids.VH, 7, 'return', { note: 'Bổ sung cơ cấu nữ' });
    await ok(tokens.edVh, ids.VH, 7, 'submit');
    await ok(tokens.supVt, ids.VH, 7, 'approve');
    // Step 13: submitted with the dossier, ratified (chuẩn y).
    await completeBefore(t, ids.VH, 13);
    await ok(tokens.edVh, ids.VH, 13, 'start');
    await ok(tokens.edVh, ids.VH, 13, 'submit', { documentRef: 'Tờ trình số 12-TTr/ĐU' });
    await ok(tokens.supVt, ids.VH, 13, 'approve');
    // The root's step 13: its ratification is an outside decision recorded by the root's admin.
    await completeBefore(t, ids.TB, 13);
    await ok(tokens.edTb, ids.TB, 13, 'start');
    await ok(tokens.edTb, ids.TB, 13, 'submit');
    await ok(t.adminToken, ids.TB, 13, 'approve', { documentRef: DECISION });
    await smtp.waitFor('the event emails', (all) => all.filter((m) => m.subject.startsWith('[Đã')).length >= 3);
    await settle(t);

    // The day's sweep and digest: a step due in 3 days and one 10 days late (reminded, escalated);
    // a submission past its approval deadline (the approver's reminder); a skipped step (the digest's words).
    await clearDueDates(t);
    await setDue(t, ids.VH, ASOF, { 14: 3, 15: -10 });
    await t.db.query(
      `UPDATE unit_steps SET status = 'awaiting_approval', approval_due = $2::date - 1 WHERE unit_id = $1 AND step_no = 10`,
      [ids.VH, ASOF],
    );
    await t.db.query(`UPDATE unit_steps SET status = 'skipped' WHERE unit_id = $1 AND step_no = 2`, [ids.VT]);
    await sweep(t, ASOF);
    await worker.notifications.digest(ASOF);
    await settle(t);
  });
  afterAll(async () => stack?.close());

  const mail = (m: { subject: string; to: string }): ReceivedMail => {
    const found = stack.smtp.messages.filter((x) => x.subject.startsWith(m.subject) && x.to.includes(m.to));
    // Step 7 is submitted twice (before and after the return): both letters read the same.
    expect(found.length).toBeGreaterThanOrEqual(1);
    return found[0];
  };

  it('the table covers every template', () => {
    const kinds = new Set(CASES.map(([name]) => name.split(/[ ,]/)[0]));
    expect([...kinds].sort()).toEqual(['approval_overdue', 'approved', 'digest', 'escalation', 'reminder', 'returned', 'submitted']);
  });

  it.each(CASES)('%s: salutation, words, signature', (_case, which, salutation, words) => {
    const m = mail(which);
    expect(m.text.startsWith(`${salutation}\n`)).toBe(true);
    expect(m.html.startsWith(`<p>${salutation}</p>`)).toBe(true);
    for (const w of words) expect(m.text).toContain(w);
    expect(m.text.trimEnd().endsWith(SIGNED)).toBe(true);
    expect(m.html.trimEnd().endsWith(`<p>${SIGNED}</p>`)).toBe(true);
    for (const old of ['Bị trả lại', 'bị trả lại', 'Bỏ qua', 'bỏ qua', 'cấp huyện', 'Thường trực']) expect(m.text).not.toContain(old);
  });

  it("the root's own submission goes to nobody in the tree (its approval comes from outside)", async () => {
    expect(stack.smtp.messages.filter((m) => m.subject.startsWith('[Chờ chuẩn y] Đảng bộ tỉnh Thái Bình'))).toEqual([]);
    const { rows } = await stack.t.db.query(`SELECT status, error FROM notifications WHERE kind = 'submitted' AND unit_id = $1`, [ids.TB]);
    expect(rows).toEqual([{ status: 'skipped', error: 'no recipients' }]);
  });
});
