import type { Env } from '@app/core';
import { TemplateRenderer } from './template-renderer';

/** Letters are addressed to the committee that acts for a unit (BRIEF.md "Two names"), the organisation's name otherwise. */
describe('emails address the committee', () => {
  const renderer = new TemplateRenderer({ APP_URL: 'https://daihoi.example/' } as Env);
  const steps = [{ no: 2, title: 'Thành lập các tiểu ban', dueDate: '2025-07-20', daysLeft: 3 }];

  it('a reminder is addressed to the standing committee of the stored committee name when the unit has one', () => {
    const mail = renderer.render('reminder', {
      asOf: '2025-07-17',
      unit: {
        id: 7,
        code: '12433',
        name: 'Đảng bộ Cơ quan Ủy ban nhân dân xã Vũ Hội',
        tier: 'grassroots',
        committeeName: 'Đảng ủy Cơ quan xã Vũ Hội',
      },
      steps,
    });
    expect(mail.text).toContain('Kính gửi: Ban Thường vụ Đảng ủy Cơ quan xã Vũ Hội,');
    expect(mail.html).toContain('<p>Kính gửi: Ban Thường vụ Đảng ủy Cơ quan xã Vũ Hội,</p>');
    expect(mail.text).toContain('Đề nghị Đảng ủy Cơ quan xã Vũ Hội cập nhật');
  });

  it('falls back to the committee derived from the unit name (units without a committee name, payloads stored before it)', () => {
    const mail = renderer.render('reminder', {
      asOf: '2025-07-17',
      unit: { id: 7, code: '12433', name: 'Đảng bộ xã Vũ Hội', tier: 'grassroots' },
      steps,
    });
    expect(mail.text).toContain('Kính gửi: Ban Thường vụ Đảng ủy xã Vũ Hội,');
  });

  it('an escalation is addressed to the standing committee of the parent’s committee', () => {
    const mail = renderer.render('escalation', {
      asOf: '2025-07-17',
      parent: { id: 3, code: '344', name: 'Đảng bộ huyện Vũ Thư', committeeName: 'Huyện ủy Vũ Thư' },
      units: [{ id: 7, code: '12433', name: 'Đảng bộ xã Vũ Hội', oldestDueDate: '2025-07-01', daysOverdue: 16, steps: 2 }],
    });
    expect(mail.text).toContain('Kính gửi Thường trực Huyện ủy Vũ Thư,');
  });
});
