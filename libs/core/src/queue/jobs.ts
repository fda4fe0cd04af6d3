import type { JobsOptions, KeepJobs, WorkerOptions } from 'bullmq';
import type { Env } from '../config/env';
import { STEP_TOPICS, type StepEvent, type StepTopic } from '../events/step-event';

/**
 * The typed job registry: every queue, its job names with their payload types, the options each job
 * is added with (attempts, backoff) and each queue's worker options (concurrency, rate limit,
 * retention). Payloads carry ids; handlers reload. The worker has one processor per queue whose
 * handler map must name every job of its queue (checked by the compiler); a job whose name is not
 * here fails at once, without retries.
 */
export const QUEUES = {
  /** Outbox events → notifications. */
  events: 'events',
  /** One job per notification: render and send it. */
  mail: 'mail',
  /** Scheduled work: the reminder sweep, the daily digest, the overdue roll-forward. */
  schedule: 'schedule',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface MailJob {
  notificationId: string;
}

export interface ScheduleJob {
  /** YYYY-MM-DD; today in Vietnam when absent. */
  asOf?: string;
}

/** @deprecated name kept for existing imports: an outbox event job is a StepEvent. */
export type EventJob = StepEvent;

export const MAIL_JOBS = { send: 'send' } as const;
export const SCHEDULE_JOBS = { sweep: 'sweep', digest: 'digest', rollOverdue: 'roll-overdue' } as const;

/** Queue → job name → payload. */
export interface JobPayloads {
  events: Record<StepTopic, StepEvent>;
  mail: Record<(typeof MAIL_JOBS)[keyof typeof MAIL_JOBS], MailJob>;
  schedule: Record<(typeof SCHEDULE_JOBS)[keyof typeof SCHEDULE_JOBS], ScheduleJob>;
}
export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobData<Q extends QueueName, N extends JobName<Q> = JobName<Q>> = JobPayloads[Q][N];

/**
 * Retention: enough history for the board, bounded so Redis does not grow without limit. Set on
 * the workers rather than in every job's options: shorter job hashes stay in Redis' compact encoding.
 */
export const RETENTION: { removeOnComplete: KeepJobs; removeOnFail: KeepJobs } = {
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

/** The mail queue's backoff type: exponential from MAIL_BACKOFF_MS, capped at MAIL_BACKOFF_MAX_MS (see mailBackoff). */
const MAIL_BACKOFF = 'capped-exponential';

/**
 * Wait before the next attempt of a mail after `attemptsMade` failures: MAIL_BACKOFF_MS doubled
 * per failure, never more than MAIL_BACKOFF_MAX_MS, so retries span hours rather than minutes.
 */
export function mailBackoff(env: Pick<Env, 'MAIL_BACKOFF_MS' | 'MAIL_BACKOFF_MAX_MS'>, attemptsMade: number): number {
  const doublings = Math.min(Math.max(attemptsMade - 1, 0), 40);
  return Math.min(env.MAIL_BACKOFF_MS * 2 ** doublings, env.MAIL_BACKOFF_MAX_MS);
}

/** How long the retries of one mail span in total (the sum of the waits between MAIL_ATTEMPTS attempts). */
export function mailRetrySpanMs(env: Pick<Env, 'MAIL_ATTEMPTS' | 'MAIL_BACKOFF_MS' | 'MAIL_BACKOFF_MAX_MS'>): number {
  let total = 0;
  for (let made = 1; made < env.MAIL_ATTEMPTS; made++) total += mailBackoff(env, made);
  return total;
}

interface QueueSpec<Q extends QueueName> {
  jobs: readonly JobName<Q>[];
  /** Options of every job added to the queue. */
  jobOptions(env: Env): JobsOptions;
  /** Options of the queue's worker (connection and prefix come from the environment). */
  worker(env: Env): Omit<WorkerOptions, 'connection' | 'prefix'>;
}

export const QUEUE_SPECS: { [Q in QueueName]: QueueSpec<Q> } = {
  events: {
    jobs: STEP_TOPICS,
    jobOptions: () => ({ attempts: 10, backoff: { type: 'exponential', delay: 1000 } }),
    worker: () => ({ concurrency: 4, ...RETENTION }),
  },
  mail: {
    jobs: [MAIL_JOBS.send],
    jobOptions: (env) => ({ attempts: env.MAIL_ATTEMPTS, backoff: { type: MAIL_BACKOFF, delay: env.MAIL_BACKOFF_MS } }),
    worker: (env) => ({
      concurrency: 10,
      limiter: { max: env.MAIL_RATE_PER_SECOND, duration: 1000 },
      settings: { backoffStrategy: (attemptsMade: number) => mailBackoff(env, attemptsMade) },
      // A job whose worker died is noticed within a lease at most (the row's lease guards the send itself).
      lockDuration: Math.min(30_000, env.MAIL_LEASE_MS),
      stalledInterval: Math.min(30_000, env.MAIL_LEASE_MS),
      ...RETENTION,
    }),
  },
  schedule: {
    jobs: [SCHEDULE_JOBS.sweep, SCHEDULE_JOBS.digest, SCHEDULE_JOBS.rollOverdue],
    jobOptions: () => ({}),
    worker: () => ({ concurrency: 1, ...RETENTION }),
  },
};

/** The job schedulers of the schedule queue (cron in Vietnam time): scheduler id → cron and job. */
export function schedules(env: Env): { id: string; cron: string; job: JobName<'schedule'> }[] {
  return [
    { id: 'reminder-sweep', cron: env.SWEEP_CRON, job: SCHEDULE_JOBS.sweep },
    { id: 'daily-digest', cron: env.DIGEST_CRON, job: SCHEDULE_JOBS.digest },
    // Just after midnight: the progress counters' overdue figures move to the new day before anyone reads them.
    { id: 'overdue-roll', cron: '0 0 * * *', job: SCHEDULE_JOBS.rollOverdue },
  ];
}
