import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { EventJob, QUEUES, withTimeout } from './jobs';

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
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QUEUES.events) private readonly events: Queue<EventJob>,
  ) {}

  /** One pass; returns how many rows were published. */
  async relay(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: { id: string; topic: EventJob['topic']; payload: EventJob['payload'] }[] = await tx.query(
        `SELECT o.id::text AS id, o.topic, o.payload FROM outbox o WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      await withTimeout(
        this.events.addBulk(
          rows.map((r) => ({
            name: r.topic,
            data: { outboxId: r.id, topic: r.topic, payload: r.payload },
            opts: { jobId: `outbox-${r.id}`, attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
          })),
        ),
        5000,
      );
      await tx.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
