import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Env } from '@app/core';
import { MailQueue, OutboxRelay } from '@app/notifications';

/**
 * Relays the outbox every OUTBOX_POLL_MS (until it is empty), and every MAIL_RECLAIM_MS gives a job
 * again to the notifications that lost theirs: pending ones whose job Redis lost (a flush, a restore)
 * or whose job finished without sending, and those left in `sending` by a worker that died mid-send,
 * once their lease has run out (MailQueue.reclaim). On shutdown it finishes the pass under way.
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxPoller');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;
  private lastReclaim = 0;

  constructor(
    private readonly env: Env,
    private readonly relay: OutboxRelay,
    private readonly mailQueue: MailQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
    this.logger.log('Worker ready');
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => this.schedule());
    }, this.env.OUTBOX_POLL_MS);
  }

  private async pass(): Promise<void> {
    try {
      while (!this.stopping && (await this.relay.relay()) > 0) {
        /* drain the backlog */
      }
      if (Date.now() - this.lastReclaim >= this.env.MAIL_RECLAIM_MS) {
        this.lastReclaim = Date.now();
        const requeued = await this.mailQueue.reclaim(Math.ceil(this.env.MAIL_RECLAIM_MS / 1000));
        if (requeued > 0) this.logger.log({ requeued }, 'Mail jobs given again to notifications that had lost theirs');
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Outbox relay pass failed; retrying');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
