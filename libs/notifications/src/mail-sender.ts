import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { Env } from '@app/core';
import { ClaimedNotification, NotificationsRepository } from './notifications.repository';
import { TemplateRenderer } from './template-renderer';

/** The mail went out but could not be recorded: the row must not be handed back as unsent. */
class MarkSentError extends Error {
  constructor(readonly original: unknown) {
    super('Mail sent but not recorded as sent');
  }
}

export interface SendAttempt {
  notificationId: string;
  /** This is the last attempt BullMQ will make: a failure marks the notification failed. */
  lastAttempt: boolean;
}

/**
 * Sends one notification over SMTP (pooled), at most once.
 *
 * The claim: the row goes to `sending` with a lease (MAIL_LEASE_MS) and a token (the attempt
 * number) before anything is sent. While this worker lives it renews the lease every third of it,
 * so no other worker can claim the row while our SMTP transaction may still be in flight; when the
 * worker dies the lease runs out and the reclaimer (MailQueue.reclaim) hands the row to another
 * worker. Once the SMTP server has accepted the message the row is marked sent, retried through
 * PostgreSQL outages for as long as the lease lasts (the mark does not depend on the token: whoever
 * holds the row, it has been sent).
 *
 * What remains: SMTP servers do not deduplicate, and the acceptance of a message by the SMTP server
 * and the UPDATE to `sent` cannot be one transaction. If the worker dies (kill -9, power loss)
 * after the server's "250 OK" to the message and before the UPDATE commits, or PostgreSQL stays
 * unreachable for a whole lease after that reply, the row is still `sending`; its lease runs out and
 * it is sent a second time. That window is one local UPDATE (milliseconds) per mail, against a send
 * that takes a network round trip per SMTP command; everywhere else (a death before the reply, during
 * the retries, or in the backoff) the mail is sent once. A second, rarer window: a worker that lives
 * but cannot reach PostgreSQL to renew its lease while its SMTP server takes longer than the lease
 * (10 minutes by default) to answer. The duplicate carries the same Message-ID
 * (`<notification-<id>@…>`), so mail clients that collapse duplicates show it once.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger('MailSender');
  private readonly transport: Transporter;
  private readonly messageIdDomain: string;

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly env: Env,
    private readonly renderer: TemplateRenderer,
  ) {
    // nodemailer's default timeouts are kept on purpose: RFC 5321 has a client wait 10 minutes for the
    // server's answer to the message; a client that gives up sooner makes duplicates of its own (the
    // server may still accept the message, and the next attempt sends it again).
    this.transport = nodemailer.createTransport(`${env.SMTP_URL}${env.SMTP_URL.includes('?') ? '&' : '?'}pool=true&maxConnections=5`);
    this.messageIdDomain = /@([^>\s]+)/.exec(env.MAIL_FROM)?.[1] ?? 'congress.local';
  }

  async send({ notificationId, lastAttempt }: SendAttempt): Promise<'sent' | 'skipped'> {
    const leaseMs = this.env.MAIL_LEASE_MS;
    const claimed = await this.notifications.claim(notificationId, leaseMs);
    if (!claimed) return 'skipped'; // already sent, being sent by a live worker, or not to be sent
    const renewal = setInterval(
      () => {
        this.notifications.renewLease(notificationId, claimed.token, leaseMs).catch((err: Error) => {
          this.logger.warn({ notificationId, err: err.message }, 'Mail lease not renewed');
        });
      },
      Math.max(Math.floor(leaseMs / 3), 100),
    );
    let sending = false;
    try {
      const payload = claimed.kind === 'reminder' ? await this.stillOpen(claimed) : claimed.payload;
      if (!payload) {
        await this.notifications.markSkipped(
          notificationId,
          claimed.token,
          'every step was finished or submitted before the reminder was sent',
        );
        return 'skipped';
      }
      const mail = this.renderer.render(claimed.kind, payload);
      sending = true;
      const info = (await this.transport.sendMail({
        from: this.env.MAIL_FROM,
        to: claimed.recipients,
        messageId: `<notification-${notificationId}@${this.messageIdDomain}>`,
        ...mail,
      })) as { messageId: string };
      sending = false;
      await this.markSent(notificationId, info.messageId, payload, Date.now() + leaseMs);
      return 'sent';
    } catch (error) {
      if (!sending && error instanceof MarkSentError) throw error.original;
      // Not sent (the SMTP server refused, or PostgreSQL failed before sending): give the row back
      // for the next attempt. Should that UPDATE fail too, the lease runs out and the row is reclaimed.
      const message = (error as Error).message.slice(0, 1000);
      await this.notifications.markFailedAttempt(notificationId, claimed.token, message, lastAttempt).catch(() => undefined);
      this.logger.warn({ notificationId, lastAttempt, error: message }, 'Mail not sent');
      throw error;
    } finally {
      clearInterval(renewal);
    }
  }

  /** The mail is out: record it, retrying through a PostgreSQL outage until the lease would run out. */
  private async markSent(id: string, messageId: string, payload: object, until: number): Promise<void> {
    for (let wait = 100; ; wait = Math.min(wait * 2, 5000)) {
      try {
        return await this.notifications.markSent(id, messageId, payload);
      } catch (error) {
        if (Date.now() + wait >= until) {
          this.logger.error({ notificationId: id, err: (error as Error).message }, 'Mail sent but not recorded as sent');
          throw new MarkSentError(error);
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** A reminder reloads its steps when sent: those finished or submitted since the sweep are dropped; null when none is left. */
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
