import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Env, QUEUES, redisConnection } from '@app/core';
import { MailQueue } from './mail-queue';
import { MailSender } from './mail-sender';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { OutboxRelay } from './outbox-relay';
import { QueueErrorLogger } from './queue-errors';
import { TemplateRenderer } from './template-renderer';

/** Reminders, event emails and digests: notification rows in PostgreSQL, work carried by BullMQ. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [Env],
      useFactory: (env: Env) => ({ connection: redisConnection(env.REDIS_URL, 'producer'), prefix: env.REDIS_PREFIX }),
    }),
    BullModule.registerQueue({ name: QUEUES.events }, { name: QUEUES.mail }, { name: QUEUES.schedule }),
  ],
  providers: [NotificationsRepository, NotificationsService, MailQueue, MailSender, OutboxRelay, TemplateRenderer, QueueErrorLogger],
  exports: [NotificationsService, MailQueue, MailSender, OutboxRelay, TemplateRenderer, BullModule],
})
export class NotificationsModule {}
