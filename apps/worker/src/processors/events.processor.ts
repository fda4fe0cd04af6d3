import { Injectable } from '@nestjs/common';
import { Env, StepEvent } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { JobHandlers, QueueProcessor } from './queue-processor';

/** Outbox events (step.submitted, step.returned, step.approved) → one notification each. */
@Injectable()
export class EventsProcessor extends QueueProcessor<'events'> {
  protected readonly queue = 'events';
  protected readonly handlers: JobHandlers<'events'> = {
    'step.submitted': (event) => this.fromEvent(event),
    'step.returned': (event) => this.fromEvent(event),
    'step.approved': (event) => this.fromEvent(event),
  };

  constructor(
    env: Env,
    private readonly notifications: NotificationsService,
  ) {
    super(env);
  }

  private fromEvent(event: StepEvent): Promise<void> {
    return this.notifications.fromEvent(event);
  }
}
