import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Env } from '@app/core';
import { MailJob, QUEUES, withTimeout } from './jobs';
import { SWEEP_SQL } from './notifications.sql';

const BATCH = 1000;

/** Hands pending notifications to the mail queue; the job id is the notification id, so a second hand-over is a no-op. */
@Injectable()
export class MailQueue {
  constructor(
    @InjectQueue(QUEUES.mail) private readonly queue: Queue<MailJob>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly env: Env,
  ) {}

  async enqueue(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
      await withTimeout(
        this.queue.addBulk(
          ids.slice(i, i + BATCH).map((id) => ({
            name: 'send',
            data: { notificationId: id },
            opts: {
              jobId: `notification-${id}`,
              attempts: this.env.MAIL_ATTEMPTS,
              backoff: { type: 'exponential', delay: this.env.MAIL_BACKOFF_MS },
            },
          })),
        ),
        10_000,
      );
    }
  }

  /**
   * Enqueues pending notifications older than `minAgeSeconds`: right after a sweep (age 0), and
   * periodically as a safety net for any a crash or a Redis outage left behind.
   */
  async enqueuePending(limit = 1_000_000, minAgeSeconds = 0): Promise<number> {
    let after = '0';
    let total = 0;
    while (total < limit) {
      const rows: { id: string }[] = await this.db.query(SWEEP_SQL.pending, [after, BATCH, minAgeSeconds]);
      if (rows.length === 0) break;
      await this.enqueue(rows.map((r) => r.id));
      total += rows.length;
      after = rows[rows.length - 1].id;
    }
    return total;
  }
}
