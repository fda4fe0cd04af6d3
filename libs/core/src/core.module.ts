import { Global, Module } from '@nestjs/common';
import { Clock } from './clock/clock.service';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { LoggingModule } from './logging/logging.module';
import { RedisModule } from './redis/redis.module';
import { OperationsRepository } from './operations/operations.repository';
import { OperationsService } from './operations/operations.service';

/** Configuration, database, logging and the clock: what every app needs. */
@Global()
@Module({
  imports: [AppConfigModule, LoggingModule, DatabaseModule, RedisModule],
  providers: [Clock, OperationsRepository, OperationsService],
  exports: [Clock, OperationsService],
})
export class CoreModule {}
