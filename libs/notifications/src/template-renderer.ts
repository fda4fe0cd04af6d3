import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { approvalWord, committeeTitle, type CommitteeUnit, Env, tierWord } from '@app/core';
import { SIGNATURE, TEMPLATES } from './templates';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = { subject: Handlebars.TemplateDelegate; html: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate };

/** Renders a notification's payload with the template of its kind. */
@Injectable()
export class TemplateRenderer {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();

  constructor(private readonly env: Env) {
    this.hbs.registerHelper('date', (iso: unknown) => (typeof iso === 'string' ? iso.slice(0, 10).split('-').reverse().join('/') : ''));
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('gt', (a: number, b: number) => a > b);
    this.hbs.registerHelper('lt', (a: number, b: number) => a < b);
    this.hbs.registerHelper('abs', (a: number) => Math.abs(a));
    // {{committee unit}} "Đảng ủy xã Vũ Hội", {{committee unit "addressee"}} "Ban Thường vụ Huyện ủy Vũ Thư",
    // {{committee root "organisation"}} "Ban Tổ chức Tỉnh ủy Thái Bình" (the one helper: committeeTitle).
    this.hbs.registerHelper('committee', (unit: unknown, form: unknown) => {
      if (!unit || typeof unit !== 'object' || typeof (unit as CommitteeUnit).name !== 'string') return '';
      const f = form === 'addressee' || form === 'organisation' ? form : 'committee';
      return committeeTitle(unit as CommitteeUnit, f);
    });
    // {{approval step.code}}: "chuẩn y" (step 13), "cho ý kiến / phê duyệt" (steps 7, 10), "phê duyệt" otherwise.
    this.hbs.registerHelper('approval', (code: unknown) => approvalWord(typeof code === 'string' ? code : null));
    // {{tierWord unit.tier}}: "cấp trên trực tiếp cơ sở" for the district tier, nothing otherwise.
    this.hbs.registerHelper('tierWord', (tier: unknown) => tierWord(typeof tier === 'string' ? tier : null) ?? '');
    this.hbs.registerPartial('signature', SIGNATURE);
    for (const [kind, t] of Object.entries(TEMPLATES)) {
      this.compiled.set(kind, {
        subject: this.hbs.compile(t.subject, { noEscape: true }),
        html: this.hbs.compile(t.html),
        text: this.hbs.compile(t.text, { noEscape: true }),
      });
    }
  }

  render(kind: string, payload: object): RenderedMail {
    const t = this.compiled.get(kind);
    if (!t) throw new Error(`No template for notification kind ${kind}`);
    const data = { ...payload, appUrl: this.env.APP_URL.replace(/\/$/, '') };
    return { subject: t.subject(data).replace(/\s+/g, ' ').trim(), html: t.html(data), text: t.text(data) };
  }
}
