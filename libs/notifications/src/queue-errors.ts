import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QUEUES } from '@app/core';

/**
 * Queues emit 'error' while Redis is unreachable; without a listener Node would treat it as an
 * uncaught exception. Redis being down is expected and survivable: log it and carry on.
 */
@Injectable()
export class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('Queues');

  constructor(
    @InjectQueue(QUEUES.events) private readonly events: Queue,
    @InjectQueue(QUEUES.mail) private readonly mail: Queue,
    @InjectQueue(QUEUES.schedule) private readonly schedule: Queue,
  ) {}

  onModuleInit(): void {
    for (const queue of [this.events, this.mail, this.schedule]) {
      queue.on('error', (err: Error) => this.logger.warn({ queue: queue.name, err: err.message }, 'Queue connection error'));
    }
  }
}
