/**
 * One template per kind, in Vietnamese, rendered with Handlebars: a subject, an HTML body and a
 * plain-text body. Dates arrive as YYYY-MM-DD and are shown as dd/mm/yyyy by the `date` helper.
 * Every letter is addressed to a committee ("Kính gửi: Ban Thường vụ Huyện ủy Vũ Thư", helper
 * `committee`, the one function committeeTitle), asks a committee to act ("Đề nghị Đảng ủy xã Vũ Hội
 * cập nhật…") and is signed by the organisation committee of the tree's root (partial `signature`:
 * "Ban Tổ chức Tỉnh ủy Thái Bình"). The words are the brief's: "Trả lại, đề nghị hoàn thiện",
 * "Không thực hiện", "chuẩn y" / "cho ý kiến / phê duyệt" (helper `approval`, by the step's code),
 * "cấp trên trực tiếp cơ sở" (helper `tierWord`).
 */
export interface MailTemplate {
  subject: string;
  html: string;
  text: string;
}

const stepLine = `Bước {{no}}. {{title}} — hạn {{date dueDate}}{{#if (gt daysLeft 0)}} (còn {{daysLeft}} ngày){{/if}}{{#if (eq daysLeft 0)}} (hạn hôm nay){{/if}}{{#if (lt daysLeft 0)}} (quá hạn {{abs daysLeft}} ngày){{/if}}`;

/** One step of a unit in the digest, on one line with the others: "Bước 4 (hạn 12/03/2025, quá hạn 3 ngày)". */
const stepShort = `Bước {{no}} (hạn {{date dueDate}}{{#if (gt daysLeft 0)}}, còn {{daysLeft}} ngày{{/if}}{{#if (eq daysLeft 0)}}, hạn hôm nay{{/if}}{{#if (lt daysLeft 0)}}, quá hạn {{abs daysLeft}} ngày{{/if}})`;

/** The signature: the root's organisation committee; "Ban Tổ chức" alone for a payload stored without the root. */
export const SIGNATURE = `{{#if root}}{{committee root "organisation"}}{{else}}Ban Tổ chức{{/if}}`;

