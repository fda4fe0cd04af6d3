import { Module } from '@nestjs/common';
import { CoreModule } from '@app/core';
import { NotificationsModule } from '@app/notifications';
import { WorkerRunner } from './worker-runner';

/** The worker: the same domain libraries as the API, without HTTP. */
@Module({ imports: [CoreModule, NotificationsModule], providers: [WorkerRunner] })
export class WorkerModule {}
