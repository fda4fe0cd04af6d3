import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { Env } from '@app/core';
import { ClaimedNotification, NotificationsRepository } from './notifications.repository';
import { TemplateRenderer } from './template-renderer';

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
    private readonly notifications: NotificationsRepository,
    private readonly env: Env,
    private readonly renderer: TemplateRenderer,
  ) {
    this.transport = nodemailer.createTransport(`${env.SMTP_URL}${env.SMTP_URL.includes('?') ? '&' : '?'}pool=true&maxConnections=5`);
  }

  async send({ notificationId, lastAttempt }: SendAttempt): Promise<'sent' | 'skipped'> {
    const claimed = await this.notifications.claim(notificationId);
    if (!claimed) return 'skipped'; // already sent, being sent, or not pending any more
    try {
      const payload = claimed.kind === 'reminder' ? await this.stillOpen(claimed) : claimed.payload;
      if (!payload) {
        await this.notifications.markSkipped(notificationId, 'every step was finished before the reminder was sent');
        return 'skipped';
      }
      const mail = this.renderer.render(claimed.kind, payload);
      const info = await this.transport.sendMail({ from: this.env.MAIL_FROM, to: claimed.recipients, ...mail });
      await this.notifications.markSent(notificationId, info.messageId, payload);
      return 'sent';
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      await this.notifications.markFailedAttempt(notificationId, message, lastAttempt);
      this.logger.warn({ notificationId, lastAttempt, error: message }, 'Mail not sent');
      throw error;
    }
  }

  /** A reminder reloads its steps when sent: those finished since the sweep are dropped; null when none is left. */
  private async stillOpen(claimed: ClaimedNotification): Promise<object | null> {
    const payload = claimed.payload as { steps: { no: number }[] };
    const open = await this.notifications.openSteps(
      claimed.unitId,
      payload.steps.map((s) => s.no),
    );
    const steps = payload.steps.filter((s) => open.includes(s.no));
    return steps.length > 0 ? { ...payload, steps } : null;
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
