import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Env, QUEUES, ScheduleJob, schedules } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { ProgressService } from '@app/reports';
import { JobHandlers, QueueProcessor } from './queue-processor';

/**
 * Scheduled work, on BullMQ job schedulers (cron in Vietnam time, registered at start): the reminder
 * sweep, the daily digest, and the midnight roll-forward of the progress counters' overdue day.
 */
@Injectable()
export class ScheduleProcessor extends QueueProcessor<'schedule'> {
  protected readonly queue = 'schedule';
  protected readonly handlers: JobHandlers<'schedule'> = {
    sweep: (data) => this.notifications.sweep(data.asOf),
    digest: (data) => this.notifications.digest(data.asOf),
    'roll-overdue': (data) => this.progress.rollOverdue(data.asOf),
  };

  constructor(
    env: Env,
    private readonly notifications: NotificationsService,
    private readonly progress: ProgressService,
    @InjectQueue(QUEUES.schedule) private readonly schedule: Queue<ScheduleJob>,
  ) {
    super(env);
  }

  /** Awaited, as before: start-up waits for Redis to take the schedulers (or to refuse them while it is down). */
  protected override async started(): Promise<void> {
    await this.upsertSchedulers().catch((err: Error) =>
      this.logger.warn({ err: err.message }, 'Schedulers not registered yet (Redis down?)'),
    );
  }

  private async upsertSchedulers(): Promise<void> {
    for (const s of schedules(this.env)) {
      await this.schedule.upsertJobScheduler(s.id, { pattern: s.cron, tz: this.env.TZ_APP }, { name: s.job, data: {} });
    }
  }
}
