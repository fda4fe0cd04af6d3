import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Env } from '@app/core';
import { MailQueue, OutboxRelay } from '@app/notifications';

/**
 * Relays the outbox every OUTBOX_POLL_MS (until it is empty), and re-offers notifications a crash
 * or a Redis outage left pending. On shutdown it finishes the pass under way.
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxPoller');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

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
      await this.mailQueue.enqueuePending(1000, 60);
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
