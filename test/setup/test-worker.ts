import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Logger } from 'nestjs-pino';
import { MailSender, NotificationsService, QUEUES } from '@app/notifications';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { startSmtpSink, SmtpSink } from './smtp-sink';
import { appDatabaseUrl, TEST_REDIS_URL } from './infra';
import { startTestApp, TestApp } from './test-app';

/**
 * What the API and the worker of a mail test share: fast polling and backoff, enough attempts to
 * ride out a short SMTP outage, a recognisable APP_URL, and cron schedules that (almost) never fire during a test.
 */
export const MAIL_TEST_ENV = {
  OUTBOX_POLL_MS: '100',
  MAIL_BACKOFF_MS: '100',
  MAIL_BACKOFF_MAX_MS: '1000',
  MAIL_ATTEMPTS: '8',
  MAIL_LEASE_MS: '10000',
  MAIL_RECLAIM_MS: '500',
  SCHEDULE_REASSERT_MS: '1000',
  MAIL_RATE_PER_SECOND: '100',
  LOG_LEVEL: 'silent',
  APP_URL: 'https://daihoi.test.vn',
  // The last minute of the year: the worker also runs a scheduled job whose fire time today has
  // passed without a run, so a fire time early in a day would sweep "today" during that whole day.
  SWEEP_CRON: '59 23 31 12 *',
  DIGEST_CRON: '59 23 31 12 *',
};

/** The real worker (apps/worker's WorkerModule) running in the test's process. */
export interface TestWorker {
  app: INestApplicationContext;
  notifications: NotificationsService;
  sender: MailSender;
  mailQueue: Queue;
  eventsQueue: Queue;
  close(): Promise<void>;
}

/** Starts a worker on the test app's database and Redis prefix, like apps/worker/src/main.ts does. */
export async function startWorker(t: TestApp, env: Record<string, string> = {}): Promise<TestWorker> {
  Object.assign(process.env, { ...MAIL_TEST_ENV, DATABASE_URL: appDatabaseUrl(t.dbName), REDIS_PREFIX: t.redisPrefix, ...env });
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  let closed = false;
  return {
    app,
    notifications: app.get(NotificationsService),
    sender: app.get(MailSender),
    mailQueue: app.get<Queue>(getQueueToken(QUEUES.mail)),
    eventsQueue: app.get<Queue>(getQueueToken(QUEUES.events)),
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

/** A test app, an SMTP sink and one running worker, all wired together; more workers on demand. */
export interface MailStack {
  t: TestApp;
  smtp: SmtpSink;
  worker: TestWorker;
  /** Starts another worker instance (closed with the stack). */
  startWorker(): Promise<TestWorker>;
  close(): Promise<void>;
}

export async function startMailStack(options: { redisUrl?: string; env?: Record<string, string> } = {}): Promise<MailStack> {
  const smtp = await startSmtpSink();
  const env = { ...MAIL_TEST_ENV, SMTP_URL: smtp.url, REDIS_URL: options.redisUrl ?? TEST_REDIS_URL, ...options.env };
  const t = await startTestApp(env);
  const workers: TestWorker[] = [];
  const more = async () => {
    const w = await startWorker(t, env);
    workers.push(w);
    return w;
  };
  const worker = await more();
  return {
    t,
    smtp,
    worker,
    startWorker: more,
    async close() {
      for (const w of workers) await w.close();
      await t.close();
      await smtp.close();
    },
  };
}
