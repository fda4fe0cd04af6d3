import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CoreModule } from '@app/core';
import { AuthModule } from '@app/auth';
import { OrgModule } from '@app/org';
import { AuthController } from './controllers/auth.controller';
import { UnitsController } from './controllers/units.controller';
import { UsersController } from './controllers/users.controller';
import { HealthController } from './health/health.controller';

@Module({
  imports: [CoreModule, OrgModule, AuthModule, TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [AuthController, UsersController, UnitsController, HealthController],
})
export class AppModule {}
