import type { KeepJobs } from 'bullmq';

/** The typed job registry: every queue, its job names and payloads. Payloads carry ids; handlers reload. */
export const QUEUES = {
  /** Outbox events → notifications. */
  events: 'events',
  /** One job per notification: render and send it. */
  mail: 'mail',
  /** Scheduled work: the reminder sweep and the daily digest. */
  schedule: 'schedule',
} as const;

export interface EventJob {
  outboxId: string;
  topic: 'step.submitted' | 'step.returned' | 'step.approved';
  payload: { unitId: number; stepNo: number; action: string; actorId: number; note: string | null; eventId: string };
}

export interface MailJob {
  notificationId: string;
}

export interface ScheduleJob {
  /** YYYY-MM-DD; today in Vietnam when absent. */
  asOf?: string;
}

export const SCHEDULE_JOBS = { sweep: 'sweep', digest: 'digest' } as const;

/**
 * Retention: enough history for the board, bounded so Redis does not grow without limit. Set on
 * the workers rather than in every job's options: shorter job hashes stay in Redis' compact encoding.
 */
export const RETENTION: { removeOnComplete: KeepJobs; removeOnFail: KeepJobs } = {
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

/** Bounds a wait on Redis: while it is down, callers fail after `ms` and retry later instead of hanging. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