export const TEMPLATES: Record<string, MailTemplate> = {
  reminder: {
    subject: '[Nhắc hạn] {{unit.name}}: {{steps.length}} bước sắp đến hạn hoặc quá hạn ({{date asOf}})',
    html: `<p>Kính gửi: {{committee unit "addressee"}},</p>
<p>Tính đến ngày {{date asOf}}, các bước chuẩn bị đại hội sau đây của {{unit.name}} sắp đến hạn hoặc đã quá hạn:</p>
<ul>{{#each steps}}<li>${stepLine}</li>{{/each}}</ul>
<p>Đề nghị {{committee unit}} cập nhật tiến độ tại <a href="{{appUrl}}/units/{{unit.id}}">{{appUrl}}/units/{{unit.id}}</a>.</p>
<p>{{> signature}}</p>`,
    text: `Kính gửi: {{committee unit "addressee"}},

Tính đến ngày {{date asOf}}, các bước chuẩn bị đại hội sau đây của {{unit.name}} sắp đến hạn hoặc đã quá hạn:
{{#each steps}}- ${stepLine}
{{/each}}

Đề nghị {{committee unit}} cập nhật tiến độ tại {{appUrl}}/units/{{unit.id}}

{{> signature}}`,
  },
  escalation: {
    subject: '[Quá hạn] {{units.length}} đơn vị trực thuộc {{parent.name}} quá hạn ({{date asOf}})',
    html: `<p>Kính gửi: {{committee parent "addressee"}},</p>
<p>Tính đến ngày {{date asOf}}, các đơn vị trực thuộc {{parent.name}}{{#if (tierWord parent.tier)}} ({{tierWord parent.tier}}){{/if}} sau đây có bước chuẩn bị đại hội quá hạn:</p>
<ul>{{#each units}}<li>{{name}} ({{code}}): {{steps}} bước, quá hạn {{daysOverdue}} ngày kể từ {{date oldestDueDate}}</li>{{/each}}</ul>
<p>Đề nghị {{committee parent}} chỉ đạo, đôn đốc các đơn vị hoàn thành. Xem chi tiết tại <a href="{{appUrl}}/units/{{parent.id}}">{{appUrl}}/units/{{parent.id}}</a>.</p>
<p>{{> signature}}</p>`,
    text: `Kính gửi: {{committee parent "addressee"}},

Tính đến ngày {{date asOf}}, các đơn vị trực thuộc {{parent.name}}{{#if (tierWord parent.tier)}} ({{tierWord parent.tier}}){{/if}} sau đây có bước chuẩn bị đại hội quá hạn:
{{#each units}}- {{name}} ({{code}}): {{steps}} bước, quá hạn {{daysOverdue}} ngày kể từ {{date oldestDueDate}}
{{/each}}

Đề nghị {{committee parent}} chỉ đạo, đôn đốc các đơn vị hoàn thành. Xem chi tiết tại {{appUrl}}/units/{{parent.id}}

{{> signature}}`,
  },
  approval_overdue: {
    subject: '[Quá hạn phê duyệt] {{items.length}} hồ sơ chờ {{approver.name}} quá thời hạn xem xét ({{date asOf}})',
    html: `<p>Kính gửi: {{committee approver "addressee"}},</p>
<p>Tính đến ngày {{date asOf}}, các hồ sơ sau đây đã trình và đang chờ phê duyệt, chuẩn y quá thời hạn xem xét:</p>
<ul>{{#each items}}<li>{{name}} ({{code}}): Bước {{no}}. {{title}} — hạn xem xét {{date approvalDue}} (quá hạn {{daysOverdue}} ngày)</li>{{/each}}</ul>
<p>Đề nghị {{committee approver}} xem xét, phê duyệt hoặc trả lại tại <a href="{{appUrl}}/approvals">{{appUrl}}/approvals</a>.</p>
<p>{{> signature}}</p>`,
    text: `Kính gửi: {{committee approver "addressee"}},

Tính đến ngày {{date asOf}}, các hồ sơ sau đây đã trình và đang chờ phê duyệt, chuẩn y quá thời hạn xem xét:
{{#each items}}- {{name}} ({{code}}): Bước {{no}}. {{title}} — hạn xem xét {{date approvalDue}} (quá hạn {{daysOverdue}} ngày)
{{/each}}

Đề nghị {{committee approver}} xem xét, phê duyệt hoặc trả lại tại {{appUrl}}/approvals

{{> signature}}`,
  },
  submitted: {
    subject: '[Chờ {{approval step.code}}] {{unit.name}}: Bước {{step.no}}. {{step.title}}',
    html: `{{#if approver}}<p>Kính gửi: {{committee approver "addressee"}},</p>
{{/if}}<p>{{committee unit}} đã trình bước <b>{{step.no}}. {{step.title}}</b>, đề nghị {{#if approver}}{{committee approver}}{{#if (tierWord approver.tier)}} ({{tierWord approver.tier}}){{/if}}{{else}}cấp trên{{/if}} xem xét, {{approval step.code}}.</p>
{{#if note}}<p>Ghi chú: {{note}}</p>{{/if}}{{#if documentRef}}<p>Văn bản kèm theo: {{documentRef}}</p>{{/if}}<p>Người trình: {{actor.name}}</p>
<p>Xem xét, {{approval step.code}} hoặc trả lại tại <a href="{{appUrl}}/approvals">{{appUrl}}/approvals</a> (hồ sơ đơn vị: <a href="{{appUrl}}/units/{{unit.id}}">{{appUrl}}/units/{{unit.id}}</a>).</p>
<p>{{> signature}}</p>`,
    text: `{{#if approver}}Kính gửi: {{committee approver "addressee"}},

{{/if}}{{committee unit}} đã trình bước {{step.no}}. {{step.title}}, đề nghị {{#if approver}}{{committee approver}}{{#if (tierWord approver.tier)}} ({{tierWord approver.tier}}){{/if}}{{else}}cấp trên{{/if}} xem xét, {{approval step.code}}.
{{#if note}}Ghi chú: {{note}}
{{/if}}{{#if documentRef}}Văn bản kèm theo: {{documentRef}}
{{/if}}Người trình: {{actor.name}}
Xem xét, {{approval step.code}} hoặc trả lại tại {{appUrl}}/approvals (hồ sơ đơn vị: {{appUrl}}/units/{{unit.id}})

{{> signature}}`,
  },
  returned: {
    subject: '[Trả lại, đề nghị hoàn thiện] {{unit.name}}: Bước {{step.no}}. {{step.title}}',
    html: `<p>Kính gửi: {{committee unit "addressee"}},</p>
<p>Bước <b>{{step.no}}. {{step.title}}</b> của {{unit.name}}: Trả lại, đề nghị hoàn thiện.</p>
<p>Lý do: {{note}}</p>{{#if documentRef}}<p>Văn bản: {{documentRef}}</p>{{/if}}<p>Người trả lại: {{actor.name}}{{#if approver}} ({{committee approver}}){{/if}}</p>
<p>Đề nghị {{committee unit}} hoàn thiện hồ sơ và trình lại tại <a href="{{appUrl}}/units/{{unit.id}}">{{appUrl}}/units/{{unit.id}}</a>.</p>
<p>{{> signature}}</p>`,
    text: `Kính gửi: {{committee unit "addressee"}},

Bước {{step.no}}. {{step.title}} của {{unit.name}}: Trả lại, đề nghị hoàn thiện.
Lý do: {{note}}
{{#if documentRef}}Văn bản: {{documentRef}}
{{/if}}Người trả lại: {{actor.name}}{{#if approver}} ({{committee approver}}){{/if}}
Đề nghị {{committee unit}} hoàn thiện hồ sơ và trình lại tại {{appUrl}}/units/{{unit.id}}

{{> signature}}`,
  },
  approved: {
    subject: '[Đã {{approval step.code}}] {{unit.name}}: Bước {{step.no}}. {{step.title}}',
    html: `<p>Kính gửi: {{committee unit "addressee"}},</p>
<p>Bước <b>{{step.no}}. {{step.title}}</b> của {{unit.name}} đã được {{#if approver}}{{committee approver}} {{/if}}{{approval step.code}}.</p>
{{#if documentRef}}<p>Văn bản: {{documentRef}}</p>{{/if}}{{#if note}}<p>Ghi chú: {{note}}</p>{{/if}}<p>Người thực hiện: {{actor.name}}</p>
<p>Xem tại <a href="{{appUrl}}/units/{{unit.id}}">{{appUrl}}/units/{{unit.id}}</a>.</p>
<p>{{> signature}}</p>`,
    text: `Kính gửi: {{committee unit "addressee"}},

Bước {{step.no}}. {{step.title}} của {{unit.name}} đã được {{#if approver}}{{committee approver}} {{/if}}{{approval step.code}}.
{{#if documentRef}}Văn bản: {{documentRef}}
{{/if}}{{#if note}}Ghi chú: {{note}}
{{/if}}Người thực hiện: {{actor.name}}
Xem tại {{appUrl}}/units/{{unit.id}}

{{> signature}}`,
  },
  digest: {
    subject: '[Tổng hợp ngày {{date asOf}}] Tiến độ chuẩn bị đại hội — {{unit.name}}',
    html: `<p>Kính gửi: {{committee unit "addressee"}} (đồng chí {{user.name}}),</p>
{{#if counts}}<p>Tổng hợp tiến độ chuẩn bị đại hội của {{unit.name}} và các đơn vị trực thuộc đến ngày {{date asOf}}:</p>
<table border="1" cellpadding="4"><tr><th>Bước</th><th>Chưa bắt đầu</th><th>Đang thực hiện</th><th>Chờ phê duyệt</th><th>Trả lại, đề nghị hoàn thiện</th><th>Hoàn thành</th><th>Không thực hiện</th><th>Quá hạn</th></tr>
{{#each counts}}<tr><td>{{no}}</td><td>{{notStarted}}</td><td>{{inProgress}}</td><td>{{awaitingApproval}}</td><td>{{returned}}</td><td>{{completed}}</td><td>{{skipped}}</td><td>{{overdue}}</td></tr>{{/each}}</table>
<p>Mới quá hạn kể từ bản tổng hợp trước: {{newlyOverdue.total}}</p>
<ul>{{#each newlyOverdue.items}}<li>{{name}} ({{code}}): Bước {{stepNo}}, hạn {{date dueDate}}</li>{{/each}}</ul>
<p>Đang chờ đồng chí phê duyệt: {{awaiting.total}}{{#if awaiting.total}} — xem tại <a href="{{appUrl}}/approvals">{{appUrl}}/approvals</a>{{/if}}</p>
<ul>{{#each awaiting.items}}<li>{{name}} ({{code}}): Bước {{stepNo}}. {{title}}</li>{{/each}}</ul>
{{#if awaiting.total}}<p>Phê duyệt hoặc trả lại tại <a href="{{appUrl}}/approvals">{{appUrl}}/approvals</a>.</p>{{/if}}
{{/if}}{{#if reminders}}<p><b>Nhắc hạn thay cho {{reminders.total}} đơn vị chưa có người nhận thư</b> do {{unit.name}} theo dõi, các bước sắp đến hạn hoặc quá hạn tính đến ngày {{date asOf}}:</p>
{{#each reminders.groups}}{{#if parentName}}<p><b>{{parentName}}</b></p>{{/if}}<ul>{{#each lines}}<li>{{#each steps}}{{#unless @first}}; {{/unless}}${stepShort}{{/each}}: {{#each units}}{{#unless @first}}, {{/unless}}<a href="{{@root.appUrl}}/units/{{id}}">{{name}}</a> ({{code}}){{/each}}</li>{{/each}}</ul>
{{/each}}{{/if}}<p>Xem chi tiết tại <a href="{{appUrl}}">{{appUrl}}</a>.</p>
<p>{{> signature}}</p>`,
    text: `Kính gửi: {{committee unit "addressee"}} (đồng chí {{user.name}}),
{{#if counts}}
Tổng hợp tiến độ chuẩn bị đại hội của {{unit.name}} và các đơn vị trực thuộc đến ngày {{date asOf}}:
{{#each counts}}- Bước {{no}}: hoàn thành {{completed}}, đang thực hiện {{inProgress}}, chờ phê duyệt {{awaitingApproval}}, trả lại, đề nghị hoàn thiện {{returned}}, chưa bắt đầu {{notStarted}}, không thực hiện {{skipped}}, quá hạn {{overdue}}
{{/each}}

Mới quá hạn kể từ bản tổng hợp trước: {{newlyOverdue.total}}
{{#each newlyOverdue.items}}- {{name}} ({{code}}): Bước {{stepNo}}, hạn {{date dueDate}}
{{/each}}

Đang chờ đồng chí phê duyệt: {{awaiting.total}}{{#if awaiting.total}} — xem tại {{appUrl}}/approvals{{/if}}
{{#each awaiting.items}}- {{name}} ({{code}}): Bước {{stepNo}}. {{title}}
{{/each}}
{{#if awaiting.total}}Phê duyệt hoặc trả lại tại {{appUrl}}/approvals
{{/if}}{{/if}}{{#if reminders}}
Nhắc hạn thay cho {{reminders.total}} đơn vị chưa có người nhận thư do {{unit.name}} theo dõi, các bước sắp đến hạn hoặc quá hạn tính đến ngày {{date asOf}}:
{{#each reminders.groups}}{{#if parentName}}
{{parentName}}
{{/if}}{{#each lines}}- {{#each steps}}{{#unless @first}}; {{/unless}}${stepShort}{{/each}}: {{#each units}}{{#unless @first}}, {{/unless}}{{name}} ({{code}}){{/each}}
{{/each}}{{/each}}{{/if}}
Xem chi tiết tại {{appUrl}}

{{> signature}}`,
  },
};
