import type { Env } from '@app/core';
import { TEMPLATES } from './templates';
import { TemplateRenderer } from './template-renderer';

/**
 * Every letter is addressed to a committee, uses the brief's words and is signed by the root's
 * organisation committee (BRIEF.md "Two names", "Words"). Table: template × event → the salutation,
 * the words and the signature, in the plain-text and the HTML body. (Delivery through the SMTP sink:
 * test/e2e/rules-email-words.e2e-spec.ts.)
 */
describe('emails address the committee, use the words, are signed by the root’s organisation committee', () => {
  const renderer = new TemplateRenderer({ APP_URL: 'https://daihoi.example/' } as Env);
  const root = { name: 'Đảng bộ tỉnh Thái Bình', tier: 'province', committeeName: null };
  const district = { id: 3, code: 'VT', name: 'Đảng bộ huyện Vũ Thư', tier: 'district', committeeName: 'Huyện ủy Vũ Thư' };
  const commune = { id: 7, code: 'VH', name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots', committeeName: null };
  const actor = { name: 'Nguyễn Văn An', email: 'an@vuthu.vn' };
  const step = (no: number, code: string, title: string) => ({ no, code, title, dueDate: '2025-05-01', status: 'awaiting_approval' });
  const s7 = step(7, 'personnel_scheme', 'Xây dựng đề án nhân sự cấp ủy');
  const s10 = step(10, 'superior_review', 'Báo cáo cấp ủy cấp trên về văn kiện và phương án nhân sự');
  const s13 = step(13, 'results_report', 'Báo cáo kết quả đại hội, hồ sơ bầu cử đề nghị chuẩn y');
  const SIGNED = 'Ban Tổ chức Tỉnh ủy Thái Bình';

  const CASES: [string, string, object, string, string[]][] = [
    [
      'reminder',
      'to the commune',
      { asOf: '2025-04-28', unit: commune, root, steps: [{ no: 2, title: 'Thành lập các tiểu ban', dueDate: '2025-05-01', daysLeft: 3 }] },
      'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
      ['Đề nghị Đảng ủy xã Vũ Hội cập nhật tiến độ'],
    ],
    [
      'escalation',
      'to the district (cấp trên trực tiếp cơ sở)',
      {
        asOf: '2025-05-20',
        parent: district,
        root,
        units: [{ id: 7, code: 'VH', name: 'Đảng bộ xã Vũ Hội', oldestDueDate: '2025-05-01', daysOverdue: 19, steps: 2 }],
      },
      'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
      ['các đơn vị trực thuộc Đảng bộ huyện Vũ Thư (cấp trên trực tiếp cơ sở)', 'Đề nghị Huyện ủy Vũ Thư chỉ đạo, đôn đốc'],
    ],
    [
      'approval_overdue',
      'to the approving district',
      {
        asOf: '2025-06-24',
        approver: district,
        root,
        items: [{ unitId: 7, code: 'VH', name: 'Đảng bộ xã Vũ Hội', no: 13, title: s13.title, approvalDue: '2025-06-23', daysOverdue: 1 }],
      },
      'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
      ['chờ phê duyệt, chuẩn y quá thời hạn xem xét', 'Đề nghị Huyện ủy Vũ Thư xem xét'],
    ],
    [
      'submitted',
      'step 7: cho ý kiến / phê duyệt',
      { unit: commune, step: s7, approver: district, root, actor, note: null, documentRef: null },
      'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
      [
        'Đảng ủy xã Vũ Hội đã trình bước 7. Xây dựng đề án nhân sự cấp ủy, đề nghị Huyện ủy Vũ Thư (cấp trên trực tiếp cơ sở) xem xét, cho ý kiến / phê duyệt.',
      ],
    ],
    [
      'submitted',
      'step 10: cho ý kiến / phê duyệt',
      { unit: commune, step: s10, approver: district, root, actor, note: null, documentRef: null },
      'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
      ['xem xét, cho ý kiến / phê duyệt.'],
    ],
    [
      'submitted',
      'step 13: chuẩn y',
      { unit: commune, step: s13, approver: district, root, actor, note: null, documentRef: 'Tờ trình số 12-TTr/ĐU' },
      'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư,',
      ['xem xét, chuẩn y.', 'Văn bản kèm theo: Tờ trình số 12-TTr/ĐU'],
    ],
    [
      'returned',
      'to the commune',
      { unit: commune, step: s7, approver: district, root, actor, note: 'Thiếu biên bản hội nghị', documentRef: null },
      'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
      ['Trả lại, đề nghị hoàn thiện.', 'Lý do: Thiếu biên bản hội nghị', 'Đề nghị Đảng ủy xã Vũ Hội hoàn thiện hồ sơ và trình lại'],
    ],
    [
      'approved',
      'step 7: cho ý kiến / phê duyệt',
      { unit: commune, step: s7, approver: district, root, actor, note: null, documentRef: null },
      'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
      ['đã được Huyện ủy Vũ Thư cho ý kiến / phê duyệt.'],
    ],
    [
      'approved',
      'step 13: chuẩn y',
      { unit: commune, step: s13, approver: district, root, actor, note: null, documentRef: 'Quyết định số 45-QĐ/HU' },
      'Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,',
      ['đã được Huyện ủy Vũ Thư chuẩn y.', 'Văn bản: Quyết định số 45-QĐ/HU'],
    ],
    [
      'approved',
      "the root's step 13, an outside decision (no approver in the tree)",
      {
        unit: { ...root, id: 1, code: 'TB' },
        step: s13,
        approver: null,
        root,
        actor,
        note: null,
        documentRef: 'Quyết định số 1234-QĐ/TW',
      },
      'Kính gửi: Ban Thường vụ Tỉnh ủy Thái Bình,',
      ['của Đảng bộ tỉnh Thái Bình đã được chuẩn y.', 'Văn bản: Quyết định số 1234-QĐ/TW'],
    ],
    [
      'digest',
      'to a supervisor of the district',
      {
        asOf: '2025-05-20',
        user: { id: 5, name: 'Trần Thị Bình' },
        unit: district,
        root,
        counts: [{ no: 1, notStarted: 0, inProgress: 1, awaitingApproval: 0, returned: 2, completed: 3, skipped: 1, overdue: 1 }],
        newlyOverdue: { total: 0, items: [] },
        awaiting: { total: 0, items: [] },
        reminders: null,
      },
      'Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư (đồng chí Trần Thị Bình),',
      ['trả lại, đề nghị hoàn thiện 2', 'không thực hiện 1'],
    ],
  ];

  it('the table covers every template', () => {
    expect([...new Set(CASES.map((c) => c[0]))].sort()).toEqual(Object.keys(TEMPLATES).sort());
  });

  it.each(CASES)('%s (%s): salutation, words, signature', (kind, _case, payload, salutation, words) => {
    const mail = renderer.render(kind, payload);
    expect(mail.text.startsWith(salutation)).toBe(true);
    expect(mail.html).toContain(`<p>${salutation}</p>`);
    for (const w of words) {
      expect(mail.text).toContain(w);
      // The digest's HTML is a table: its words are in the headers (checked below).
      if (kind !== 'digest') expect(mail.html.replace(/<\/?b>/g, '')).toContain(w);
    }
    if (kind === 'digest') expect(mail.html).toContain('<th>Trả lại, đề nghị hoàn thiện</th><th>Hoàn thành</th><th>Không thực hiện</th>');
    expect(mail.text.trimEnd().endsWith(SIGNED)).toBe(true);
    expect(mail.html.trimEnd().endsWith(`<p>${SIGNED}</p>`)).toBe(true);
    // The first version's words are gone.
    for (const old of ['Bị trả lại', 'bị trả lại', 'Bỏ qua', 'bỏ qua', 'cấp huyện', 'Thường trực']) expect(mail.text).not.toContain(old);
  });

  it('subjects: "Trả lại, đề nghị hoàn thiện", "Đã chuẩn y", "Chờ cho ý kiến / phê duyệt"', () => {
    const subject = (kind: string, s: object) =>
      renderer.render(kind, { unit: commune, step: s, approver: district, root, actor, note: 'x' }).subject;
    expect(subject('returned', s7)).toBe('[Trả lại, đề nghị hoàn thiện] Đảng bộ xã Vũ Hội: Bước 7. Xây dựng đề án nhân sự cấp ủy');
    expect(subject('approved', s13)).toBe(`[Đã chuẩn y] Đảng bộ xã Vũ Hội: Bước 13. ${s13.title}`);
    expect(subject('submitted', s10)).toBe(`[Chờ cho ý kiến / phê duyệt] Đảng bộ xã Vũ Hội: Bước 10. ${s10.title}`);
  });

  it('a payload stored before the committee fields still renders: the committee derived from the name, "Ban Tổ chức" signs', () => {
    const mail = renderer.render('reminder', {
      asOf: '2025-07-17',
      unit: { id: 7, code: '12433', name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots' },
      steps: [{ no: 2, title: 'Thành lập các tiểu ban', dueDate: '2025-07-20', daysLeft: 3 }],
    });
    expect(mail.text).toContain('Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,');
    expect(mail.text.trimEnd().endsWith('Ban Tổ chức')).toBe(true);
  });

  it('the stored committee name wins over the organisation name', () => {
    const mail = renderer.render('reminder', {
      asOf: '2025-07-17',
      unit: {
        id: 7,
        code: '12433',
        name: 'Đảng bộ Cơ quan Ủy ban nhân dân xã Vũ Hội',
        tier: 'grassroots',
        committeeName: 'Đảng ủy Cơ quan xã Vũ Hội',
      },
      root,
      steps: [{ no: 2, title: 'Thành lập các tiểu ban', dueDate: '2025-07-20', daysLeft: 3 }],
    });
    expect(mail.text).toContain('Kính gửi: Ban Thường vụ Đảng ủy Cơ quan xã Vũ Hội,');
    expect(mail.text).toContain('Đề nghị Đảng ủy Cơ quan xã Vũ Hội cập nhật');
  });
});
