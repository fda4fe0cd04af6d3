import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { Env, JobData, JobName, QUEUE_SPECS, QueueName, redisConnection } from '@app/core';

/** One handler per job name of the queue: the compiler refuses a processor that misses one. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobName<Q>]: (data: JobData<Q, N>, job: Job<JobData<Q, N>>) => Promise<unknown>;
};

/**
 * The worker of one queue: a BullMQ Worker with the registry's options (@app/core queue/jobs.ts)
 * that dispatches each job to the handler of its name. Boot fails when the handlers and the
 * registry's job names differ; a job whose name the registry does not know fails at once
 * (UnrecoverableError: no retries), and is logged.
 */
export abstract class QueueProcessor<Q extends QueueName> implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly queue: Q;
  protected abstract readonly handlers: JobHandlers<Q>;
  protected readonly logger = new Logger(this.constructor.name);
  private worker?: Worker;

  constructor(protected readonly env: Env) {}

  async onApplicationBootstrap(): Promise<void> {
    // The compiler checks the handler map against the registry's types; this checks it against the
    // registry's list, so a job added to one and not the other stops the worker at boot.
    const names = Object.keys(this.handlers).sort();
    const registered = [...QUEUE_SPECS[this.queue].jobs].sort();
    if (names.join() !== registered.join()) {
      throw new Error(`Queue ${this.queue}: handlers for [${names.join(', ')}], registry lists [${registered.join(', ')}]`);
    }
    this.worker = new Worker(this.queue, (job: Job) => this.dispatch(job), {
      connection: redisConnection(this.env.REDIS_URL, 'worker'),
      prefix: this.env.REDIS_PREFIX,
      ...QUEUE_SPECS[this.queue].worker(this.env),
    });
    this.worker.on('error', (err) => this.logger.warn({ err: err.message }, 'Queue worker error'));
    await this.started();
  }

  /** Runs once the queue's worker is started (a processor registers its schedulers here). */
  protected async started(): Promise<void> {}

  private dispatch(job: Job): Promise<unknown> {
    const handlers = this.handlers as Record<string, ((data: unknown, job: Job) => Promise<unknown>) | undefined>;
    const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
    if (!handler) {
      this.logger.error({ queue: this.queue, job: job.name, id: job.id }, 'Unknown job name');
      throw new UnrecoverableError(`Unknown job "${job.name}" on queue ${this.queue}`);
    }
    return handler(job.data, job);
  }

  /** Stops taking jobs and waits for the running ones. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
