export * from './notifications.module';
export * from './notifications.service';
export * from './notifications.repository';
export * from './mail-queue';
export * from './mail-sender';
export * from './outbox-relay';
export * from './template-renderer';
export * from './dto/notification.dto';
// The job registry lives in @app/core (queue/jobs.ts); its names are re-exported here for the callers that know them from here.
export { QUEUES, SCHEDULE_JOBS, MAIL_JOBS, RETENTION, redisConnection, withTimeout } from '@app/core';
export type { EventJob, MailJob, ScheduleJob } from '@app/core';
