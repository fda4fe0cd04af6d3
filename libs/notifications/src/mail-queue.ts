import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Env, MAIL_JOBS, MailJob, QUEUE_SPECS, QUEUES, withTimeout } from '@app/core';
import { NotificationsRepository } from './notifications.repository';

const BATCH = 1000;

/** A mail job's id: the notification's, so that handing a notification over twice adds one job. */
export const mailJobId = (notificationId: string): string => `notification-${notificationId}`;

/** Job states in which a mail job will still run (or is running). */
const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

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
            opts: { ...opts, jobId: mailJobId(id) },
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

  /**
   * Gives each notification a job that will run: none is added while its job is live (waiting,
   * delayed, active); a finished job (completed after a skipped claim, failed after the last attempt)
   * is removed and added again; a job Redis lost is added. Returns how many jobs were added.
   */
  async requeue(ids: string[]): Promise<number> {
    const opts = QUEUE_SPECS.mail.jobOptions(this.env);
    let added = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const states = await withTimeout(Promise.all(batch.map((id) => this.queue.getJobState(mailJobId(id)))), 10_000);
      const dead = batch.filter((_, k) => !LIVE_STATES.has(states[k]));
      const finished = batch.filter((_, k) => states[k] === 'completed' || states[k] === 'failed');
      for (const id of finished) await withTimeout(this.queue.remove(mailJobId(id)), 10_000);
      if (dead.length === 0) continue;
      await withTimeout(
        this.queue.addBulk(
          dead.map((id) => ({ name: MAIL_JOBS.send, data: { notificationId: id }, opts: { ...opts, jobId: mailJobId(id) } })),
        ),
        10_000,
      );
      added += dead.length;
    }
    return added;
  }

  /**
   * The safety net of the worker: notifications pending for more than `minAgeSeconds` whose job is
   * gone (Redis lost it) or finished, and notifications in `sending` whose lease ran out (their worker
   * died mid-send), get a job again. Returns how many jobs were added.
   */
  async reclaim(minAgeSeconds: number, limit = 100_000): Promise<number> {
    let after = '0';
    let seen = 0;
    let added = 0;
    while (seen < limit) {
      const ids = await this.notifications.reclaimableIds(after, BATCH, minAgeSeconds);
      if (ids.length === 0) break;
      added += await this.requeue(ids);
      seen += ids.length;
      after = ids[ids.length - 1];
    }
    return added;
  }
}
