import { Injectable } from '@nestjs/common';
import { Env } from '@app/core';
import { MailSender } from '@app/notifications';
import { JobHandlers, QueueProcessor } from './queue-processor';

/** One job per notification: render and send it (rate-limited, retried with exponential backoff). */
@Injectable()
export class MailProcessor extends QueueProcessor<'mail'> {
  protected readonly queue = 'mail';
  protected readonly handlers: JobHandlers<'mail'> = {
    send: (data, job) => {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      return this.sender.send({ notificationId: data.notificationId, lastAttempt });
    },
  };

  constructor(
    env: Env,
    private readonly sender: MailSender,
  ) {
    super(env);
  }
}
