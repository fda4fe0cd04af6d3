import { Module } from '@nestjs/common';
import { CoreModule } from '@app/core';

/** The worker: the same domain libraries as the API, without HTTP. */
@Module({ imports: [CoreModule] })
export class WorkerModule {}
