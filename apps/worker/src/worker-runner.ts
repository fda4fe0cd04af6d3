import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Env } from '@app/core';
import {
  EventJob,
  MailJob,
  MailSender,
  NotificationsService,
  OutboxRelay,
  QUEUES,
  redisConnection,
  RETENTION,
  SCHEDULE_JOBS,
  ScheduleJob,
  MailQueue,
} from '@app/notifications';

/**
 * The worker's processes: one BullMQ worker per queue, the job schedulers (sweep and digest, cron in
 * Vietnam time), and the outbox relay loop. On shutdown it stops taking work and drains what runs.
 */
@Injectable()
export class WorkerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private relayTimer?: NodeJS.Timeout;
  private relaying?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly env: Env,
    private readonly notifications: NotificationsService,
    private readonly sender: MailSender,
    private readonly relay: OutboxRelay,
    private readonly mailQueue: MailQueue,
    @InjectQueue(QUEUES.schedule) private readonly schedule: Queue<ScheduleJob>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const base = { connection: redisConnection(this.env.REDIS_URL, 'worker'), prefix: this.env.REDIS_PREFIX, ...RETENTION };
    this.workers.push(
      new Worker<EventJob>(QUEUES.events, (job) => this.notifications.fromEvent(job.data), { ...base, concurrency: 4 }),
      new Worker<MailJob>(QUEUES.mail, (job) => this.sendMail(job), {
        ...base,
        concurrency: 10,
        limiter: { max: this.env.MAIL_RATE_PER_SECOND, duration: 1000 },
      }),
      new Worker<ScheduleJob>(
        QUEUES.schedule,
        async (job) =>
          job.name === SCHEDULE_JOBS.digest ? this.notifications.digest(job.data.asOf) : this.notifications.sweep(job.data.asOf),
        { ...base, concurrency: 1 },
      ),
    );
    for (const w of this.workers) w.on('error', (err) => this.logger.warn({ err: err.message }, 'Queue worker error'));
    await this.upsertSchedulers().catch((err: Error) =>
      this.logger.warn({ err: err.message }, 'Schedulers not registered yet (Redis down?)'),
    );
    this.scheduleRelay();
    this.logger.log('Worker ready');
  }

  private async upsertSchedulers(): Promise<void> {
    const tz = this.env.TZ_APP;
    await this.schedule.upsertJobScheduler('reminder-sweep', { pattern: this.env.SWEEP_CRON, tz }, { name: SCHEDULE_JOBS.sweep, data: {} });
    await this.schedule.upsertJobScheduler('daily-digest', { pattern: this.env.DIGEST_CRON, tz }, { name: SCHEDULE_JOBS.digest, data: {} });
  }

  private sendMail(job: Job<MailJob>) {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.sender.send({ notificationId: job.data.notificationId, lastAttempt });
  }

  /** Relays the outbox every OUTBOX_POLL_MS, and re-offers notifications a crash left pending. */
  private scheduleRelay(): void {
    if (this.stopping) return;
    this.relayTimer = setTimeout(() => {
      this.relaying = this.relayOnce().finally(() => this.scheduleRelay());
    }, this.env.OUTBOX_POLL_MS);
  }

  private async relayOnce(): Promise<void> {
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
    if (this.relayTimer) clearTimeout(this.relayTimer);
    await this.relaying;
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
