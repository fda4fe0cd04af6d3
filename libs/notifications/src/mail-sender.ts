import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import nodemailer, { Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { Env } from '@app/core';
import { MAIL_SQL } from './notifications.sql';
import { TemplateRenderer } from './template-renderer';

interface Claimed {
  kind: string;
  recipients: string[];
  payload: object;
  unitId: number | null;
}

export interface SendAttempt {
  notificationId: string;
  /** This is the last attempt BullMQ will make: a failure marks the notification failed. */
  lastAttempt: boolean;
}

/**
 * Sends one notification over SMTP (pooled). Idempotent: it claims the row first, so a job
 * that runs twice sends one email; a failure before the last attempt puts it back to pending
 * and rethrows, so BullMQ retries with exponential backoff.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger('MailSender');
  private readonly transport: Transporter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly env: Env,
    private readonly renderer: TemplateRenderer,
  ) {
    this.transport = nodemailer.createTransport(`${env.SMTP_URL}${env.SMTP_URL.includes('?') ? '&' : '?'}pool=true&maxConnections=5`);
  }

  async send({ notificationId, lastAttempt }: SendAttempt): Promise<'sent' | 'skipped'> {
    const [claimed]: Claimed[] = await this.db.query(MAIL_SQL.claim, [notificationId]);
    if (!claimed) return 'skipped'; // already sent, being sent, or not pending any more
    try {
      const payload = claimed.kind === 'reminder' ? await this.stillOpen(claimed) : claimed.payload;
      if (!payload) {
        await this.db.query(MAIL_SQL.skipped, [notificationId, 'every step was finished before the reminder was sent']);
        return 'skipped';
      }
      const mail = this.renderer.render(claimed.kind, payload);
      const info = await this.transport.sendMail({ from: this.env.MAIL_FROM, to: claimed.recipients, ...mail });
      await this.db.query(MAIL_SQL.sent, [notificationId, info.messageId, JSON.stringify(payload)]);
      return 'sent';
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      await this.db.query(lastAttempt ? MAIL_SQL.failed : MAIL_SQL.retry, [notificationId, message]);
      this.logger.warn({ notificationId, lastAttempt, error: message }, 'Mail not sent');
      throw error;
    }
  }

  /** A reminder reloads its steps when sent: those finished since the sweep are dropped; null when none is left. */
  private async stillOpen(claimed: Claimed): Promise<object | null> {
    const payload = claimed.payload as { steps: { no: number }[] };
    const open: { no: number }[] = await this.db.query(MAIL_SQL.openSteps, [claimed.unitId, payload.steps.map((s) => s.no)]);
    const steps = payload.steps.filter((s) => open.some((o) => o.no === s.no));
    return steps.length > 0 ? { ...payload, steps } : null;
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
