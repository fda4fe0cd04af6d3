import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Env, QUEUE_SPECS, QUEUES, StepEvent, Transactions, withTimeout } from '@app/core';
import { NotificationsRepository } from './notifications.repository';

const BATCH = 200;

/**
 * Moves committed outbox rows to the events queue. Claims rows with FOR UPDATE SKIP LOCKED (several
 * workers share the work), enqueues with jobId = outbox id (a retry after a crash is a no-op), and
 * marks them published in the same transaction: if Redis is down, the transaction rolls back and
 * the rows wait for the next pass. Nothing written to the outbox is lost.
 */
@Injectable()
export class OutboxRelay {
  constructor(
    private readonly transactions: Transactions,
    private readonly notifications: NotificationsRepository,
    private readonly env: Env,
    @InjectQueue(QUEUES.events) private readonly events: Queue<StepEvent>,
  ) {}

  /** One pass; returns how many rows were published. */
  async relay(): Promise<number> {
    return this.transactions.run(async (tx) => {
      const rows = await this.notifications.claimOutbox(tx, BATCH);
      if (rows.length === 0) return 0;
      const opts = QUEUE_SPECS.events.jobOptions(this.env);
      await withTimeout(
        this.events.addBulk(
          rows.map((event) => ({ name: event.topic, data: event, opts: { ...opts, jobId: `outbox-${event.outboxId}` } })),
        ),
        5000,
      );
      await this.notifications.markPublished(
        tx,
        rows.map((r) => r.outboxId),
      );
      return rows.length;
    });
  }
}
