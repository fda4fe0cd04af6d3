import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Env, MAIL_JOBS, MailJob, QUEUE_SPECS, QUEUES, withTimeout } from '@app/core';
import { NotificationsRepository } from './notifications.repository';

const BATCH = 1000;

/** Hands pending notifications to the mail queue; the job id is the notification id, so a second hand-over is a no-op. */
@Injectable()
export class MailQueue {
  constructor(
    @InjectQueue(QUEUES.mail) private readonly queue: Queue<MailJob>,
    private readonly notifications: NotificationsRepository,
    private readonly env: Env,
  ) {}

  async enqueue(ids: string[]): Promise<void> {
    const opts = QUEUE_SPECS.mail.jobOptions(this.env);
    for (let i = 0; i < ids.length; i += BATCH) {
      await withTimeout(
        this.queue.addBulk(
          ids.slice(i, i + BATCH).map((id) => ({
            name: MAIL_JOBS.send,
            data: { notificationId: id },
            opts: { ...opts, jobId: `notification-${id}` },
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
      const ids = await this.notifications.pendingIds(after, BATCH, minAgeSeconds);
      if (ids.length === 0) break;
      await this.enqueue(ids);
      total += ids.length;
      after = ids[ids.length - 1];
    }
    return total;
  }
}
