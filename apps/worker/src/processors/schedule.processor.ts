import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import { Clock, Env, JobName, QUEUES, ScheduleJob, ScheduleRunsRepository, schedules, toLocalDate, withTimeout } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { ProgressService } from '@app/reports';
import { JobHandlers, QueueProcessor } from './queue-processor';

/**
 * Scheduled work, on BullMQ job schedulers (cron in Vietnam time): the reminder sweep, the daily
 * digest, and the midnight roll-forward of the progress counters' overdue day.
 *
 * Self-healing: the schedulers live in Redis, so the worker registers them again at start, whenever
 * its Redis connection is ready again (a restart, a failover), and every SCHEDULE_REASSERT_MS (a
 * FLUSHDB does not drop the connection). Each daily job records its day in schedule_runs; when a
 * job's fire time today has passed without a run (the worker or Redis was away at that moment), the
 * same pass runs it once for today. Every daily job is idempotent per day, so a run twice sends nothing twice.
 */
@Injectable()
export class ScheduleProcessor extends QueueProcessor<'schedule'> {
  protected readonly queue = 'schedule';
  protected readonly handlers: JobHandlers<'schedule'> = {
    sweep: (data) => this.daily('sweep', data, (day) => this.notifications.sweep(day)),
    digest: (data) => this.daily('digest', data, (day) => this.notifications.digest(day)),
    'roll-overdue': (data) => this.daily('roll-overdue', data, (day) => this.progress.rollOverdue(day)),
  };
  private timer?: NodeJS.Timeout;
  private asserting?: Promise<void>;

  constructor(
    env: Env,
    private readonly notifications: NotificationsService,
    private readonly progress: ProgressService,
    private readonly runs: ScheduleRunsRepository,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.schedule) private readonly schedule: Queue<ScheduleJob>,
  ) {
    super(env);
  }

  /**
   * Awaited, as before: start-up waits for one pass (schedulers registered, or refused while Redis
   * is down: reassert logs it); then the pass runs again on every Redis reconnect and every
   * SCHEDULE_REASSERT_MS.
   */
  protected override async started(): Promise<void> {
    this.timer = setInterval(() => void this.reassert(), this.env.SCHEDULE_REASSERT_MS);
    void this.schedule.backend.client.then(
      (client) => client.on('ready', () => void this.reassert()),
      () => undefined,
    );
    await this.reassert();
  }

  override async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.asserting;
    await super.onApplicationShutdown();
  }

  /** Registers the schedulers and catches up today's missed runs; one pass at a time, failures logged and retried at the next. */
  reassert(): Promise<void> {
    this.asserting ??= this.assertOnce()
      .catch((err: Error) => this.logger.warn({ err: err.message }, 'Schedulers not registered yet (Redis or PostgreSQL down?)'))
      .finally(() => (this.asserting = undefined));
    return this.asserting;
  }

  private async assertOnce(): Promise<void> {
    const today = this.clock.today();
    const now = this.clock.now();
    const all = schedules(this.env);
    for (const s of all) {
      await withTimeout(
        this.schedule.upsertJobScheduler(s.id, { pattern: s.cron, tz: this.env.TZ_APP }, { name: s.job, data: {} }),
        10_000,
      );
    }
    const ran = await this.runs.ranOn(
      all.map((s) => s.job),
      today,
    );
    // In the registry's order: the sweep before the digest that carries its reminders (the queue runs one job at a time).
    for (const s of all) {
      const lastFire = CronExpressionParser.parse(s.cron, { tz: this.env.TZ_APP, currentDate: now }).prev().toDate();
      if (ran.includes(s.job) || toLocalDate(lastFire, this.env.TZ_APP) !== today) continue;
      await withTimeout(this.schedule.add(s.job, { asOf: today }, { jobId: `catch-up-${s.job}-${today}` }), 10_000);
      this.logger.log({ job: s.job, day: today }, 'Missed scheduled run queued');
    }
  }

  /** Runs a daily job for its day (today when the scheduler fired it) and records that the day is done. */
  private async daily<T>(job: JobName<'schedule'>, data: ScheduleJob, run: (day: string) => Promise<T>): Promise<T> {
    const day = data.asOf ?? this.clock.today();
    const result = await run(day);
    await this.runs.record(job, day);
    return result;
  }
}
