import { Module } from '@nestjs/common';
import { CoreModule, ScheduleRunsRepository } from '@app/core';
import { NotificationsModule } from '@app/notifications';
import { ReportsModule } from '@app/reports';
import { OutboxPoller } from './outbox-poller';
import { EventsProcessor } from './processors/events.processor';
import { MailProcessor } from './processors/mail.processor';
import { ScheduleProcessor } from './processors/schedule.processor';

/** The worker: the same domain libraries as the API, without HTTP; one processor per queue and the outbox poller. */
@Module({
  imports: [CoreModule, NotificationsModule, ReportsModule],
  providers: [EventsProcessor, MailProcessor, ScheduleProcessor, OutboxPoller, ScheduleRunsRepository],
})
export class WorkerModule {}
